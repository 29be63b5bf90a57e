/**
 * PodTopologySpread's constraints (podtopologyspread/common.go and helper/spread.go, v1.32): the
 * pod's own constraints for one `whenUnsatisfiable`, else the cluster defaults (hostname maxSkew 3,
 * zone maxSkew 5, ScheduleAnyway) with the selector of the Services/RC/RS/StatefulSet owning the pod.
 * v1.32 defaults: minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore; matchLabelKeys
 * are merged here (beta, on).
 */
import type { KubeObject } from '../../../api/object.ts'
import { newSelector, selectorFromLabelSelector, selectorFromSet, type Selector } from '../../../api/labels.ts'
import type { NodeInfo, PodInfo } from '../../types.ts'
import type { RequiredNodeAffinity } from '../shared/node-selector.ts'
import type { Listers } from '../shared/options.ts'
import { doNotSchedule, findUntoleratedTaint, nodeTaints, podTolerations } from '../shared/taints.ts'

type Json = Record<string, any>

export const LABEL_HOSTNAME = 'kubernetes.io/hostname'
export const LABEL_ZONE = 'topology.kubernetes.io/zone'

export interface SpreadConstraint {
  maxSkew: number
  topologyKey: string
  selector: Selector
  minDomains: number
  nodeAffinityPolicy: 'Honor' | 'Ignore'
  nodeTaintsPolicy: 'Honor' | 'Ignore'
}

/** The constraints as they appear in a pod spec (v1.TopologySpreadConstraint). */
export interface TopologySpreadConstraint {
  maxSkew: number
  topologyKey: string
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway'
  labelSelector?: Json | null
  minDomains?: number
  nodeAffinityPolicy?: 'Honor' | 'Ignore'
  nodeTaintsPolicy?: 'Honor' | 'Ignore'
  matchLabelKeys?: string[]
}

export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]

const isNothing = (s: Selector): boolean => !s.empty() && s.requirements.length === 0

/** filterTopologySpreadConstraints: those with the given action, selectors parsed (throws on an invalid one). */
export function filterConstraints (constraints: TopologySpreadConstraint[], podLabels: Record<string, string>, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = []
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue
    let selector = selectorFromLabelSelector(c.labelSelector as any)
    const matchLabels: Record<string, string> = {}
    for (const key of c.matchLabelKeys ?? []) if (key in podLabels) matchLabels[key] = podLabels[key]
    if (Object.keys(matchLabels).length > 0) {
      // mergeLabelSetWithSelector: a null selector (Nothing) has no requirements to keep.
      selector = newSelector([...selectorFromSet(matchLabels).requirements, ...(isNothing(selector) ? [] : selector.requirements)])
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    })
  }
  return out
}

/** Labels that differ between pods of one StatefulSet (or revision) and are not part of its selector. */
const PER_POD_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash']

const OWNER_KINDS: Record<string, keyof Listers> = {
  'v1/ReplicationController': 'replicationController',
  'apps/v1/ReplicaSet': 'replicaSet',
  'apps/v1/StatefulSet': 'statefulSet',
}

/**
 * helper.DefaultSelector: the merged selectors of the Services selecting the pod, plus the
 * selector of its controller when that is a ReplicationController, ReplicaSet or StatefulSet.
 * Approximation: without a lister for the owner's kind, the owner's selector is taken to be the
 * pod's labels minus the per-pod ones (StatefulSet pod name/index, controller-revision-hash) —
 * the same pods match as long as the workload's pods keep their template labels. Without a
 * Services lister, Services are not considered.
 */
