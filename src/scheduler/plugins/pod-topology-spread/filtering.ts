/**
 * PodTopologySpread's hard constraints (DoNotSchedule), podtopologyspread/filtering.go v1.32.
 * PreFilter counts, per constraint and topology value, the matching pods on eligible nodes (nodes
 * having every constraint's topology key and passing the node inclusion policies). Filter admits a
 * node when, for every constraint, matching pods in its domain + 1 (if the pod matches its own
 * selector) − the global minimum ≤ maxSkew; the minimum is 0 while fewer than minDomains domains exist.
 * Example: zone A has 2 matching pods, zone B 0, maxSkew 1 → a node in A gives 2 + 1 − 0 = 3 > 1.
 */
import type { KubeObject } from '../../../api/object.ts'
import type { NodeInfo, Status } from '../../types.ts'
import { success, unresolvable, unschedulable } from '../../types.ts'
import { requiredNodeAffinity } from '../shared/node-selector.ts'
import { countMatchingOnNode, matchNodeInclusionPolicies, nodeHasAllTopologyKeys, type SpreadConstraint } from './constraints.ts'

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`

const MAX_INT32 = 2147483647

/** Two paths with the fewest matching pods per constraint (upstream criticalPaths; [0] is the minimum). */
export type CriticalPaths = [{ value: string, matchNum: number }, { value: string, matchNum: number }]

export interface PreFilterState {
  constraints: SpreadConstraint[]
  criticalPaths: CriticalPaths[]
  /** Per constraint: topology value → matching pods. */
  tpValueToMatchNum: Array<Map<string, number>>
}

const newCriticalPaths = (): CriticalPaths => [{ value: '', matchNum: MAX_INT32 }, { value: '', matchNum: MAX_INT32 }]

/** criticalPaths.update, verbatim (including its imprecision about the second path). */
export function updateCriticalPaths (p: CriticalPaths, value: string, num: number): void {
  const existing = value === p[0].value ? p[0] : value === p[1].value ? p[1] : undefined
  if (existing !== undefined) {
    existing.matchNum = num
    if (p[0].matchNum > p[1].matchNum) [p[0], p[1]] = [p[1], p[0]]
  } else if (num < p[0].matchNum) {
    p[1] = { ...p[0] }
    p[0] = { value, matchNum: num }
  } else if (num < p[1].matchNum) {
    p[1] = { value, matchNum: num }
  }
}

/** calPreFilterState over all nodes. */
export function computePreFilterState (pod: KubeObject, constraints: SpreadConstraint[], allNodes: NodeInfo[]): PreFilterState {
  const tpValueToMatchNum = constraints.map(() => new Map<string, number>())
  const required = requiredNodeAffinity(pod)
  const ns = pod.metadata.namespace ?? ''
  for (const ni of allNodes) {
    const labels = ni.node.metadata.labels ?? {}
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, ni.node, required)) return
      const value = labels[c.topologyKey]
      const m = tpValueToMatchNum[i]
      m.set(value, (m.get(value) ?? 0) + countMatchingOnNode(ni, c.selector, ns))
    })
  }
  const criticalPaths = tpValueToMatchNum.map((m) => {
    const p = newCriticalPaths()
    for (const [value, num] of m) updateCriticalPaths(p, value, num)
    return p
  })
  return { constraints, criticalPaths, tpValueToMatchNum }
}

/** minMatchNum: the global minimum, 0 while fewer than minDomains domains exist. */
function minMatchNum (s: PreFilterState, i: number): number {
  return s.tpValueToMatchNum[i].size < s.constraints[i].minDomains ? 0 : s.criticalPaths[i][0].matchNum
}

export function filterNode (s: PreFilterState, pod: KubeObject, nodeInfo: NodeInfo): Status {
  const labels = nodeInfo.node.metadata.labels ?? {}
  const podLabels = pod.metadata.labels ?? {}
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]
    if (!(c.topologyKey in labels)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
    const selfMatch = c.selector.matches(podLabels) ? 1 : 0
    const skew = (s.tpValueToMatchNum[i].get(labels[c.topologyKey]) ?? 0) + selfMatch - minMatchNum(s, i)
    if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
  }
  return success()
}

/** updateWithPod for AddPod/RemovePod: a copy of the state with `updated` counted (delta ±1) on `node`. */
export function updatedState (s: PreFilterState, updated: KubeObject, preemptor: KubeObject, node: KubeObject, delta: number): PreFilterState {
  if ((updated.metadata.namespace ?? '') !== (preemptor.metadata.namespace ?? '')) return s
  const labels = node.metadata.labels ?? {}
  if (!nodeHasAllTopologyKeys(labels, s.constraints)) return s
  const copy: PreFilterState = {
    constraints: s.constraints,
    criticalPaths: s.criticalPaths.map((p) => [{ ...p[0] }, { ...p[1] }]),
    tpValueToMatchNum: s.tpValueToMatchNum.map((m) => new Map(m)),
  }
  const required = requiredNodeAffinity(preemptor)
  s.constraints.forEach((c, i) => {
    if (!c.selector.matches(updated.metadata.labels ?? {})) return
    if (!matchNodeInclusionPolicies(c, preemptor, node, required)) return
    const v = labels[c.topologyKey]
    const n = (copy.tpValueToMatchNum[i].get(v) ?? 0) + delta
    copy.tpValueToMatchNum[i].set(v, n)
    updateCriticalPaths(copy.criticalPaths[i], v, n)
  })
  return copy
}
