// The one handler path: HTTP requests and in-process Client calls both land here.
import type { KubeObject } from '../../api/object.ts'
import { methodNotAllowed, StatusError } from '../errors.ts'
import type { ApiRequest, Reply } from '../request.ts'
import type { ApiContext } from './context.ts'
import { deleteCollection, deleteObject } from './delete.ts'
import { patchObject, refuseStrategicOnCustom } from './patch.ts'
import { getObject, listObjects } from './read.ts'
import { bindPod, evictPod, finalizeNamespace, toScale, updateScale } from './subresources.ts'
import { review } from './reviews.ts'
import { componentStatuses } from './component-statuses.ts'
import { issueToken } from './token-request.ts'
import { watchObjects, type ApiWatch } from './watch.ts'
import { statusWrite } from './prepare.ts'
import { createObject, replaceObject, updateObject } from './write.ts'
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.ts'

export type Served = Reply | { watch: ApiWatch }

export async function serve (ctx: ApiContext, req: ApiRequest): Promise<Served> {
  const { info } = req
  const verbAllowed = req.subresource === undefined
    ? (info.verbs as string[]).includes(req.verb)
    : info.subresources.some(s => s.name === req.subresource)
  if (!verbAllowed) throw methodNotAllowed(req.verb, info)
  if (req.verb === 'patch') refuseStrategicOnCustom(req)
  if (info.virtual === true) {
    if (info.group === '' && info.resource === 'bindings') {
      // BindingREST: the Binding's own name is the pod's; the same write as pods/<name>/binding.
      const name = (req.body as { metadata?: { name?: unknown } } | undefined)?.metadata?.name
      return bindPod(ctx, { ...req, info: ctx.index.lookup('', 'v1', 'pods')!, name: typeof name === 'string' ? name : '' })
    }
    if (info.group === '' && info.resource === 'componentstatuses') return componentStatuses(ctx, req)
    return review(ctx, req)
  }
  if (req.subresource !== undefined) return serveSubresource(ctx, req)
  switch (req.verb) {
    case 'get': return { status: 200, body: await getObject(ctx, req) }
    case 'list': return { status: 200, body: await listObjects(ctx, req) }
    case 'watch': return { watch: await watchObjects(ctx, req) }
    case 'create': return createObject(ctx, req)
    case 'update': return replaceObject(ctx, req)
    case 'patch': return patchObject(ctx, req)
    case 'delete': return deleteObject(ctx, req)
    case 'deletecollection': return deleteCollection(ctx, req)
  }
}

async function serveSubresource (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  const sub = req.subresource!
  const key = `${sub}:${req.verb}`
  // status, the subresources that write one part of it (a CSR's approval) or of the spec (pods' ephemeralcontainers).
  const strategy = ctx.strategyFor(req.info)
  if (statusWrite(strategy, sub) || strategy.specParts?.[sub] !== undefined) {
    if (req.verb === 'get') return { status: 200, body: await getObject(ctx, req) }
    if (req.verb === 'update') return replaceObject(ctx, req)
    if (req.verb === 'patch') return patchObject(ctx, req)
  }
  switch (sub) {
    case 'scale':
      if (req.verb === 'get') return { status: 200, body: toScale(req, await getObject(ctx, req), ctx.scalePaths(req.info)) }
      if (req.verb === 'update') {
        const body = req.body as Record<string, any> | undefined
        return updateScale(ctx, req, () => body, body?.metadata?.resourceVersion)
      }
      if (req.verb === 'patch') {
        // Applied to the Scale of the object as it is at each attempt: a patch naming no
        // resourceVersion does not conflict with concurrent writers (upstream's patcher).
        const patch = req.body as Record<string, any>
        const apply = (scale: KubeObject): unknown => req.patchType === 'json' ? applyJsonPatch(scale, patch as unknown[])
          : req.patchType === 'merge' ? applyMergePatch(scale, patch)
            : applyStrategicMergePatch(scale, patch, 'Scale')
        return updateScale(ctx, req, apply, Array.isArray(patch) ? undefined : patch?.metadata?.resourceVersion)
      }
      break
    case 'binding':
      if (req.verb === 'create') return bindPod(ctx, req)
      break
    case 'eviction':
      if (req.verb === 'create') return evictPod(ctx, req)
      break
    case 'token':
      if (req.verb === 'create') return issueToken(ctx, req)
      break
    case 'finalize':
      if (req.verb === 'update') return finalizeNamespace(ctx, req)
      break
    case 'log':
      if (req.verb === 'get') throw logsUnavailable(req)
      break
  }
  void updateObject
  throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${key})`)
}

/** Logs come from the node's runtime; until a kubelet serves the pod there is nothing to read. */
function logsUnavailable (req: ApiRequest): StatusError {
  return new StatusError(400, 'BadRequest', `pod ${req.name} does not have a host assigned`)
}