export function defaultSelector (pod: KubeObject, listers: Listers = {}): Selector {
  const ns = pod.metadata.namespace ?? ''
  const podLabels = pod.metadata.labels ?? {}
  let labelSet: Record<string, string> = {}
  for (const svc of listers.services?.(ns) ?? []) {
    const sel = (svc as Json).spec?.selector
    if (sel === undefined || sel === null) continue // a nil selector matches nothing
    if (selectorFromSet(sel).matches(podLabels)) labelSet = { ...labelSet, ...sel }
  }
  let selector = selectorFromSet(labelSet)
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true)
  const listerName = owner ? OWNER_KINDS[`${owner.apiVersion}/${owner.kind}`] : undefined
  if (owner === undefined || listerName === undefined) return selector
  const lister = listers[listerName] as ((ns: string, name: string) => KubeObject | undefined) | undefined
  if (lister === undefined) {
    const approx = Object.fromEntries(Object.entries(podLabels).filter(([k]) => !PER_POD_LABELS.includes(k)))
    return newSelector([...selector.requirements, ...selectorFromSet(approx).requirements])
  }
  const obj = lister(ns, owner.name) as Json | undefined
  if (obj === undefined) return selector
  if (listerName === 'replicationController') {
    selector = selectorFromSet({ ...labelSet, ...(obj.spec?.selector ?? {}) })
  } else {
    try {
      const other = selectorFromLabelSelector(obj.spec?.selector)
      if (!isNothing(other)) selector = newSelector([...selector.requirements, ...other.requirements])
    } catch { /* an invalid owner selector adds nothing, as upstream */ }
  }
  return selector
}

/** buildDefaultConstraints: the defaults for `action`, all with the default selector; none when it is empty. */
export function buildDefaultConstraints (defaults: TopologySpreadConstraint[], pod: KubeObject, action: string, listers: Listers): SpreadConstraint[] {
  const constraints = filterConstraints(defaults, pod.metadata.labels ?? {}, action)
  if (constraints.length === 0) return []
  const selector = defaultSelector(pod, listers)
  if (selector.empty()) return []
  return constraints.map((c) => ({ ...c, selector }))
}

/** nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
export const nodeHasAllTopologyKeys = (labels: Record<string, string>, constraints: SpreadConstraint[]): boolean =>
  constraints.every((c) => c.topologyKey in labels)

/** matchNodeInclusionPolicies: Honor nodeAffinity → the pod's required affinity must match; Honor taints → all tolerated. */
export function matchNodeInclusionPolicies (c: SpreadConstraint, pod: KubeObject, node: KubeObject, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(nodeTaints(node), podTolerations(pod), doNotSchedule) !== undefined) return false
  return true
}

/**
 * countPodsMatchSelector: pods of the namespace matching the selector, terminating pods skipped.
 * v1.32 returns 0 for an empty selector (`labelSelector: {}`), a quirk fixed upstream later.
 */
export function countPodsMatchSelector (pods: PodInfo[], selector: Selector, ns: string): number {
  if (selector.empty()) return 0
  let count = 0
  for (const { pod } of pods) {
    if (pod.metadata.deletionTimestamp || (pod.metadata.namespace ?? '') !== ns) continue
    if (selector.matches(pod.metadata.labels ?? {})) count++
  }
  return count
}

const selectorKeys = new WeakMap<Selector, string>()
const nodeCounts = new WeakMap<NodeInfo, Map<string, { generation: number, count: number }>>()

/** countMatchingOnNode's memo key: the namespace and the selector (computed once per pod, not per node). */
export function matchMemoKey (selector: Selector, ns: string): string {
  let sk = selectorKeys.get(selector)
  if (sk === undefined) selectorKeys.set(selector, sk = selector.toString())
  return `${ns}\u0000${sk}`
}

/**
 * countPodsMatchSelector over a node's pods, remembered per node until its pods change: spreading
 * counts every node's matching pods for every pod scheduled (upstream parallelizes that loop; here
 * unchanged nodes answer from the memo). `key` is matchMemoKey(selector, ns).
 */
export function countMatchingOnNode (ni: NodeInfo, selector: Selector, ns: string, key = matchMemoKey(selector, ns)): number {
  let memo = nodeCounts.get(ni)
  if (memo === undefined) nodeCounts.set(ni, memo = new Map())
  const hit = memo.get(key)
  if (hit !== undefined && hit.generation === ni.generation) return hit.count
  const count = countPodsMatchSelector(ni.pods, selector, ns)
  if (hit !== undefined) { hit.generation = ni.generation; hit.count = count } else memo.set(key, { generation: ni.generation, count })
  return count
}
