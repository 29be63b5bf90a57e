// calculateStatus (pkg/controller/replicaset/replica_set_utils.go), pure: counts over the
// active pods the ReplicaSet controls. Zero counts are omitted, as Go's omitempty does.
import type { KubeObject } from '../../api/object.ts'
import { PodFactsCache } from './pod-facts.ts'
import { isAvailableFrom, isPodAvailable, spec, status } from './pods.ts'

export interface ReplicaSetStatus {
  replicas: number
  fullyLabeledReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  observedGeneration?: number
  conditions?: Array<Record<string, unknown>>
}

/**
 * `manageError`: the error of this sync's creates/deletes, if any (ReplicaFailure condition).
 * `facts`: what is remembered of the pods from earlier syncs (pod-facts.ts).
 */
export function computeStatus (rs: KubeObject, pods: readonly KubeObject[], now: number, manageError?: { reason: string, message: string }, facts = new PodFactsCache()): ReplicaSetStatus {
  const templateLabels = facts.templateSelector(spec(rs).template?.metadata?.labels)
  const minReadySeconds: number = spec(rs).minReadySeconds ?? 0
  let fully = 0
  let ready = 0
  let available = 0
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]
    const f = facts.of(pod)
    if (facts.fullyLabeled(pod, f, templateLabels)) fully++
    const c = f.ready
    if (c?.status !== 'True') continue
    ready++
    if (isAvailableFrom(c, minReadySeconds, now)) available++
  }
  const out: ReplicaSetStatus = { replicas: pods.length }
  if (fully > 0) out.fullyLabeledReplicas = fully
  if (ready > 0) out.readyReplicas = ready
  if (available > 0) out.availableReplicas = available
  if (rs.metadata.generation !== undefined && rs.metadata.generation > 0) out.observedGeneration = rs.metadata.generation
  let conditions = ((status(rs).conditions ?? []) as Array<Record<string, unknown>>).map(c => ({ ...c }))
  const failure = conditions.find(c => c.type === 'ReplicaFailure')
  if (manageError !== undefined && failure === undefined) {
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'), ...manageError })
  } else if (manageError === undefined && failure !== undefined) {
    conditions = conditions.filter(c => c.type !== 'ReplicaFailure')
  }
  if (conditions.length > 0) out.conditions = conditions
  return out
}

/** Whether the stored status already says this (updateReplicaSetStatus's early return). */
export function statusEqual (rs: KubeObject, next: ReplicaSetStatus): boolean {
  const cur = status(rs)
  return (cur.replicas ?? 0) === next.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (cur.observedGeneration ?? 0) === (next.observedGeneration ?? 0) &&
    JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? [])
}

/**
 * Milliseconds until the first ready-but-not-yet-available pod becomes available. Upstream
 * requeues after exactly minReadySeconds, which in virtual time lands on the instant that is
 * not yet "strictly after" the deadline; we requeue one millisecond past it instead.
 */
export function nextAvailableIn (pods: readonly KubeObject[], minReadySeconds: number, now: number): number {
  let next = minReadySeconds * 1000
  for (const pod of pods) {
    const c = ((status(pod).conditions ?? []) as Array<Record<string, any>>).find(c => c.type === 'Ready')
    if (c?.status !== 'True' || isPodAvailable(pod, minReadySeconds, now) || c.lastTransitionTime === undefined) continue
    next = Math.min(next, Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 + 1 - now)
  }
  return Math.max(1, next)
}
