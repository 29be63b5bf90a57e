// Node health as the node lifecycle controller tracks it (upstream's nodeHealthData and
// tryUpdateNodeHealth). Pure: given the cached Node and Lease, what was saved last pass and the
// time, it says whether the node went silent and what its conditions become.
//
// The heartbeat is observed, not read: probeTimestamp is the controller's own clock at the pass
// that first saw a new Ready lastHeartbeatTime or a later Lease renewTime (upstream does this to
// be immune to clock skew). A node is silent when now > probeTimestamp + grace, e.g. last renewal
// seen at the pass of 12:00:05 → grace 50 s → the pass of 12:01:00 (55 s later) marks it Unknown.
import { rfc3339 } from '../../api/object.ts'
import { condition, parseTime, type Condition, type Lease, type Node } from './types.ts'

export interface NodeHealth {
  probeTimestamp: number
  readyTransitionTimestamp: number
  /** The Ready condition last seen (upstream keeps the whole status; only Ready is read). */
  ready?: Condition
  /** renewTime (ms) of the Lease last seen. */
  leaseRenewTime?: number
}

export interface HealthConfig {
  /** nodeMonitorGracePeriod: silence tolerated from a node that has posted Ready. */
  gracePeriodMs: number
  /** nodeStartupGracePeriod: silence tolerated from a node that never posted Ready. */
  startupGracePeriodMs: number
}

export interface HealthResult {
  health: NodeHealth
  /** The Ready condition as the node had it (a fake Unknown one if it never posted). */
  observedReady: Condition
  /** The Ready condition after this pass; undefined if it never posted and is not overdue. */
  currentReady?: Condition
  /** Set when the status must be written: the node with its conditions turned Unknown, and the
   * health to keep once that write succeeded (`health` is kept if it fails). */
  update?: { node: Node, health: NodeHealth }
}

/** Conditions the controller turns Unknown; NetworkUnavailable is left to the network plugin. */
const MONITORED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']

export function tryUpdateNodeHealth (node: Node, lease: Lease | undefined, saved: NodeHealth | undefined, now: number, config: HealthConfig): HealthResult {
  const created = parseTime(node.metadata.creationTimestamp) ?? now
  const createdText = node.metadata.creationTimestamp ?? rfc3339(now)
  const currentReady = condition(node.status?.conditions, 'Ready')
  let health: NodeHealth | undefined = saved === undefined ? undefined : { ...saved }
  let observedReady: Condition
  let grace: number
  if (currentReady === undefined) {
    // Never posted: judge from creation, with the longer startup grace period.
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: createdText, lastTransitionTime: createdText }
    grace = config.startupGracePeriodMs
    if (health !== undefined) health.ready = undefined
    else health = { probeTimestamp: created, readyTransitionTimestamp: created }
  } else {
    observedReady = { ...currentReady }
    grace = config.gracePeriodMs
  }
  const savedReady = health?.ready
  const savedLease = health?.leaseRenewTime
  if (health === undefined || (savedReady === undefined && currentReady !== undefined) || (savedReady !== undefined && currentReady === undefined)) {
    // First sight (or the controller restarted): assume a heartbeat now.
    health = { probeTimestamp: now, readyTransitionTimestamp: now, ready: currentReady }
  } else if (savedReady !== undefined && currentReady !== undefined && savedReady.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
    const transitioned = savedReady.lastTransitionTime !== currentReady.lastTransitionTime
    // As upstream, a fresh record: the saved lease is dropped and re-read below.
    health = { probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : health.readyTransitionTimestamp, ready: currentReady }
  }
  // A renewed Lease is a heartbeat too (the kubelet renews it every 10 s, status only on change or every 5 min).
  const renew = parseTime(lease?.spec?.renewTime)
  if (lease !== undefined && (savedLease === undefined || (renew !== undefined && savedLease < renew))) {
    health.leaseRenewTime = renew ?? 0
    health.probeTimestamp = now
  }
  if (now <= health.probeTimestamp + grace) return { health, observedReady, currentReady }

  const nowText = rfc3339(now)
  const conditions = (node.status?.conditions ?? []).map(c => ({ ...c }))
  for (const type of MONITORED) {
    const c = conditions.find(c => c.type === type)
    if (c === undefined) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: createdText, lastTransitionTime: nowText })
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowText })
    }
  }
  const ready = conditions.find(c => c.type === 'Ready')!
  if (sameCondition(ready, observedReady)) return { health, observedReady, currentReady: ready }
  return {
    health,
    observedReady,
    currentReady: ready,
    update: {
      node: { ...node, status: { ...node.status, conditions } },
      health: { probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, ready, leaseRenewTime: lease === undefined ? undefined : (renew ?? 0) },
    },
  }
}

function sameCondition (a: Condition, b: Condition): boolean {
  const fields = ['type', 'status', 'reason', 'message', 'lastHeartbeatTime', 'lastProbeTime', 'lastTransitionTime'] as const
  return fields.every(f => (a[f] ?? '') === (b[f] ?? ''))
}
