// Subresources: scale (autoscaling/v1 Scale over spec.replicas), pods/binding, pods/eviction
// (honouring PodDisruptionBudgets) and namespaces/finalize.
import { clone, rfc3339, type KubeObject } from '../../api/object.ts'
import { badRequest, conflict, StatusError } from '../errors.ts'
import type { ApiRequest, Reply } from '../request.ts'
import { buildMatcherFromSelector } from '../selectors.ts'
import { formatLabelSelector, type LabelSelector } from '../../api/labels.ts'
import type { ApiContext } from './context.ts'
import { deleteObject } from './delete.ts'
import { managerOf } from './field-manager.ts'
import { bodyObject } from './prepare.ts'
import { updateObject } from './write.ts'

type Json = Record<string, any>

export const successStatus = (code = 201): Record<string, unknown> => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code })

/** Where a custom resource keeps its replicas (the CRD's scale subresource), as JSON paths. */
export interface ScalePaths { specReplicasPath: string, statusReplicasPath: string, labelSelectorPath?: string }

const BUILTIN_SCALE: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' }

function at (obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const seg of path.split('.').filter(p => p !== '')) cur = cur !== null && typeof cur === 'object' ? (cur as Json)[seg] : undefined
  return cur
}

function setAt (obj: Json, path: string, value: unknown): void {
  const segs = path.split('.').filter(p => p !== '')
  let cur = obj
  for (const seg of segs.slice(0, -1)) cur = (cur[seg] ??= {})
  cur[segs[segs.length - 1]] = value
}

/** The Scale view of a workload: replicas and the selector as a string (autoscaling/v1 Scale). */
export function toScale (req: ApiRequest, obj: KubeObject, paths: ScalePaths = BUILTIN_SCALE): KubeObject {
  let selector = ''
  if (req.info.custom === true) {
    selector = paths.labelSelectorPath === undefined ? '' : String(at(obj, paths.labelSelectorPath) ?? '')
  } else {
    const sel = (obj.spec as Json | undefined)?.selector as Json | undefined
    // ReplicationControllers have a plain map as selector; the rest a LabelSelector.
    selector = sel === undefined ? '' : sel.matchLabels !== undefined || sel.matchExpressions !== undefined
      ? formatLabelSelector(sel as LabelSelector) : Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')
  }
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: at(obj, paths.specReplicasPath) ?? 0 },
    status: { replicas: at(obj, paths.statusReplicasPath) ?? 0, selector },
  }
}

/**
 * PUT/PATCH of …/scale: the new Scale (from the workload's current one, at each attempt) gives
 * its spec.replicas to the workload's spec. `expect`: the resourceVersion the request named, a
 * precondition (a PUT's body; a patch's own metadata.resourceVersion).
 */
export async function updateScale (ctx: ApiContext, req: ApiRequest, next: (current: KubeObject) => unknown, expect: unknown): Promise<Reply> {
  const paths = ctx.scalePaths(req.info) ?? BUILTIN_SCALE
  const r = await updateObject(ctx, { ...req, subresource: undefined }, current => {
    const scale = next(toScale(req, current, paths)) as Json | undefined
    const replicas = scale?.spec?.replicas
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new StatusError(422, 'Invalid', `Scale.autoscaling "${req.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        { name: req.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }] })
    }
    const out = clone(current)
    setAt(out, paths.specReplicasPath, replicas)
    return out
  }, { expectRevision: typeof expect === 'string' && expect !== '' ? expect : undefined, manager: managerOf(req), admissionSubresource: 'scale' })
  return { status: 200, body: toScale(req, r.body, paths), warnings: r.warnings }
}

/**
 * POST pods/<name>/binding: the scheduler's write. Sets spec.nodeName of an unbound pod and its
 * PodScheduled condition, as upstream's BindingREST does (not an ordinary pod update: a pod's
 * spec is otherwise immutable).
 */
export async function bindPod (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  const binding = req.body as Json
  const node = binding?.target?.name
  if (typeof node !== 'string' || node === '') throw badRequest('Binding.target.name is required')
  if (req.options.dryRun === true) return { status: 201, body: successStatus() }
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.storage.get(req.info, req.namespace, req.name!)
    const spec = current.spec as Json
    if (current.metadata.deletionTimestamp !== undefined) throw conflict(req.info, req.name!, 'pod is being deleted, cannot be assigned to a host')
    if (spec.nodeName) throw conflict(req.info, req.name!, `pod ${req.name} is already assigned to node "${spec.nodeName}"`)
    // Only spec.nodeName and status.conditions change: new containers for those; the rest is
    // shared with the stored (frozen) object, which the store only reads.
    const status = (current.status ?? {}) as Json
    const conditions = (status.conditions ?? []).filter((c: Json) => c.type !== 'PodScheduled')
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.clock.now()) })
    const next = { ...current, spec: { ...spec, nodeName: node }, status: { ...status, conditions } }
    try {
      await ctx.storage.update(req.info, next, Number(current.metadata.resourceVersion))
      return { status: 201, body: successStatus() }
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'Conflict' && attempt < 10) continue
      throw err
    }
  }
}

/** POST pods/<name>/eviction: delete the pod unless a PodDisruptionBudget forbids it. */
export async function evictPod (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  const pod = await ctx.storage.get(req.info, req.namespace, req.name!)
  const pdbInfo = ctx.index.lookup('policy', 'v1', 'poddisruptionbudgets')!
  const { items } = await ctx.storage.list(pdbInfo, req.namespace)
  for (const pdb of items) {
    const matches = buildMatcherFromSelector((pdb.spec as Json)?.selector)
    if (!matches(pod)) continue
    const allowed = (pdb.status as Json | undefined)?.disruptionsAllowed ?? 0
    if (allowed < 1) {
      throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.',
        { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${(pdb.status as Json | undefined)?.desiredHealthy ?? 0} healthy pods and has ${(pdb.status as Json | undefined)?.currentHealthy ?? 0} currently` }] })
    }
  }
  const options = (req.body as Json | undefined)?.deleteOptions ?? {}
  await deleteObject(ctx, { ...req, verb: 'delete', subresource: undefined, options: { ...req.options, gracePeriodSeconds: options.gracePeriodSeconds ?? req.options.gracePeriodSeconds } })
  return { status: 201, body: successStatus() }
}

/** PUT namespaces/<name>/finalize: only spec.finalizers changes. */
export async function finalizeNamespace (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  const body = bodyObject(ctx, req)
  const r = await updateObject(ctx, { ...req, subresource: undefined }, current => {
    (current.spec as Json).finalizers = (body.spec as Json | undefined)?.finalizers ?? []
    return current
  }, { manager: managerOf(req), admissionSubresource: 'finalize' })
  return r
}
