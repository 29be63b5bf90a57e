// Impersonate-User / -Group / -Uid / -Extra-* (apiserver's WithImpersonation filter): each
// requested identity is authorized with the verb `impersonate` (users, groups, serviceaccounts,
// uids, userextras), then the request runs as the impersonated user.
import type { Request } from 'express'
import type { ApiServerCore } from '../core.ts'
import type { UserInfo } from '../request.ts'
import type { Attributes } from '../rbac/attributes.ts'
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation.ts'
import { unescapePath } from './paths.ts'

const EXTRA_PREFIX = 'impersonate-extra-'

interface Impersonation { kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID', name: string, namespace?: string, extraKey?: string }

/** The requests the headers make, in upstream's order; undefined when there are none. */
function requested (req: Request): Impersonation[] | undefined {
  const out: Impersonation[] = []
  const headers = req.headersDistinct
  // Header.Get: the first value of a repeated header.
  const user = headers['impersonate-user']?.[0] ?? ''
  if (user !== '') {
    const sa = serviceAccountOf(user)
    out.push(sa !== undefined ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: user })
  }
  for (const g of headers['impersonate-group'] ?? []) out.push({ kind: 'Group', name: g })
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length))
    for (const v of values ?? []) out.push({ kind: 'UserExtra', name: v, extraKey: key })
  }
  const uid = headers['impersonate-uid']?.[0] ?? ''
  if (uid !== '') out.push({ kind: 'UID', name: uid })
  if (out.length === 0) return undefined
  if (user === '') {
    // Upstream answers a plain-text 500 that prints the requests as Go structs.
    const list = out.map(r => `{${r.kind} ${r.namespace ?? ''} ${r.name}  ${r.kind === 'UserExtra' || r.kind === 'UID' ? 'authentication.k8s.io/v1' : ''}  ${r.extraKey ?? ''}}`).join(' ')
    throw new ImpersonationError(`requested [${list}] without impersonating a user`)
  }
  return out
}

export class ImpersonationError extends Error {}

/** serviceaccount.SplitUsername: system:serviceaccount:<namespace>:<name>, both valid names. */
function serviceAccountOf (username: string): { namespace: string, name: string } | undefined {
  const prefix = 'system:serviceaccount:'
  if (!username.startsWith(prefix)) return undefined
  const parts = username.slice(prefix.length).split(':')
  if (parts.length !== 2) return undefined
  const [namespace, name] = parts
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined
  return { namespace, name }
}

/** unescapeExtraKey: url.PathUnescape, or the key as sent when it does not unescape. */
function unescapeExtraKey (key: string): string {
  try {
    return unescapePath(key)
  } catch {
    return key
  }
}

/** The user the request runs as: `user` itself, or whom it may and does impersonate. */
export async function impersonate (core: ApiServerCore, req: Request, user: UserInfo): Promise<UserInfo> {
  const requests = requested(req)
  if (requests === undefined) return user
  const groupsSpecified = (req.headersDistinct['impersonate-group'] ?? []).length > 0
  let name = ''
  let uid = ''
  let groups: string[] = []
  const extra: Record<string, string[]> = {}
  for (const r of requests) {
    const a: Attributes = { user, verb: 'impersonate', resource: { group: '', resource: '', subresource: '', namespace: r.namespace ?? '', name: r.name } }
    switch (r.kind) {
      case 'ServiceAccount':
        a.resource!.resource = 'serviceaccounts'
        name = `system:serviceaccount:${r.namespace}:${r.name}`
        if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${r.namespace}`]
        break
      case 'User':
        a.resource!.resource = 'users'
        name = r.name
        break
      case 'Group':
        a.resource!.resource = 'groups'
        groups.push(r.name)
        break
      case 'UserExtra':
        a.resource = { group: 'authentication.k8s.io', resource: 'userextras', subresource: r.extraKey!, namespace: '', name: r.name }
        ;(extra[r.extraKey!] ??= []).push(r.name)
        break
      case 'UID':
        a.resource = { group: 'authentication.k8s.io', resource: 'uids', subresource: '', namespace: '', name: r.name }
        uid = r.name
        break
    }
    await core.ctx.authorizer.require(a)
  }
  if (name !== 'system:anonymous') {
    if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated')
  } else if (!groups.includes('system:unauthenticated')) {
    groups.push('system:unauthenticated')
  }
  const out: UserInfo = { name, groups }
  if (uid !== '') out.uid = uid
  if (Object.keys(extra).length > 0) out.extra = extra
  return out
}
