// syncReplicaSet and manageReplicas (pkg/controller/replicaset/replica_set.go, v1.32): claim
// the active pods, create or delete the difference (creates in slow-start batches 1, 2, 4, …,
// deletes of the best-ranked candidates), then write the status. Expectations keep a sync from
// acting again before the informer has seen its own writes.
import { clone, type KubeObject } from '../../api/object.ts'
import type { Selector } from '../../api/labels.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import { claim, controllerOf, controllerRef, isNotFound } from './controller-ref.ts'
import type { Expectations } from './expectations.ts'
import { PodFactsCache } from './pod-facts.ts'
import { isPodActive, sortForDeletion, spec } from './pods.ts'
import { computeStatus, nextAvailableIn, statusEqual } from './status.ts'

/** Upstream's BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500
export const SLOW_START_INITIAL_BATCH_SIZE = 1

export interface SyncDeps {
  expectations: Expectations
  recorder: EventRecorder
  /** What earlier syncs learned of the pods (a fresh cache when absent). */
  facts?: PodFactsCache
}

type Failure = { reason: string, message: string }

export async function syncReplicaSet (key: string, ctx: ControllerContext, deps: SyncDeps): Promise<void> {
  const rs = ctx.lister('replicasets').get(key)
  if (rs === undefined) { deps.expectations.delete(key); return }
  const needsSync = deps.expectations.satisfied(key)
  const facts = deps.facts ?? new PodFactsCache()
  const selector = facts.selector(spec(rs).selector)
  const namespace = rs.metadata.namespace
  // Upstream's FilterPodsByOwner: the pods this ReplicaSet controls plus the namespace's orphans
  // (by index, not a scan of every pod); the active ones (FilterActivePods) in claim's own pass.
  const podLister = ctx.lister('pods')
  const owned = podLister.controlledBy(rs.metadata.uid!)
  const orphans = podLister.orphans(namespace ?? '')
  const candidates = orphans.length === 0 ? owned : [...owned, ...orphans]
  const pods = claimedAsIs(rs, selector, candidates, facts) ??
    await claim({ client: ctx.client, owner: rs, selector, apiVersion: 'v1', kind: 'Pod', objects: candidates, keep: isPodActive })
  let failure: Failure | undefined
  let thrown: unknown
  if (needsSync && rs.metadata.deletionTimestamp === undefined) {
    try { failure = await manageReplicas(key, rs, pods, ctx, deps) } catch (err) { thrown = err }
  }
  const next = computeStatus(rs, pods, ctx.clock.now(), failure, facts)
  if (!statusEqual(rs, next)) await writeStatus(ctx, rs, next)
  const minReadySeconds: number = spec(rs).minReadySeconds ?? 0
  const replicas: number = spec(rs).replicas ?? 1
  if (failure === undefined && thrown === undefined && minReadySeconds > 0 &&
      (next.readyReplicas ?? 0) === replicas && (next.availableReplicas ?? 0) !== replicas) {
    ctx.enqueueAfter(key, nextAvailableIn(pods, minReadySeconds, ctx.clock.now()))
  }
  if (thrown !== undefined) throw thrown
  if (failure !== undefined) throw new Error(failure.message)
}

/**
 * What claim() returns when it has nothing to write (no orphan to adopt, no owned pod to
 * release), from the remembered facts; undefined when it has, and claim() must run.
 */
export function claimedAsIs (rs: KubeObject, selector: Selector, candidates: readonly KubeObject[], facts: PodFactsCache): KubeObject[] | undefined {
  const uid = rs.metadata.uid
  const deleting = rs.metadata.deletionTimestamp !== undefined
  const claimed: KubeObject[] = []
  for (let i = 0; i < candidates.length; i++) {
    const pod = candidates[i]
    const f = facts.of(pod)
    if (!f.active) continue
    if (f.controller !== undefined) {
      if (f.controller !== uid) continue
      if (facts.matches(pod, f, selector)) claimed.push(pod)
      else if (!deleting) return undefined
      continue
    }
    if (!deleting && facts.matches(pod, f, selector)) return undefined
  }
  return claimed
}

