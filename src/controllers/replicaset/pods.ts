// Pod predicates the workload controllers share with upstream's podutil: active, ready,
// available (minReadySeconds), and ActivePodsWithRanks — the order in which a ReplicaSet picks
// pods to delete when it scales down (pkg/controller/controller_utils.go, v1.32, with the
// PodDeletionCost and LogarithmicScaleDown features on, as they are by default).
import type { KubeObject } from '../../api/object.ts'

type Json = Record<string, any>

export const spec = (o: KubeObject): Json => (o.spec ?? {}) as Json
export const status = (o: KubeObject): Json => (o.status ?? {}) as Json

/** Not Succeeded, not Failed, not terminating (controller.FilterActivePods / IsPodActive). */
export function isPodActive (pod: KubeObject): boolean {
  const phase = status(pod).phase
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined
}

export function readyCondition (pod: KubeObject): Json | undefined {
  // A plain loop: a ReplicaSet's sync looks at every pod it controls (10,000 per sync at most).
  const conditions = status(pod).conditions as Json[] | undefined
  if (conditions === undefined) return undefined
  for (let i = 0; i < conditions.length; i++) if (conditions[i].type === 'Ready') return conditions[i]
  return undefined
}

export function isPodReady (pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True'
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable: strictly before now). */
export function isPodAvailable (pod: KubeObject, minReadySeconds: number, now: number): boolean {
  return isAvailableFrom(readyCondition(pod), minReadySeconds, now)
}

/** Available, given the pod's Ready condition (found once by callers that also count readiness). */
export function isAvailableFrom (c: Json | undefined, minReadySeconds: number, now: number): boolean {
  if (c?.status !== 'True') return false
  if (minReadySeconds === 0) return true
  if (c.lastTransitionTime === undefined) return false
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 < now
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost'

function deletionCost (pod: KubeObject): number {
  const v = Number(pod.metadata.annotations?.[DELETION_COST] ?? 0)
  return Number.isInteger(v) ? v : 0
}

function maxRestarts (pod: KubeObject): number {
  return Math.max(0, ...((status(pod).containerStatuses ?? []) as Json[]).map(c => c.restartCount ?? 0))
}

const time = (t: unknown): number | undefined => typeof t === 'string' ? Date.parse(t) : undefined

/** logarithmicRankDiff: compare floor(log2(age in ns)) buckets, so near-equal ages tie. */
function logRankDiff (t1: number | undefined, t2: number | undefined, now: number): number {
  const rank = (t: number | undefined): number => {
    const d = t === undefined ? now * 1e6 : (now - t) * 1e6
    return d > 0 ? Math.floor(Math.log2(d)) : -1
  }
  return rank(t1) - rank(t2)
}

/**
 * Sort pods so the best candidates for deletion come first. `ranks` counts related pods on the
 * same node (a pod doubled up with its siblings goes first). Ties end by name, for determinism
 * where Go's unstable sort would pick arbitrarily.
 */
export function sortForDeletion (pods: KubeObject[], ranks: Map<KubeObject, number>, now: number): KubeObject[] {
  const cmp = (a: KubeObject, b: KubeObject): number => {
    const na = spec(a).nodeName ?? ''
    const nb = spec(b).nodeName ?? ''
    // 1. Unassigned < assigned.
    if ((na === '') !== (nb === '')) return na === '' ? -1 : 1
    // 2. Pending < Unknown < Running.
    const pa = PHASE_ORDINAL[status(a).phase] ?? 0
    const pb = PHASE_ORDINAL[status(b).phase] ?? 0
    if (pa !== pb) return pa - pb
    // 3. Not ready < ready.
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1
    // 4. Lower pod-deletion-cost < higher.
    if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b)
    // 5. Doubled up (more related pods on the node) < not.
    const ra = ranks.get(a) ?? 0
    const rb = ranks.get(b) ?? 0
    if (ra !== rb) return rb - ra
    // 6. Ready for a shorter time < longer (log buckets).
    if (isPodReady(a) && isPodReady(b)) {
      const d = logRankDiff(time(readyCondition(a)?.lastTransitionTime), time(readyCondition(b)?.lastTransitionTime), now)
      if (d !== 0) return d
    }
    // 7. More container restarts < fewer.
    if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a)
    // 8. Newer < older (log buckets), then name.
    const d = logRankDiff(time(a.metadata.creationTimestamp), time(b.metadata.creationTimestamp), now)
    if (d !== 0) return d
    const ca = time(a.metadata.creationTimestamp) ?? 0
    const cb = time(b.metadata.creationTimestamp) ?? 0
    if (ca !== cb) return cb - ca
    return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  }
  return [...pods].sort(cmp)
}
