// Choosing victims on one node, as upstream's DefaultPreemption.SelectVictimsOnNode (v1.32):
// remove every lower-priority pod, check the preemptor fits, then put pods back ("reprieve"),
// PDB-violating ones first, most important first, keeping each one that still lets it fit.
import type { KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector, type LabelSelector } from '../../api/labels.ts'
import { addPod, removePod } from '../node-info.ts'
import { errorStatus, isSuccess, unresolvable, type CycleState, type NodeInfo, type PodInfo, type Snapshot, type Status } from '../types.ts'

type Json = Record<string, any>

/** Runs every filter plugin for `pod` on `nodeInfo` (upstream's RunFilterPluginsWithNominatedPods). */
export type FilterNodeFn = (state: CycleState, pod: KubeObject, nodeInfo: NodeInfo, snapshot: Snapshot) => Status

/**
 * Upstream's PreFilterExtensions (AddPod/RemovePod): plugins whose PreFilter precomputed state
 * from the pods on nodes (InterPodAffinity, PodTopologySpread) update it as victims come and go.
 * Plugins reading the NodeInfo directly (NodePorts, NodeResourcesFit) need nothing here.
 */
export interface PreFilterExtensions {
  addPod(state: CycleState, pod: KubeObject, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status
  removePod(state: CycleState, pod: KubeObject, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status
}

export const NO_VICTIMS = 'No preemption victims found for incoming pod'

/** corev1helpers.PodPriority: spec.priority, 0 when unset (admission normally fills it). */
export function defaultPodPriority (pod: KubeObject): number {
  const p = (pod.spec as Json | undefined)?.priority
  return typeof p === 'number' ? p : 0
}

/** util.GetPodStartTime: status.startTime, or now for pods not started yet (assumed, pending). */
export function podStartTime (pod: KubeObject, now: number): number {
  const t = (pod.status as Json | undefined)?.startTime
  const ms = typeof t === 'string' ? Date.parse(t) : NaN
  return Number.isNaN(ms) ? now : ms
}

/**
 * util.MoreImportantPod as a sort comparator: higher priority first, then the one that started
 * earlier (it has run longer). Array.prototype.sort is stable, so full ties keep node order.
 */
export function byImportance (podPriority: (p: KubeObject) => number, now: number): (a: KubeObject, b: KubeObject) => number {
  return (a, b) => {
    const pa = podPriority(a)
    const pb = podPriority(b)
    if (pa !== pb) return pb - pa
    return podStartTime(a, now) - podStartTime(b, now)
  }
}

/**
 * filterPodsWithPDBViolation: walking the pods in the given order, each PDB matching a pod (same
 * namespace, non-empty selector, pod not already in status.disruptedPods) spends one of its
 * status.disruptionsAllowed; a pod that takes any PDB below zero is "violating". Order is kept.
 * Example: a PDB allowing 1 disruption over pods a, b (in that order) → a non-violating, b violating.
 */
export function splitByPDBViolation<T> (items: T[], podOf: (item: T) => KubeObject, pdbs: KubeObject[]): { violating: T[], nonViolating: T[] } {
  const allowed = pdbs.map(pdb => Number((pdb.status as Json | undefined)?.disruptionsAllowed ?? 0))
  const selectors = pdbs.map(pdb => {
    try {
      return selectorFromLabelSelector((pdb.spec as Json | undefined)?.selector as LabelSelector | undefined)
    } catch {
      return undefined // an invalid selector matches nothing
    }
  })
  const violating: T[] = []
  const nonViolating: T[] = []
  for (const item of items) {
    const pod = podOf(item)
    const labels = pod.metadata.labels
    let violated = false
    if (labels !== undefined && Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        const selector = selectors[i]
        if (pdb.metadata.namespace !== pod.metadata.namespace) return
        if (selector === undefined || selector.empty() || !selector.matches(labels)) return
        const disrupted = (pdb.status as Json | undefined)?.disruptedPods as Record<string, unknown> | undefined
        if (disrupted !== undefined && Object.hasOwn(disrupted, pod.metadata.name ?? '')) return
        allowed[i]!--
        if (allowed[i]! < 0) violated = true
      })
    }
    if (violated) violating.push(item)
    else nonViolating.push(item)
  }
  return { violating, nonViolating }
}

