/**
 * PodTopologySpread's soft constraints (ScheduleAnyway), podtopologyspread/scoring.go v1.32.
 * A node's raw score is Σ over constraints of count × log(domains + 2) + (maxSkew − 1), where count
 * is the matching pods in the node's domain (for hostname: on the node itself) and domains is the
 * number of topology values among the filtered nodes; rounded. Normalization inverts it:
 * 100 × (max + min − s) / max, so the emptiest domain gets 100. With the system defaults, nodes
 * lacking the zone label are still scored by hostname; with explicit constraints a node missing a
 * key scores 0.
 */
import type { KubeObject } from '../../../api/object.ts'
import type { NodeInfo, NodeScores, Snapshot } from '../../types.ts'
import { MAX_NODE_SCORE } from '../../types.ts'
import { requiredNodeAffinity } from '../shared/node-selector.ts'
import { type DomainCounts, type DomainSums, NOT_COUNTED } from './domain-counts.ts'
import { countMatchingOnNode, LABEL_HOSTNAME, matchMemoKey, matchNodeInclusionPolicies, nodeHasAllTopologyKeys, type SpreadConstraint } from './constraints.ts'

export interface PreScoreState {
  constraints: SpreadConstraint[]
  /** Filtered nodes missing a required topology key: not scored. */
  ignoredNodes: Set<string>
  /** Per constraint (non-hostname): topology value → matching pods over all nodes. */
  topologyValueToPodCounts: Array<Map<string | undefined, number>>
  topologyNormalizingWeight: number[]
  /** Per constraint, countMatchingOnNode's memo key for the pod's namespace and the selector. */
  memoKeys: string[]
  /** Per hostname constraint, when kept sums are at hand: matching pods per node (countOn). */
  nodeCounts: Array<DomainSums | undefined>
}

/** log(size + 2): the weight of a topology with `size` values among the filtered nodes. */
export const topologyNormalizingWeight = (size: number): number => Math.log(size + 2)

export const scoreForCount = (count: number, maxSkew: number, weight: number): number => count * weight + (maxSkew - 1)

/**
 * initPreScoreState + PreScore's counting over all nodes. With `sums` (kept sums over every node,
 * and the snapshot they follow), constraints where every node counts read their domains' sums
 * from there instead of visiting every node.
 */
export function computePreScoreState (pod: KubeObject, constraints: SpreadConstraint[], filteredNodes: NodeInfo[], allNodes: NodeInfo[], requireAllTopologies: boolean, sums?: { counts: DomainCounts, snapshot: Snapshot }): PreScoreState {
  const required = requiredNodeAffinity(pod)
  const ns = pod.metadata.namespace ?? ''
  const memoKeys = constraints.map(c => matchMemoKey(c.selector, ns))
  // Every node counts when none is skipped for lacking another constraint's key and no inclusion
  // policy can exclude one (Honor nodeAffinity excludes nothing for a pod without required
  // affinity): then the kept sums answer, per topology value and per node.
  const noSkips = !requireAllTopologies || constraints.length === 1
  const kept = constraints.map((c, i) => {
    const everyNode = noSkips && c.nodeTaintsPolicy === 'Ignore' && (c.nodeAffinityPolicy === 'Ignore' || !required.constrains)
    if (sums === undefined) return undefined
    if (c.topologyKey === LABEL_HOSTNAME) return sums.counts.onNodes(sums.snapshot, c.selector, ns, memoKeys[i])
    return everyNode ? sums.counts.totals(sums.snapshot, c.topologyKey, c.selector, ns, memoKeys[i]) : undefined
  })

  const ignoredNodes = new Set<string>()
  const counts = constraints.map(() => new Map<string | undefined, number>())
  for (const ni of filteredNodes) {
    if (requireAllTopologies && !nodeHasAllTopologyKeys(ni.node.metadata.labels ?? {}, constraints)) {
      ignoredNodes.add(ni.name)
      continue
    }
    // A plain loop: a closure per node and pod was 6 % of all allocation in a 10,000-pod Deployment.
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]
      if (c.topologyKey === LABEL_HOSTNAME) continue // counted per node in Score
      // The kept sums know each node's value: a node's label map is a few objects away (a cache miss).
      const sumsOf = kept[i]
      const known = sumsOf === undefined ? NOT_COUNTED : sumsOf.valueOn(ni)
      const value = known === NOT_COUNTED ? (ni.node.metadata.labels ?? {})[c.topologyKey] : known
      if (!counts[i].has(value)) counts[i].set(value, 0)
    }
  }
  const weights = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - ignoredNodes.size : counts[i].size))

  // The loop below runs over every node for every pod scheduled, so it does only what counts:
  // constraints with a candidate domain and no kept sums (hostname never: counted per node in
  // Score), the domain looked up before the inclusion policies (both merely skip).
  const active: number[] = []
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]
    if (c.topologyKey === LABEL_HOSTNAME || counts[i].size === 0) continue
    const totals = kept[i]?.totals
    if (totals === undefined) { active.push(i); continue }
    for (const value of counts[i].keys()) counts[i].set(value, totals.get(value) ?? 0)
  }
  if (active.length > 0) {
    for (const ni of allNodes) {
      const labels = ni.node.metadata.labels ?? {}
      if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue
      for (let j = 0; j < active.length; j++) {
        const i = active[j]
        const c = constraints[i]
        const value = labels[c.topologyKey]
        const cur = counts[i].get(value)
        if (cur === undefined) continue // not a candidate's domain
        if (!matchNodeInclusionPolicies(c, pod, ni.node, required)) continue
        counts[i].set(value, cur + countMatchingOnNode(ni, c.selector, ns, memoKeys[i]))
      }
    }
  }
  const nodeCounts = constraints.map((c, i) => (c.topologyKey === LABEL_HOSTNAME ? kept[i] : undefined))
  return { constraints, ignoredNodes, topologyValueToPodCounts: counts, topologyNormalizingWeight: weights, memoKeys, nodeCounts }
}

export function scoreNode (s: PreScoreState, pod: KubeObject, nodeInfo: NodeInfo): number {
  if (s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodeInfo.name)) return 0
  const labels = nodeInfo.node.metadata.labels ?? {}
  let score = 0
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]
    if (!(c.topologyKey in labels)) continue
    const count = c.topologyKey !== LABEL_HOSTNAME
      ? s.topologyValueToPodCounts[i].get(labels[c.topologyKey]) ?? 0
      : s.nodeCounts[i]?.countOn(nodeInfo) ?? countMatchingOnNode(nodeInfo, c.selector, pod.metadata.namespace ?? '', s.memoKeys[i])
    score += scoreForCount(count, c.maxSkew, s.topologyNormalizingWeight[i])
  }
  return Math.round(score)
}

/** NormalizeScore: ignored nodes 0; all-zero → 100; else 100 × (max + min − s) / max (integer division). */
export function normalizeScores (s: PreScoreState, list: NodeScores): void {
  const scores = list.scores
  const ignored = s.ignoredNodes.size > 0
  // The names only when some node is ignored (reading them reaches every node's NodeInfo).
  const names = ignored ? list.names : []
  let min = Number.MAX_SAFE_INTEGER
  let max = 0
  for (let i = 0; i < scores.length; i++) {
    if (ignored && s.ignoredNodes.has(names[i])) continue
    if (scores[i] < min) min = scores[i]
    if (scores[i] > max) max = scores[i]
  }
  for (let i = 0; i < scores.length; i++) {
    if (ignored && s.ignoredNodes.has(names[i])) scores[i] = 0
    else if (max === 0) scores[i] = MAX_NODE_SCORE
    else scores[i] = Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max)
  }
}
