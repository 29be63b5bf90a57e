// The request the handler layer serves: the same shape whether it came over HTTPS (express
// parses it) or from the in-process Client (no HTTP, no JSON).
import type { KubeObject } from '../api/object.ts'
import type { ResourceInfo } from '../api/resources.ts'

export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

export interface UserInfo {
  name: string
  /** Service accounts: the account's uid. */
  uid?: string
  groups: string[]
  /** Impersonate-Extra-* values (and service accounts' credential details upstream). */
  extra?: Record<string, string[]>
}

export interface RequestOptions {
  dryRun?: boolean
  /** The dry run came in a DELETE's body (DeleteOptions), not the URL's query (the request metrics read only the query). */
  dryRunInBody?: boolean
  fieldManager?: string
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore'
  force?: boolean
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  resourceVersion?: string
  resourceVersionMatch?: string
  timeoutSeconds?: number
  allowWatchBookmarks?: boolean
  sendInitialEvents?: boolean
  /** DeleteOptions. */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  gracePeriodSeconds?: number
  preconditions?: { uid?: string, resourceVersion?: string }
  /** Table rows' object: 'Metadata' (default), 'Object' or 'None'. */
  includeObject?: 'None' | 'Metadata' | 'Object'
  /** pods/log query parameters. */
  log?: Record<string, string>
}

export interface ApiRequest {
  verb: RequestVerb
  info: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
  /** Decoded body (create, update; the patch document for patch). */
  body?: unknown
  patchType?: PatchType
  options: RequestOptions
  user: UserInfo
  /** The client's User-Agent: names the field manager of a write without ?fieldManager. */
  userAgent?: string
  /** Authorized already: the HTTP layer authorizes a request before it reads or checks anything of it. */
  authorized?: boolean
}

/** Warnings for the `Warning: 299 - "…"` response header. */
export interface Reply<T = unknown> {
  status: number
  body: T
  warnings?: string[]
}

export const ok = <T>(body: T, status = 200, warnings?: string[]): Reply<T> => ({ status, body, warnings })

export type { KubeObject }
