/**
 * NodeInfo and PodInfo as kube-scheduler's framework keeps them (pkg/scheduler/framework/types.go):
 * a node with its pods and incremental sums (requested, nonZeroRequested, usedPorts), allocatable
 * read once from status.allocatable, and the images from status.images. Which pods belong on a
 * node (spec.nodeName set, not Succeeded/Failed, plus assumed pods) is the cache's decision.
 * May use api/ only. Objects passed in are never mutated; NodeInfo itself is mutated in place.
 */
import type { KubeObject } from '../api/object.ts'
import { emptyResources, hostPorts, podRequests, resourcesFromList } from '../api/pod-resources.ts'
import type { NodeInfo, PodInfo, Resources, Snapshot } from './types.ts'

type Json = Record<string, any>

/** The scheduler's key for a pod: its UID (upstream GetPodKey), else namespace/name. */
export function podKey (pod: KubeObject): string {
  return pod.metadata.uid || `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`
}

/** framework.NewPodInfo: requests (real and non-zero) and host ports computed once. */
export function newPodInfo (pod: KubeObject): PodInfo {
  return {
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hostPorts: hostPorts(pod),
  }
}

/** Image name → size in bytes, every name of every entry in status.images. */
function nodeImages (node: KubeObject): Map<string, number> {
  const images = new Map<string, number>()
  for (const img of ((node as Json).status?.images ?? []) as Json[]) {
    for (const name of (img.names ?? []) as string[]) images.set(name, Number(img.sizeBytes ?? 0))
  }
  return images
}

/**
 * framework.NewNodeInfo + SetNode, then AddPod for each pod given. `row`: where its packed
 * numbers go (default: an array of its own).
 */
export function newNodeInfo (node: KubeObject, pods: Array<KubeObject | PodInfo> = [], row: { packed: Float64Array, at: number } = { packed: new Float64Array(PACKED_LENGTH), at: 0 }): NodeInfo {
  const ni: NodeInfo = {
    name: node.metadata.name ?? '',
    node,
    pods: [],
    allocatable: resourcesFromList((node as Json).status?.allocatable),
    requested: emptyResources(),
    nonZeroRequested: emptyResources(),
    usedPorts: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    images: nodeImages(node),
    generation: 0,
    packed: row.packed,
    packedAt: row.at,
  }
  for (const p of pods) addPod(ni, 'pod' in p && 'requests' in p ? p as PodInfo : newPodInfo(p as KubeObject))
  pack(ni)
  return ni
}

/** Where each number is in NodeInfo.packed. */
export const PACKED = {
  allocatablePods: 0, allocatableMilliCPU: 1, allocatableMemory: 2, allocatableEphemeralStorage: 3,
  pods: 4, requestedMilliCPU: 5, requestedMemory: 6, requestedEphemeralStorage: 7,
  nonZeroMilliCPU: 8, nonZeroMemory: 9,
  /** 1 when spec.unschedulable, and how many taints spec.taints has. */
  unschedulable: 10, taints: 11,
} as const
export const PACKED_LENGTH = 12

/** Copy the fields into NodeInfo.packed (after every change of them). */
export function pack (ni: NodeInfo): void {
  const p = ni.packed
  if (p === undefined) return
  const o = ni.packedAt ?? 0
  p[o + PACKED.allocatablePods] = ni.allocatable.pods
  p[o + PACKED.allocatableMilliCPU] = ni.allocatable.milliCPU
  p[o + PACKED.allocatableMemory] = ni.allocatable.memory
  p[o + PACKED.allocatableEphemeralStorage] = ni.allocatable.ephemeralStorage
  p[o + PACKED.pods] = ni.pods.length
  p[o + PACKED.requestedMilliCPU] = ni.requested.milliCPU
  p[o + PACKED.requestedMemory] = ni.requested.memory
  p[o + PACKED.requestedEphemeralStorage] = ni.requested.ephemeralStorage
  p[o + PACKED.nonZeroMilliCPU] = ni.nonZeroRequested.milliCPU
  p[o + PACKED.nonZeroMemory] = ni.nonZeroRequested.memory
  const spec = (ni.node as Json).spec
  p[o + PACKED.unschedulable] = spec?.unschedulable === true ? 1 : 0
  p[o + PACKED.taints] = Array.isArray(spec?.taints) ? spec.taints.length : 0
}

