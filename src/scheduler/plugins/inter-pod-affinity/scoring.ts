/**
 * InterPodAffinity's preferences (interpodaffinity/scoring.go, v1.32). For each existing pod, on
 * its node's topology domain: + weight for each of the incoming pod's preferred affinity terms it
 * matches, − weight for each preferred anti-affinity term; + hardPodAffinityWeight (default 1) for
 * each of its required affinity terms the incoming pod matches, ± weight for its preferred
 * (anti-)affinity terms the incoming pod matches. A node scores the sum over its labels' domains;
 * normalization maps [min, max] linearly onto 0–100 (truncated), all equal → 0.
 */
import type { KubeObject } from '../../../api/object.ts'
import { MAX_NODE_SCORE, type NodeScores, type Snapshot } from '../../types.ts'
import type { Listers } from '../shared/options.ts'
import { type AffinityTerm, hasPodAffinity, namespaceLabels, podAffinityTerms, type PodAffinityTerms, termMatches } from './terms.ts'

/** topologyKey → topology value → score. */
export type TopologyScore = Map<string, Map<string, number>>

export interface ScoringArgs { hardPodAffinityWeight: number, ignorePreferredTermsOfExistingPods: boolean }

function processTerm (m: TopologyScore, t: AffinityTerm, weight: number, pod: KubeObject, nsLabels: Record<string, string>, node: KubeObject, multiplier: number): void {
  if (!termMatches(t, pod, nsLabels)) return
  const labels = node.metadata.labels ?? {}
  if (!(t.topologyKey in labels)) return
  let byValue = m.get(t.topologyKey)
  if (byValue === undefined) m.set(t.topologyKey, byValue = new Map())
  const v = labels[t.topologyKey]
  byValue.set(v, (byValue.get(v) ?? 0) + weight * multiplier)
}

/** The topology scores for the incoming pod; undefined when nothing contributes (PreScore returns Skip). */
export function computeTopologyScore (pod: KubeObject, incoming: PodAffinityTerms, snapshot: Snapshot, args: ScoringArgs, listers: Listers): TopologyScore | undefined {
  const hasConstraints = incoming.preferredAffinity.length > 0 || incoming.preferredAntiAffinity.length > 0
  // Without terms of its own, only nodes holding pods with affinity can contribute.
  const allNodes = hasConstraints ? snapshot.nodes : snapshot.havePodsWithAffinity()
  if (allNodes.length === 0) return undefined
  const podNs = namespaceLabels(pod.metadata.namespace ?? '', listers)
  const m: TopologyScore = new Map()
  for (const ni of allNodes) {
    const node = ni.node
    if (Object.keys(node.metadata.labels ?? {}).length === 0) continue
    // Without terms of its own, only existing pods with affinity can contribute (upstream's
    // PodsWithAffinity list): the rest are not looked at.
    for (const { pod: existing } of hasConstraints ? ni.pods : ni.podsWithAffinity) {
      if (!hasConstraints && !hasPodAffinity(existing)) continue
      const existingNs = namespaceLabels(existing.metadata.namespace ?? '', listers)
      for (const t of incoming.preferredAffinity) processTerm(m, t, t.weight, existing, existingNs, node, 1)
      for (const t of incoming.preferredAntiAffinity) processTerm(m, t, t.weight, existing, existingNs, node, -1)
      const theirs = podAffinityTerms(existing)
      if (args.hardPodAffinityWeight > 0) for (const t of theirs.requiredAffinity) processTerm(m, t, args.hardPodAffinityWeight, pod, podNs, node, 1)
      for (const t of theirs.preferredAffinity) processTerm(m, t, t.weight, pod, podNs, node, 1)
      for (const t of theirs.preferredAntiAffinity) processTerm(m, t, t.weight, pod, podNs, node, -1)
    }
  }
  return m.size === 0 ? undefined : m
}

export function scoreNode (m: TopologyScore, node: KubeObject): number {
  const labels = node.metadata.labels ?? {}
  let score = 0
  for (const [key, byValue] of m) if (key in labels) score += byValue.get(labels[key]) ?? 0
  return score
}

/** NormalizeScore: (s − min) / (max − min) × 100, truncated; 0 everywhere when all are equal. */
export function normalizeScores ({ scores }: NodeScores): void {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] > max) max = scores[i]
    if (scores[i] < min) min = scores[i]
  }
  const diff = max - min
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0
}
