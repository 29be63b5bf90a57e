// get and list, with resourceVersion semantics, selectors and limit/continue pagination.
import type { KubeObject } from '../../api/object.ts'
import { badRequest, timeout } from '../errors.ts'
import { collectionRange } from '../registry/keys.ts'
import type { ApiRequest } from '../request.ts'
import { buildMatcher } from '../selectors.ts'
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
  const { items, revision: at } = await ctx.storage.list(info, req.namespace, { revision, startKey })
  const selected = items.filter(matches)
  const meta: ListMeta = { resourceVersion: String(at) }
  if (limit > 0 && selected.length > limit) {
    const page = selected.slice(0, limit)
    const last = page[page.length - 1].metadata
    const prefix = collectionRange(info, req.namespace).key
    const lastKey = (info.namespaced && !req.namespace ? `${last.namespace}/${last.name}` : last.name!)
    meta.continue = encodeContinue(at, lastKey + '\0')
    if (options.labelSelector === undefined && options.fieldSelector === undefined) meta.remainingItemCount = selected.length - limit
    void prefix
    return { items: page, meta }
  }
  return { items: selected, meta }
}

export async function listObjects (ctx: ApiContext, req: ApiRequest): Promise<Record<string, unknown>> {
  const page = await listPage(ctx, req)
  return listOf(req.info, page.items, page.meta)
}

export function parseResourceVersion (rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`)
  return Number(rv)
}