async function manageReplicas (key: string, rs: KubeObject, pods: KubeObject[], ctx: ControllerContext, deps: SyncDeps): Promise<Failure | undefined> {
  const diff = pods.length - (spec(rs).replicas ?? 1)
  if (diff < 0) {
    const want = Math.min(-diff, BURST_REPLICAS)
    deps.expectations.expectCreations(key, want)
    const { created, error } = await slowStartBatch(want, SLOW_START_INITIAL_BATCH_SIZE, () => createPod(rs, ctx, deps))
    // The creates that were never attempted will never be observed: lower the expectation.
    for (let i = created; i < want; i++) deps.expectations.creationObserved(key)
    return error === undefined ? undefined : { reason: 'FailedCreate', message: String((error as Error).message ?? error) }
  }
  if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS)
    const victims = podsToDelete(rs, pods, n, ctx)
    const keys = victims.map(p => `${p.metadata.namespace}/${p.metadata.name}`)
    deps.expectations.expectDeletions(key, keys)
    const errors = await Promise.all(victims.map(async (p, i) => {
      try {
        await ctx.client.delete('v1', 'Pod', p.metadata.namespace, p.metadata.name!)
        await deps.recorder.record(rs, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` })
        return undefined
      } catch (err) {
        deps.expectations.deletionObserved(key, keys[i])
        if (isNotFound(err)) return undefined
        await deps.recorder.record(rs, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${(err as Error).message}` })
        return err
      }
    }))
    const error = errors.find(e => e !== undefined)
    return error === undefined ? undefined : { reason: 'FailedDelete', message: (error as Error).message }
  }
  return undefined
}

/** Run `count` calls in batches of 1, 2, 4, …; stop after the first batch with a failure. */
export async function slowStartBatch (count: number, initial: number, fn: () => Promise<void>): Promise<{ created: number, error?: unknown }> {
  let remaining = count
  let created = 0
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()))
    created += results.filter(r => r.status === 'fulfilled').length
    const failed = results.find(r => r.status === 'rejected')
    if (failed !== undefined) return { created, error: (failed as PromiseRejectedResult).reason }
    remaining -= batch
  }
  return { created }
}

async function createPod (rs: KubeObject, ctx: ControllerContext, deps: SyncDeps): Promise<void> {
  const template = clone(spec(rs).template ?? {})
  const meta = template.metadata ?? {}
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ...(meta.labels === undefined ? {} : { labels: meta.labels }),
      ...(meta.annotations === undefined ? {} : { annotations: meta.annotations }),
      ...(meta.finalizers === undefined ? {} : { finalizers: meta.finalizers }),
      ownerReferences: [controllerRef(rs)],
    },
    spec: template.spec ?? {},
  }
  try {
    const created = await ctx.client.create(pod)
    await deps.recorder.record(rs, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${created.metadata.name}` })
  } catch (err) {
    // A terminating namespace refuses new pods; upstream does not count that as a failure.
    if ((err as { code?: number, message?: string }).code === 403 && /being terminated/.test((err as Error).message)) return
    await deps.recorder.record(rs, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${(err as Error).message}` })
    throw err
  }
}

/** getPodsToDelete: rank by how many pods of sibling ReplicaSets (same controller) share a node. */
function podsToDelete (rs: KubeObject, pods: KubeObject[], n: number, ctx: ControllerContext): KubeObject[] {
  if (n >= pods.length) return pods
  const owner = controllerOf(rs)
  const related = owner === undefined ? [] : ctx.lister('replicasets').controlledBy(owner.uid).filter(other => other.metadata.namespace === rs.metadata.namespace)
  const onNode = new Map<string, number>()
  for (const other of related) {
    for (const p of ctx.lister('pods').controlledBy(other.metadata.uid!)) {
      const node: string | undefined = spec(p).nodeName
      if (node) onNode.set(node, (onNode.get(node) ?? 0) + 1)
    }
  }
  const ranks = new Map(pods.map(p => [p, spec(p).nodeName ? onNode.get(spec(p).nodeName) ?? 0 : 0]))
  return sortForDeletion(pods, ranks, ctx.clock.now()).slice(0, n)
}

/** PUT the status, re-reading once on a conflict (upstream's statusUpdateRetries = 1). */
async function writeStatus (ctx: ControllerContext, rs: KubeObject, next: object): Promise<void> {
  let base: KubeObject = rs
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.update({ ...clone(base), status: next }, { subresource: 'status' })
      return
    } catch (err) {
      if (attempt >= 1 || isNotFound(err)) throw err
      base = await ctx.client.get('apps/v1', 'ReplicaSet', rs.metadata.namespace, rs.metadata.name!)
      if (base.metadata.generation !== rs.metadata.generation) throw err
    }
  }
}