export interface SelectVictimsInput {
  state: CycleState
  /** The preemptor. */
  pod: KubeObject
  /** A copy of the node's NodeInfo: pods are removed from and added back to it. */
  nodeInfo: NodeInfo
  snapshot: Snapshot
  filterNode: FilterNodeFn
  podPriority: (pod: KubeObject) => number
  pdbs: KubeObject[]
  /** Clock time, the start time of pods that have none yet. */
  now: number
  extensions?: PreFilterExtensions
}

export interface SelectVictimsResult {
  /** Most important first. */
  victims: KubeObject[]
  numPDBViolations: number
  status: Status
}

/** The minimal set of lower-priority pods to remove from the node for `pod` to fit. */
export function selectVictimsOnNode (input: SelectVictimsInput): SelectVictimsResult {
  const { state, pod, nodeInfo, snapshot, podPriority, extensions } = input
  const fail = (status: Status): SelectVictimsResult => ({ victims: [], numPDBViolations: 0, status })
  const filter = (): Status => {
    try {
      return input.filterNode(state, pod, nodeInfo, snapshot)
    } catch (err) {
      return errorStatus(err instanceof Error ? err.message : String(err))
    }
  }
  const take = (pi: PodInfo): Status => {
    removePod(nodeInfo, pi.pod)
    return extensions?.removePod(state, pod, pi, nodeInfo) ?? { code: 'Success', reasons: [] }
  }
  const putBack = (pi: PodInfo): Status => {
    addPod(nodeInfo, pi)
    return extensions?.addPod(state, pod, pi, nodeInfo) ?? { code: 'Success', reasons: [] }
  }

  const priority = podPriority(pod)
  const potential = nodeInfo.pods.filter(pi => podPriority(pi.pod) < priority)
  for (const pi of potential) {
    const s = take(pi)
    if (!isSuccess(s)) return fail(asError(s))
  }
  if (potential.length === 0) return fail(unresolvable(NO_VICTIMS))

  // Not fitting with every lower-priority pod gone: the node is no candidate, and its filter
  // status (e.g. the port still held by an equal-priority pod) goes into preemption's message.
  const alone = filter()
  if (!isSuccess(alone)) return fail(alone)

  const order = byImportance(podPriority, input.now)
  potential.sort((a, b) => order(a.pod, b.pod))
  const { violating, nonViolating } = splitByPDBViolation(potential, pi => pi.pod, input.pdbs)
  const victims: PodInfo[] = []
  const reprieve = (pi: PodInfo): { fits: boolean, error?: Status } => {
    let s = putBack(pi)
    if (!isSuccess(s)) return { fits: false, error: asError(s) }
    if (isSuccess(filter())) return { fits: true }
    s = take(pi)
    if (!isSuccess(s)) return { fits: false, error: asError(s) }
    victims.push(pi)
    return { fits: false }
  }
  let numPDBViolations = 0
  for (const pi of violating) {
    const r = reprieve(pi)
    if (r.error !== undefined) return fail(r.error)
    if (!r.fits) numPDBViolations++
  }
  for (const pi of nonViolating) {
    const r = reprieve(pi)
    if (r.error !== undefined) return fail(r.error)
  }
  // Violating victims were collected first: restore the importance order across both groups.
  if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => order(a.pod, b.pod))
  return { victims: victims.map(pi => pi.pod), numPDBViolations, status: { code: 'Success', reasons: [] } }
}

/** A failing extension is an error, not a rejection (upstream's status.AsError()). */
function asError (s: Status): Status {
  return s.code === 'Error' ? s : errorStatus(s.reasons.join(', '))
}

/** podTerminatingByPreemption: being deleted, with DisruptionTarget=True from the scheduler. */
export function terminatingByPreemption (pod: KubeObject): boolean {
  if (!pod.metadata.deletionTimestamp) return false
  const conditions = ((pod.status as Json | undefined)?.conditions ?? []) as Json[]
  const c = conditions.find(c => c.type === 'DisruptionTarget')
  return c !== undefined && c.status === 'True' && c.reason === 'PreemptionByScheduler'
}
