/**
 * InterPodAffinity's required terms (interpodaffinity/filtering.go, v1.32). PreFilter counts per
 * topology pair (key=value of a node label):
 *  - existingAntiAffinity: existing pods whose required anti-affinity terms match the incoming pod;
 *  - affinity: existing pods matching ALL the incoming pod's required affinity terms;
 *  - antiAffinity: existing pods matching each of the incoming pod's required anti-affinity terms.
 * Filter, in order: affinity (the node must have every term's key and a matching pod in that
 * domain — unless no pod matches anywhere and the pod matches its own terms, so the first of a
 * group can land) → UnschedulableAndUnresolvable; the pod's anti-affinity → Unschedulable;
 * existing pods' anti-affinity → Unschedulable.
 */
import type { KubeObject } from '../../../api/object.ts'
import { type NodeInfo, type Snapshot, type Status, success, unresolvable, unschedulable } from '../../types.ts'
import type { Listers } from '../shared/options.ts'
import { addToPair, type AffinityTerm, hasRequiredAntiAffinity, namespaceLabels, pairKey, podAffinityTerms, type PodAffinityTerms, termMatches, type TopologyCounts } from './terms.ts'

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules"
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules"
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules"

export interface PreFilterState {
  existingAntiAffinityCounts: TopologyCounts
  affinityCounts: TopologyCounts
  antiAffinityCounts: TopologyCounts
  terms: PodAffinityTerms
  pod: KubeObject
  namespaceLabels: Record<string, string>
}

/** podMatchesAllAffinityTerms: false for no terms. */
export function podMatchesAllTerms (terms: AffinityTerm[], pod: KubeObject, listers: Listers): boolean {
  if (terms.length === 0) return false
  const ns = namespaceLabels(pod.metadata.namespace ?? '', listers)
  return terms.every((t) => termMatches(t, pod, ns))
}

/** Adds (delta ±1) what `existing` on `node` contributes to each count, as updateWithPod does. */
function countPod (s: PreFilterState, existing: KubeObject, node: KubeObject, delta: number, listers: Listers, which: { existingAnti: boolean, incoming: boolean }): void {
  if (which.existingAnti) {
    for (const t of podAffinityTerms(existing).requiredAntiAffinity) {
      if (termMatches(t, s.pod, s.namespaceLabels)) addToPair(s.existingAntiAffinityCounts, node, t.topologyKey, delta)
    }
  }
  if (!which.incoming) return
  if (podMatchesAllTerms(s.terms.requiredAffinity, existing, listers)) {
    for (const t of s.terms.requiredAffinity) addToPair(s.affinityCounts, node, t.topologyKey, delta)
  }
  const existingNs = namespaceLabels(existing.metadata.namespace ?? '', listers)
  for (const t of s.terms.requiredAntiAffinity) {
    if (termMatches(t, existing, existingNs)) addToPair(s.antiAffinityCounts, node, t.topologyKey, delta)
  }
}

/** PreFilter's counting over all nodes; undefined when nothing constrains the pod (Skip). */
export function computePreFilterState (pod: KubeObject, terms: PodAffinityTerms, snapshot: Snapshot, listers: Listers): PreFilterState | undefined {
  const s: PreFilterState = {
    existingAntiAffinityCounts: new Map(),
    affinityCounts: new Map(),
    antiAffinityCounts: new Map(),
    terms,
    pod,
    namespaceLabels: namespaceLabels(pod.metadata.namespace ?? '', listers),
  }
  for (const ni of snapshot.havePodsWithRequiredAntiAffinity()) {
    for (const { pod: existing } of ni.podsWithRequiredAntiAffinity) {
      if (hasRequiredAntiAffinity(existing)) countPod(s, existing, ni.node, 1, listers, { existingAnti: true, incoming: false })
    }
  }
  const incoming = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0
  if (s.existingAntiAffinityCounts.size === 0 && !incoming) return undefined
  if (incoming) {
    for (const ni of snapshot.nodes) for (const { pod: existing } of ni.pods) countPod(s, existing, ni.node, 1, listers, { existingAnti: false, incoming: true })
  }
  return s
}

/** AddPod/RemovePod: a copy of the state with `pod` counted (±1) on `node`. */
export function updatedState (s: PreFilterState, pod: KubeObject, node: KubeObject, delta: number, listers: Listers): PreFilterState {
  const copy: PreFilterState = {
    ...s,
    existingAntiAffinityCounts: new Map(s.existingAntiAffinityCounts),
    affinityCounts: new Map(s.affinityCounts),
    antiAffinityCounts: new Map(s.antiAffinityCounts),
  }
  countPod(copy, pod, node, delta, listers, { existingAnti: true, incoming: true })
  return copy
}

function satisfyPodAffinity (s: PreFilterState, node: KubeObject, listers: Listers): boolean {
  const labels = node.metadata.labels ?? {}
  let podsExist = true
  for (const t of s.terms.requiredAffinity) {
    if (!(t.topologyKey in labels)) return false // every topology key must be on the node
    if ((s.affinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey])) ?? 0) <= 0) podsExist = false
  }
  if (podsExist) return true
  // The first pod of a group with affinity to itself: no pod matches anywhere, but it matches its own terms.
  return s.affinityCounts.size === 0 && podMatchesAllTerms(s.terms.requiredAffinity, s.pod, listers)
}

function satisfyPodAntiAffinity (s: PreFilterState, node: KubeObject): boolean {
  if (s.antiAffinityCounts.size === 0) return true
  const labels = node.metadata.labels ?? {}
  return !s.terms.requiredAntiAffinity.some((t) => t.topologyKey in labels && (s.antiAffinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey])) ?? 0) > 0)
}

function satisfyExistingPodsAntiAffinity (s: PreFilterState, node: KubeObject): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true
  return !Object.entries(node.metadata.labels ?? {}).some(([k, v]) => (s.existingAntiAffinityCounts.get(pairKey(k, v)) ?? 0) > 0)
}

export function filterNode (s: PreFilterState, nodeInfo: NodeInfo, listers: Listers): Status {
  if (!satisfyPodAffinity(s, nodeInfo.node, listers)) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH)
  if (!satisfyPodAntiAffinity(s, nodeInfo.node)) return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH)
  if (!satisfyExistingPodsAntiAffinity(s, nodeInfo.node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH)
  return success()
}
