// The in-process Client: builds the same ApiRequest the HTTP layer builds and calls the same
// handlers. No HTTP, no JSON; objects come back as copies the caller may change.
import { K3S_USER_AGENT } from '../api/version.ts'
import { clone, type KubeObject } from '../api/object.ts'
import { requireTypeMeta } from './type-meta.ts'
import { parseApiVersion, type ResourceInfo } from '../api/resources.ts'
import type { ApiServerCore } from '../apiserver/core.ts'
import { methodNotAllowed, StatusError } from '../apiserver/errors.ts'
import type { ApiRequest, RequestOptions, UserInfo } from '../apiserver/request.ts'
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchOptions, WatchOptions, WatchStream, WriteOptions } from './client.ts'

export class InProcessClient implements Client {
  private readonly core: ApiServerCore
  private readonly user: UserInfo
  private readonly userAgent: string

  /** `userAgent` (default: the k3s binary's) names the field manager of writes without one. */
  constructor (options: { core: ApiServerCore, user?: UserInfo, userAgent?: string }) {
    this.core = options.core
    this.user = options.user ?? { name: 'system:admin', groups: ['system:masters'] }
    this.userAgent = options.userAgent ?? K3S_USER_AGENT
  }

  async get<T extends KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, options: { subresource?: string } = {}): Promise<T> {
    return await this.body(this.request('get', apiVersion, kind, { namespace, name, subresource: options.subresource })) as T
  }

  /** Items are shared with the server's cache and frozen, as informer caches are: copy to change. */
  async list<T extends KubeObject> (apiVersion: string, kind: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, ...rest } = options
    const served = await this.core.serve(this.request('list', apiVersion, kind, { namespace, options: rest }))
    if ('watch' in served) throw new Error('list returned a watch')
    return served.body as ObjectList<T>
  }

  async create<T extends KubeObject> (obj: T, options: WriteOptions = {}): Promise<T> {
    return await this.body(this.request('create', obj.apiVersion!, obj.kind!, { namespace: obj.metadata.namespace, body: obj, options: writeOptions(options) })) as T
  }

  async update<T extends KubeObject> (obj: T, options: WriteOptions = {}): Promise<T> {
    return await this.body(this.request('update', obj.apiVersion!, obj.kind!, { namespace: obj.metadata.namespace, name: obj.metadata.name, subresource: options.subresource, body: obj, options: writeOptions(options) })) as T
  }

  async patch<T extends KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const req = this.request('patch', apiVersion, kind, { namespace, name, subresource: options.subresource, body: patch, options: { ...writeOptions(options), force: options.force } })
    req.patchType = options.type ?? 'merge'
    return await this.body(req) as T
  }

  async delete (apiVersion: string, kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<KubeObject> {
    // client-go sends DeleteOptions (dryRun among them) as the body.
    return await this.body(this.request('delete', apiVersion, kind, { namespace, name, options: { ...options, ...(options.dryRun === true ? { dryRunInBody: true } : {}) } })) as KubeObject
  }

  /** Event objects are shared and frozen, like list items. */
  async watch (apiVersion: string, kind: string, options: WatchOptions = {}): Promise<WatchStream> {
    const { namespace, ...rest } = options
    const served = await this.core.serve(this.request('watch', apiVersion, kind, { namespace, options: rest }))
    if (!('watch' in served)) throw new Error('watch did not return a stream')
    const stream = served.watch
    return {
      next: async () => {
        const batch = await stream.next()
        return batch

      },
      close: () => stream.close(),
    }
  }

  async post (apiVersion: string, kind: string, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.body(this.request('create', apiVersion, kind, { namespace, name, subresource, body }))
  }

  private request (verb: ApiRequest['verb'], apiVersion: string, kind: string, parts: Partial<ApiRequest>): ApiRequest {
    const info = this.resolve(apiVersion, kind)
    // As over HTTP: a namespaced object is created, read and written in a namespace.
    if (info.namespaced && parts.namespace === undefined && verb !== 'list' && verb !== 'watch' && verb !== 'deletecollection' && info.virtual !== true) {
      throw methodNotAllowed(verb, info)
    }
    return { verb, info, options: {}, user: this.user, userAgent: this.userAgent, ...parts }
  }

  private resolve (apiVersion: string, kind: string): ResourceInfo {
    requireTypeMeta(apiVersion, kind)
    const { group, version } = parseApiVersion(apiVersion)
    const info = this.core.index.byGroupVersionKind(group, version, kind)
    if (info === undefined) throw new StatusError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`)
    return info
  }

  private async body (req: ApiRequest): Promise<unknown> {
    const served = await this.core.serve(req)
    if ('watch' in served) throw new Error(`${req.verb} returned a watch`)
    return ownCopy(served.body)
  }
}

function writeOptions (o: WriteOptions): RequestOptions {
  const out: RequestOptions = {}
  if (o.dryRun === true) out.dryRun = true
  if (o.fieldManager !== undefined) out.fieldManager = o.fieldManager
  return out
}

/**
 * The server shares decoded objects between readers, frozen; the caller gets a copy it may
 * change. Objects built for this reply (a create's result, say) are not frozen and need none.
 * A JSON copy, not structuredClone: that would keep the equal parts the server shares inside
 * an object (managedFields' `{}` leaves) as one object in the copy too.
 */
function ownCopy<T> (body: T): T {
  if (typeof body !== 'object' || body === null) return body
  const b = body as { metadata?: object }
  return b.metadata !== undefined && Object.isFrozen(b.metadata) ? clone(body) : body
}
