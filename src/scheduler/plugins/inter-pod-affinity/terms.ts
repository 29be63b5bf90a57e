/**
 * Pod (anti-)affinity terms as framework.PodInfo parses them (framework/types.go, v1.32).
 * A term selects pods by label selector within namespaces: the listed ones, those whose labels
 * match namespaceSelector, or — neither given — the pod's own namespace.
 *
 * Approximation: upstream merges the incoming pod's namespaceSelector into a namespace list from
 * the namespace lister; here every namespaceSelector is evaluated against the candidate pod's
 * namespace labels, from `listers.namespaceLabels` when given, else `kubernetes.io/metadata.name`
 * (which the API server always sets). Equivalent whenever the lister is given.
 */
import type { KubeObject } from '../../../api/object.ts'
import { selectorFromLabelSelector, type Selector } from '../../../api/labels.ts'
import type { NodeInfo } from '../../types.ts'
import type { Listers } from '../shared/options.ts'

type Json = Record<string, any>

export interface AffinityTerm {
  namespaces: Set<string>
  selector: Selector
  topologyKey: string
  namespaceSelector: Selector
}
export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[]
  requiredAntiAffinity: AffinityTerm[]
  preferredAffinity: WeightedAffinityTerm[]
  preferredAntiAffinity: WeightedAffinityTerm[]
  /** Parse errors (framework.NewPodInfo's aggregate), e.g. `requiredAffinityTerms: ...`. */
  error?: string
}

function newTerm (pod: KubeObject, t: Json): AffinityTerm {
  const selector = selectorFromLabelSelector(t.labelSelector)
  const namespaces = new Set<string>(t.namespaces?.length || t.namespaceSelector != null ? (t.namespaces ?? []) : [pod.metadata.namespace ?? ''])
  return { namespaces, selector, topologyKey: t.topologyKey ?? '', namespaceSelector: selectorFromLabelSelector(t.namespaceSelector) }
}

const cache = new WeakMap<KubeObject, PodAffinityTerms>()

/** The pod's parsed terms; a group that does not parse is empty and reported in `error` (cached per object). */
export function podAffinityTerms (pod: KubeObject): PodAffinityTerms {
  const hit = cache.get(pod)
  if (hit !== undefined) return hit
  const affinity: Json = (pod as Json).spec?.affinity ?? {}
  const errors: string[] = []
  const parse = <T>(label: string, items: Json[] | undefined, build: (t: Json) => T): T[] => {
    try {
      return (items ?? []).map(build)
    } catch (e) {
      errors.push(`${label}: ${e instanceof Error ? e.message : String(e)}`)
      return []
    }
  }
  const weighted = (w: Json): WeightedAffinityTerm => ({ ...newTerm(pod, w.podAffinityTerm ?? {}), weight: Number(w.weight ?? 0) })
  const out: PodAffinityTerms = {
    requiredAffinity: parse('requiredAffinityTerms', affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, (t) => newTerm(pod, t)),
    requiredAntiAffinity: parse('requiredAntiAffinityTerms', affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, (t) => newTerm(pod, t)),
    preferredAffinity: parse('preferredAffinityTerms', affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, weighted),
    preferredAntiAffinity: parse('preferredAntiAffinityTerms', affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, weighted),
  }
  if (errors.length > 0) out.error = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`
  cache.set(pod, out)
  return out
}

/** A namespace's labels: from the lister, else the `kubernetes.io/metadata.name` label every namespace has. */
export const namespaceLabels = (ns: string, listers: Listers): Record<string, string> =>
  listers.namespaceLabels?.(ns) ?? { 'kubernetes.io/metadata.name': ns }

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and matches its selector. */
export function termMatches (t: AffinityTerm, pod: KubeObject, nsLabels: Record<string, string>): boolean {
  const ns = pod.metadata.namespace ?? ''
  if (!t.namespaces.has(ns) && !t.namespaceSelector.matches(nsLabels)) return false
  return t.selector.matches(pod.metadata.labels ?? {})
}

/** NodeInfo.PodsWithAffinity: pods with any pod affinity or anti-affinity. */
export const hasPodAffinity = (pod: KubeObject): boolean => {
  const a = (pod as Json).spec?.affinity
  return a != null && (a.podAffinity != null || a.podAntiAffinity != null)
}

/** NodeInfo.PodsWithRequiredAntiAffinity */
export const hasRequiredAntiAffinity = (pod: KubeObject): boolean =>
  ((pod as Json).spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0

/** Topology pair counts keyed `key=value` (label keys cannot contain `=`). */
export type TopologyCounts = Map<string, number>

export const pairKey = (key: string, value: string): string => `${key}=${value}`

/** topologyToMatchedTermCount.update: only when the node has the key; zero entries are deleted. */
export function addToPair (m: TopologyCounts, node: KubeObject, topologyKey: string, delta: number): void {
  const labels = node.metadata.labels ?? {}
  if (!(topologyKey in labels)) return
  const k = pairKey(topologyKey, labels[topologyKey])
  const n = (m.get(k) ?? 0) + delta
  if (n === 0) m.delete(k)
  else m.set(k, n)
}

export const nodesPods = (nodes: NodeInfo[], include: (pod: KubeObject) => boolean): Array<[NodeInfo, KubeObject[]]> =>
  nodes.map((ni) => [ni, ni.pods.map((p) => p.pod).filter(include)] as [NodeInfo, KubeObject[]]).filter(([, pods]) => pods.length > 0)
