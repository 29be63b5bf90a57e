// The Client every k3sim component uses to read and write cluster state. Two implementations:
// InProcessClient (same handler layer as HTTP, no HTTP, no JSON) and HttpClient (HTTPS, for
// `k3sim agent` and anything outside the server process). Errors are StatusErrors either way.
import type { KubeObject } from '../api/object.ts'
import type { PatchType } from '../apiserver/request.ts'
import type { ApiWatchEvent } from '../apiserver/handlers/watch.ts'

export type { ApiWatchEvent }

export interface ListOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  resourceVersion?: string
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean
  timeoutSeconds?: number
}

export interface WriteOptions {
  dryRun?: boolean
  fieldManager?: string
  /** `status` or `scale` to write a subresource. */
  subresource?: string
}

export interface PatchOptions extends WriteOptions {
  type?: PatchType
  force?: boolean
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  gracePeriodSeconds?: number
  preconditions?: { uid?: string, resourceVersion?: string }
  dryRun?: boolean
}

export interface ObjectList<T = KubeObject> {
  apiVersion: string
  kind: string
  metadata: { resourceVersion: string, continue?: string, remainingItemCount?: number }
  items: T[]
}

export interface WatchStream {
  /** The next batch of events, or null once the stream has ended. */
  next(): Promise<ApiWatchEvent[] | null>
  close(): void
}

/**
 * Objects from get/create/update/patch/delete are the caller's. Objects from list and watch may
 * be shared and frozen (as client-go's informer caches are shared): copy one before changing it.
 */
export interface Client {
  get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: { subresource?: string }): Promise<T>
  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, options?: ListOptions): Promise<ObjectList<T>>
  create<T extends KubeObject = KubeObject>(obj: T, options?: WriteOptions): Promise<T>
  /** PUT: the object's metadata.resourceVersion, if set, must be current (else 409). */
  update<T extends KubeObject = KubeObject>(obj: T, options?: WriteOptions): Promise<T>
  patch<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown, options?: PatchOptions): Promise<T>
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<KubeObject>
  watch(apiVersion: string, kind: string, options?: WatchOptions): Promise<WatchStream>
  /** POST to a subresource (pods/binding, pods/eviction). */
  post(apiVersion: string, kind: string, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown>
}