/** The packed number `field` (PACKED) of `ni`; undefined when it has none. */
export function packedOf (ni: NodeInfo, field: number): number | undefined {
  return ni.packed === undefined ? undefined : ni.packed[(ni.packedAt ?? 0) + field]
}

/** NodeInfo.SetNode: the node object changed (labels, taints, allocatable, images); pods stay. */
export function setNode (ni: NodeInfo, node: KubeObject): void {
  ni.generation++
  ni.node = node
  ni.name = node.metadata.name ?? ''
  ni.allocatable = resourcesFromList((node as Json).status?.allocatable)
  ni.images = nodeImages(node)
  pack(ni)
}

function addResources (to: Resources, r: Resources, sign: 1 | -1): void {
  to.milliCPU += sign * r.milliCPU
  to.memory += sign * r.memory
  to.ephemeralStorage += sign * r.ephemeralStorage
  for (const [k, v] of Object.entries(r.scalar)) to.scalar[k] = (to.scalar[k] ?? 0) + sign * v
}

/** NodeInfo.AddPodInfo: the pod joins the node and its requests and host ports are counted. */
function affinityOf (pod: KubeObject): { any: boolean, requiredAnti: boolean } {
  const a = (pod.spec as Json | undefined)?.affinity
  const anti = a?.podAntiAffinity
  return {
    any: a?.podAffinity !== undefined || anti !== undefined,
    requiredAnti: (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0,
  }
}

export function addPod (ni: NodeInfo, podInfo: PodInfo): void {
  ni.generation++
  ni.pods.push(podInfo)
  const aff = affinityOf(podInfo.pod)
  if (aff.any) ni.podsWithAffinity.push(podInfo)
  if (aff.requiredAnti) ni.podsWithRequiredAntiAffinity.push(podInfo)
  addResources(ni.requested, podInfo.requests, 1)
  addResources(ni.nonZeroRequested, podInfo.nonZeroRequests, 1)
  for (const p of podInfo.hostPorts) ni.usedPorts.push(p)
  pack(ni)
}

/** NodeInfo.RemovePod, matched by podKey; false when the pod was not on the node. */
export function removePod (ni: NodeInfo, pod: KubeObject): boolean {
  const key = podKey(pod)
  const i = ni.pods.findIndex((p) => podKey(p.pod) === key)
  if (i < 0) return false
  const [podInfo] = ni.pods.splice(i, 1)
  ni.generation++
  ni.podsWithAffinity = ni.podsWithAffinity.filter(p => p !== podInfo)
  ni.podsWithRequiredAntiAffinity = ni.podsWithRequiredAntiAffinity.filter(p => p !== podInfo)
  addResources(ni.requested, podInfo.requests, -1)
  addResources(ni.nonZeroRequested, podInfo.nonZeroRequests, -1)
  for (const hp of podInfo.hostPorts) {
    const j = ni.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port)
    if (j >= 0) ni.usedPorts.splice(j, 1)
  }
  pack(ni)
  return true
}

/**
 * A newer version of a pod already on the node (its binding confirmed, its status written): the
 * PodInfo keeps its requests, host ports and affinity — a pod's spec cannot change them — and
 * holds the new object (its labels may have changed). False when the pod is not on the node.
 */
export function replacePod (ni: NodeInfo, pod: KubeObject): boolean {
  const key = podKey(pod)
  const podInfo = ni.pods.find((p) => podKey(p.pod) === key)
  if (podInfo === undefined) return false
  podInfo.pod = pod
  ni.generation++
  return true
}

/** A Snapshot over the given NodeInfos (in the given order); its summaries are computed on demand. */
export function newSnapshot (nodes: NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]))
  return {
    nodes,
    get: (name) => byName.get(name),
    havePodsWithAffinity: () => nodes.filter(n => n.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinity: () => nodes.filter(n => n.podsWithRequiredAntiAffinity.length > 0),
    imageNumNodes: (name) => nodes.filter(n => n.images.has(name)).length,
  }
}
