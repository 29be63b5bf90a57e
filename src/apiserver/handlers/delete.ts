// delete and deletecollection: preconditions, graceful deletion of pods bound to a node,
// finalizers (an object with finalizers only gets its deletionTimestamp), propagation policy.
import { clone, rfc3339, type KubeObject } from '../../api/object.ts'
import { conflict, StatusError } from '../errors.ts'
import type { ApiRequest, Reply } from '../request.ts'
import type { ApiContext } from './context.ts'
import { asServed, listOf } from './output.ts'
import { listPage } from './read.ts'
import { admitNamespaceDelete } from '../admission/namespace-lifecycle.ts'
import { admitPriorityClassDelete } from '../strategies/scheduling.ts'

type Json = Record<string, any>

/** Registry stores with upstream's ReturnDeletedObject: the rest answer a Success Status. */
const RETURN_DELETED = new Set(['/pods', '/serviceaccounts', '/services', '/namespaces', 'storage.k8s.io/storageclasses', 'apiextensions.k8s.io/customresourcedefinitions'])

function deletedReply (req: ApiRequest, obj: KubeObject): Reply<KubeObject> {
  const { info } = req
  if (RETURN_DELETED.has(`${info.group}/${info.resource}`) || info.custom === true) return { status: 200, body: asServed(info, obj) }
  const details: Json = { name: obj.metadata.name, kind: info.resource, uid: obj.metadata.uid }
  if (info.group !== '') details.group = info.group
  return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } as unknown as KubeObject }
}

/** Seconds of grace: pods bound to a node and not finished get their termination grace period. */
function gracePeriod (req: ApiRequest, obj: KubeObject): number {
  if (req.info.group !== '' || req.info.resource !== 'pods') return 0
  const spec = obj.spec as Json
  const phase = (obj.status as Json | undefined)?.phase
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0
  const requested = req.options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30
  return Math.max(0, requested)
}

export async function deleteObject (ctx: ApiContext, req: ApiRequest): Promise<Reply<KubeObject>> {
  const { info, options } = req
  if (req.verb === 'delete') admitPriorityClassDelete(info, req.name!)
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.storage.get(info, req.namespace, req.name!)
    const pre = options.preconditions
    if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`, { name: req.name, kind: info.resource })
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`, { name: req.name, kind: info.resource })
    }
    // Validating admission of the delete, after the preconditions as in upstream's GuaranteedUpdate.
    admitNamespaceDelete(info, current.metadata.name!)
    const finalizers = [...(current.metadata.finalizers ?? [])]
    const add = options.propagationPolicy === 'Orphan' ? 'orphan' : options.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : undefined
    if (add !== undefined && !finalizers.includes(add) && current.metadata.deletionTimestamp === undefined) finalizers.push(add)
    const grace = gracePeriod(req, current)
    const retry = (err: unknown): boolean => err instanceof StatusError && err.reason === 'Conflict' && attempt < 10
    /** Write `next` (the object marked for deletion); undefined = lost a race, read again. */
    const mark = async (next: KubeObject): Promise<Reply<KubeObject> | undefined> => {
      if (JSON.stringify(next) === JSON.stringify(current)) return { status: 200, body: asServed(info, current) }
      if (options.dryRun === true) return { status: 200, body: asServed(info, next) }
      try {
        return { status: 200, body: asServed(info, await ctx.storage.update(info, next, Number(current.metadata.resourceVersion))) }
      } catch (err) {
        if (retry(err)) return undefined
        throw err
      }
    }
    // Namespaces (upstream's namespace REST Delete): while spec.finalizers is non-empty the
    // namespace only gets its deletionTimestamp and phase Terminating.
    const isNs = info.group === '' && info.resource === 'namespaces'
    const nsFinalizers = isNs ? ((current.spec as Json | undefined)?.finalizers ?? []) as string[] : []
    if (isNs && nsFinalizers.length > 0) {
      const next: KubeObject = clone(current)
      next.metadata.deletionTimestamp ??= rfc3339(ctx.clock.now())
      next.metadata.deletionGracePeriodSeconds ??= 0
      next.metadata.finalizers = finalizers
      if (finalizers.length === 0) delete next.metadata.finalizers
      next.status = { ...(next.status as Json | undefined), phase: 'Terminating' }
      const r = await mark(next)
      if (r === undefined) continue
      return r
    }
    if (finalizers.length === 0 && grace === 0) {
      if (options.dryRun === true) return deletedReply(req, current)
      try {
        const deleted = await ctx.storage.delete(info, current)
        return deletedReply(req, deleted)
      } catch (err) {
        if (retry(err)) continue
        throw err
      }
    }
    // Graceful: mark for deletion; the kubelet (pods) or the finalizer's owner finishes it.
    const next: KubeObject = clone(current)
    const now = ctx.clock.now()
    const existing = current.metadata.deletionTimestamp
    const shorter = existing === undefined || now + grace * 1000 < Date.parse(existing)
    if (shorter) {
      next.metadata.deletionTimestamp = rfc3339(now + grace * 1000)
      next.metadata.deletionGracePeriodSeconds = grace
    }
    next.metadata.finalizers = finalizers.length > 0 ? finalizers : undefined
    if (next.metadata.finalizers === undefined) delete next.metadata.finalizers
    const r = await mark(next)
    if (r === undefined) continue
    return r
  }
}

/**
 * DELETE on a collection (upstream's Store.DeleteCollection): list, delete each item (one gone
 * already is no error), and answer the list as read — the objects as they were before deletion,
 * not the per-item Status replies. A request with a limit deletes that one page, as upstream.
 */
export async function deleteCollection (ctx: ApiContext, req: ApiRequest): Promise<Reply<Record<string, unknown>>> {
  const page = await listPage(ctx, req)
  for (const item of page.items) {
    try {
      await deleteObject(ctx, { ...req, namespace: item.metadata.namespace, name: item.metadata.name, options: { ...req.options, preconditions: undefined } })
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404)) continue
      throw err
    }
  }
  return { status: 200, body: listOf(req.info, page.items, page.meta) }
}

export { conflict }
