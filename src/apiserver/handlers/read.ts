// get and list, with resourceVersion semantics, selectors and limit/continue pagination.
import type { KubeObject } from '../../api/object.ts'
import { badRequest, timeout } from '../errors.ts'
import { collectionRange } from '../registry/keys.ts'
import type { ApiRequest } from '../request.ts'
import { buildMatcher, selectedNodeName } from '../selectors.ts'
import type { ApiContext } from './context.ts'
import { asServed, listOf, type ListMeta } from './output.ts'
import { continueTooOld, decodeContinue, encodeContinue } from './pagination.ts'

export async function getObject (ctx: ApiContext, req: ApiRequest): Promise<KubeObject> {
  return asServed(req.info, await ctx.storage.get(req.info, req.namespace, req.name!))
}

export interface ListPage { items: KubeObject[], meta: ListMeta }

/** The objects of a list request (already filtered and paged), and the list metadata. */
export async function listPage (ctx: ApiContext, req: ApiRequest): Promise<ListPage> {
  const { info, options } = req
  const matches = buildMatcher(info, options)
  const current = ctx.storage.backend.revision
  let revision = 0
  let startKey: string | undefined
  let limit = options.limit !== undefined && options.limit > 0 ? options.limit : 0
  if (options.continue) {
    if (options.resourceVersion) throw badRequest('specifying resource version is not allowed when using continue')
    const token = decodeContinue(options.continue)
    if (token.rv < ctx.storage.backend.compactRevision) throw continueTooOld()
    revision = token.rv
    startKey = collectionRange(info, req.namespace).key + token.start
  } else if (options.resourceVersion !== undefined && options.resourceVersion !== '') {
    const rv = parseResourceVersion(options.resourceVersion)
    if (rv === 0) limit = 0 // "any" state: upstream serves it from the watch cache, ignoring limit
    else if (rv > current) throw timeout(`Too large resource version: ${rv}, current: ${current}`)
    else if (options.resourceVersionMatch === 'Exact') revision = rv
  }
  const prefix = collectionRange(info, req.namespace).key
  if (limit === 0 && revision === 0 && startKey === undefined) {
    const node = selectedNodeName(info, options)
    const keys = node === undefined ? undefined : await ctx.podsByNode.keysOn(node)
    if (keys !== undefined) {
      // Only this node's pods, read at one revision, in key order as a list returns them.
      const at = ctx.storage.backend.revision
      const items: KubeObject[] = []
      for (const key of keys.filter(k => k.startsWith(prefix)).sort()) {
        const kv = (await ctx.storage.backend.range({ key, revision: at })).kvs[0]
        if (kv !== undefined) items.push(ctx.storage.decode(kv))
      }
      return { items: items.filter(matches), meta: { resourceVersion: String(at) } }
    }
  }
  if (limit === 0) {
    const { items, revision: at } = await ctx.storage.list(info, req.namespace, { revision, startKey })
    return { items: items.filter(matches), meta: { resourceVersion: String(at) } }
  }
  // Read only what the page needs, in chunks, at one revision (later chunks at the first's).
  const selected: KubeObject[] = []
  const filtered = options.labelSelector !== undefined || options.fieldSelector !== undefined
  let at = revision
  let remaining: number | undefined
  let more = true
  let from = startKey
  while (more && selected.length <= limit) {
    const chunk = Math.max(limit + 1, filtered ? 500 : 0)
    const r = await ctx.storage.list(info, req.namespace, { revision: at, startKey: from, limit: chunk })
    if (at === 0) at = r.revision
    if (!filtered && remaining === undefined) remaining = r.count
    selected.push(...r.items.filter(matches))
    more = r.more === true
    const last = r.items[r.items.length - 1]
    if (last === undefined) break
    from = prefix + keyOf(info, req.namespace, last) + '\0'
  }
  const meta: ListMeta = { resourceVersion: String(at) }
  if (selected.length > limit || (more && selected.length === limit)) {
    const page = selected.slice(0, limit)
    meta.continue = encodeContinue(at, keyOf(info, req.namespace, page[page.length - 1]) + '\0')
    if (!filtered && remaining !== undefined) meta.remainingItemCount = remaining - limit
    return { items: page, meta }
  }
  return { items: selected, meta }
}

/** The object's key relative to the collection being listed. */
function keyOf (info: ApiRequest['info'], namespace: string | undefined, obj: KubeObject): string {
  return info.namespaced && !namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!
}

export async function listObjects (ctx: ApiContext, req: ApiRequest): Promise<Record<string, unknown>> {
  const page = await listPage(ctx, req)
  return listOf(req.info, page.items, page.meta)
}

export function parseResourceVersion (rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`)
  return Number(rv)
}
