// Deployment status, pure (pkg/controller/deployment/sync.go calculateStatus and util's
// condition helpers): the counts summed over the ReplicaSets, the Available condition, and the
// predicates that drive the Progressing condition.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import { maxUnavailable, replicas, status, sumReplicas, sumStatus } from './util.ts'

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  lastUpdateTime: string
  lastTransitionTime: string
  reason: string
  message: string
}

export interface DeploymentStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  unavailableReplicas?: number
  conditions?: Condition[]
  collisionCount?: number
}

export const AVAILABLE = 'Available'
export const PROGRESSING = 'Progressing'

export function newCondition (type: string, s: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now)
  return { type, status: s, lastUpdateTime: t, lastTransitionTime: t, reason, message }
}

export const getCondition = (st: DeploymentStatus, type: string): Condition | undefined => st.conditions?.find(c => c.type === type)

/** SetDeploymentCondition: same status and reason is no change; a new one goes last. */
export function setCondition (st: DeploymentStatus, c: Condition): void {
  const cur = getCondition(st, c.type)
  if (cur !== undefined && cur.status === c.status && cur.reason === c.reason) return
  const next = { ...c }
  if (cur !== undefined && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime
  st.conditions = [...(st.conditions ?? []).filter(x => x.type !== c.type), next]
}

export function removeCondition (st: DeploymentStatus, type: string): void {
  st.conditions = (st.conditions ?? []).filter(c => c.type !== type)
}

/** calculateStatus: the counts over all ReplicaSets, conditions carried over, Available set. */
export function computeStatus (all: readonly KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now: number): DeploymentStatus {
  const available = sumStatus(all, 'availableReplicas')
  const st: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(all, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumReplicas(all) - available),
    conditions: ((status(d).conditions ?? []) as Condition[]).map(c => ({ ...c })),
  }
  if (status(d).collisionCount !== undefined) st.collisionCount = status(d).collisionCount
  if (available >= replicas(d) - maxUnavailable(d)) {
    setCondition(st, newCondition(AVAILABLE, 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now))
  } else {
    setCondition(st, newCondition(AVAILABLE, 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now))
  }
  return omitZeros(st)
}

/** Go's omitempty on the integer fields. */
export function omitZeros (st: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {}
  for (const [k, v] of Object.entries(st)) {
    if (v === 0 || v === undefined || (Array.isArray(v) && v.length === 0)) continue
    ;(out as Record<string, unknown>)[k] = v
  }
  return out
}

export const hasProgressDeadline = (d: KubeObject): boolean => {
  const s = (d.spec as { progressDeadlineSeconds?: number } | undefined)?.progressDeadlineSeconds
  return s !== undefined && s !== null && s !== 2147483647
}

/** DeploymentComplete: every replica updated and available, the spec observed. */
export function deploymentComplete (d: KubeObject, st: DeploymentStatus): boolean {
  const n = replicas(d)
  return (st.updatedReplicas ?? 0) === n && (st.replicas ?? 0) === n && (st.availableReplicas ?? 0) === n &&
    (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing (d: KubeObject, st: DeploymentStatus): boolean {
  const old = status(d) as DeploymentStatus
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0)
  return (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld ||
    (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime. */
export function deploymentTimedOut (d: KubeObject, st: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false
  const c = getCondition(st, PROGRESSING)
  if (c === undefined || c.reason === 'NewReplicaSetAvailable') return false
  if (c.reason === 'ProgressDeadlineExceeded') return true
  const deadline = (d.spec as { progressDeadlineSeconds: number }).progressDeadlineSeconds * 1000
  return Date.parse(c.lastUpdateTime) + deadline < now
}

