/**
 * A pod's resource requests and host ports as kube-scheduler v1.32 counts them
 * (k8s.io/component-helpers/resource.PodRequests and framework.Resource). Pure, no I/O.
 *
 * Requests are summed in Quantity space and converted once at the end (cpu → MilliValue, the rest
 * → Value), as upstream does: two containers asking for memory `0.5` count 1 byte, not 2.
 * Limits without requests were already copied into requests by the API server's defaulting.
 * Pod-level `spec.resources` (PodLevelResources, alpha and off in v1.32) is ignored.
 */
import type { KubeObject } from './object.ts'
import { addQuantities, compareQuantities, milliValue, parseQuantity, type Quantity, value } from './quantity.ts'

/** Resource amounts as the scheduler counts them: milli-CPU and bytes, plus extended resources. */
export interface Resources {
  milliCPU: number
  memory: number
  ephemeralStorage: number
  /** Extended and other scalar resources (`nvidia.com/gpu`, `hugepages-2Mi`), in their units. */
  scalar: Record<string, number>
}

/** A host port a pod binds. */
export interface HostPortInfo { ip: string, protocol: string, port: number }

/** schedutil.DefaultMilliCPURequest: a container without a cpu request counts 100m when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100
/** schedutil.DefaultMemoryRequest: a container without a memory request counts 200Mi when scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

type ResourceList = Map<string, Quantity>
type Json = Record<string, any>

const NON_MISSING: ReadonlyArray<[string, Quantity]> = [
  ['cpu', { unscaled: BigInt(DEFAULT_MILLI_CPU_REQUEST), scale: -3, format: 'DecimalSI', big: false }],
  ['memory', { unscaled: BigInt(DEFAULT_MEMORY_REQUEST), scale: 0, format: 'DecimalSI', big: false }],
]

const parsed = new Map<string, Quantity>()
/** parseQuantity with a small memo: pods of one workload repeat the same few strings. */
function quantity (v: unknown): Quantity {
  const s = String(v)
  let q = parsed.get(s)
  if (q === undefined) {
    q = parseQuantity(s)
    if (parsed.size >= 4096) parsed.clear()
    parsed.set(s, q)
  }
  return q
}

function toList (rl: unknown): ResourceList {
  const out: ResourceList = new Map()
  if (rl && typeof rl === 'object') for (const [k, v] of Object.entries(rl)) out.set(k, quantity(v))
  return out
}

function addList (to: ResourceList, from: ResourceList): void {
  for (const [k, q] of from) {
    const cur = to.get(k)
    to.set(k, cur === undefined ? q : addQuantities(cur, q))
  }
}

function maxList (to: ResourceList, from: ResourceList): void {
  for (const [k, q] of from) {
    const cur = to.get(k)
    if (cur === undefined || compareQuantities(q, cur) > 0) to.set(k, q)
  }
}

/** applyNonMissing: missing cpu/memory requests take the defaults; an explicit 0 stays 0. */
function withDefaults (reqs: ResourceList): ResourceList {
  const out = new Map(reqs)
  for (const [k, q] of NON_MISSING) if (!out.has(k)) out.set(k, q)
  return out
}

const isSidecar = (c: Json): boolean => c.restartPolicy === 'Always'

/**
 * resourcehelper.PodRequests as a ResourceList (sidecar formula, KEP-753):
 * sumC = Σ app containers + Σ sidecars; initMax = max over init containers i of
 * (request_i + sidecars declared before i; a sidecar's own entry is the running sidecar sum);
 * result = max(sumC, initMax) + overhead.
 */
function podRequestList (pod: KubeObject, nonZero: boolean): ResourceList {
  return podList(pod, c => {
    const l = toList(c?.resources?.requests)
    return nonZero ? withDefaults(l) : l
  }, (reqs, overhead) => addList(reqs, overhead))
}

/** The sum, init-container maximum and sidecar formula that PodRequests and PodLimits share. */
function podList (pod: KubeObject, ofContainer: (c: Json) => ResourceList, addOverhead: (to: ResourceList, overhead: ResourceList) => void): ResourceList {
  const spec: Json = (pod as Json).spec ?? {}
  const reqs: ResourceList = new Map()
  for (const c of spec.containers ?? []) addList(reqs, ofContainer(c))
  const sidecars: ResourceList = new Map()
  const initMax: ResourceList = new Map()
  for (const c of spec.initContainers ?? []) {
    const r = ofContainer(c)
    let use: ResourceList
    if (isSidecar(c)) {
      addList(reqs, r)
      addList(sidecars, r)
      use = sidecars
    } else {
      use = new Map()
      addList(use, r)
      addList(use, sidecars)
    }
    maxList(initMax, use)
  }
  maxList(reqs, initMax)
  if (spec.overhead) addOverhead(reqs, toList(spec.overhead))
  return reqs
}

/**
 * The pod's requests and limits as Quantities (resourcehelper.PodRequests / PodLimits, what
 * ResourceQuota counts): overhead is added to every request, and to the limits the pod sets;
 * with `overhead: false`, not at all (LimitRanger's Pod items).
 */
export function podResourceLists (pod: KubeObject, options: { overhead?: boolean } = {}): { requests: Map<string, Quantity>, limits: Map<string, Quantity> } {
  if (options.overhead === false) {
    // LimitRanger's own podRequests/podLimits: the containers alone.
    const none = (): void => {}
    return { requests: podList(pod, c => toList(c?.resources?.requests), none), limits: podList(pod, c => toList(c?.resources?.limits), none) }
  }
  const limits = podList(pod, c => toList(c?.resources?.limits), (to, overhead) => {
    for (const [k, q] of overhead) {
      const cur = to.get(k)
      if (cur !== undefined) to.set(k, addQuantities(cur, q))
    }
  })
  return { requests: podRequestList(pod, false), limits }
}

/** Hugepages, `kubernetes.io/`-prefixed, extended (`example.com/foo`) and attachable-volume names. */
export function isScalarResourceName (name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true
  if (name.includes('kubernetes.io/')) return true
  return name.includes('/') && !name.startsWith('requests.')
}

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} })

/** framework.Resource.Add of a ResourceList: cpu in milli, the rest rounded up to integers. */
function toResources (list: ResourceList): Resources & { pods: number } {
  const r = { ...emptyResources(), pods: 0 }
  for (const [name, q] of list) {
    switch (name) {
      case 'cpu': r.milliCPU += milliValue(q); break
      case 'memory': r.memory += value(q); break
      case 'ephemeral-storage': r.ephemeralStorage += value(q); break
      case 'pods': r.pods += value(q); break
      default: if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + value(q)
    }
  }
  return r
}

/** framework.NewResource(node.status.allocatable): allocatable as the scheduler reads it. */
export function resourcesFromList (rl: Record<string, unknown> | undefined): Resources & { pods: number } {
  return toResources(toList(rl))
}

/**
 * The pod's request (k3s-facts §2.3). With `nonZero`, every container (app and init) without a
 * cpu request counts 100m and without a memory request 200Mi (scoring only).
 * Worked example: inits (2 cpu, 1G), (2 cpu, 3G); apps (2 cpu, 1G) + (1 cpu, 1G) → cpu 3, memory 3G.
 * Throws QuantityParseError on a malformed quantity (the API server never stores one).
 */
export function podRequests (pod: KubeObject, opts: { nonZero?: boolean } = {}): Resources {
  const r = toResources(podRequestList(pod, opts.nonZero === true))
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalar: r.scalar }
}

/**
 * ComputePodQOS (v1.32, pod-level resources off): only cpu and memory above zero count.
 * BestEffort: none set; Guaranteed: every container limits both, and the summed requests equal
 * the summed limits resource by resource; Burstable otherwise.
 */
export function podQOSClass (spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests: ResourceList = new Map()
  const limits: ResourceList = new Map()
  let guaranteed = true
  const positive = (list: unknown): ResourceList => {
    const out: ResourceList = new Map()
    for (const [k, q] of toList(list)) if ((k === 'cpu' || k === 'memory') && q.unscaled > 0n) out.set(k, q)
    return out
  }
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[]) {
    addList(requests, positive(c?.resources?.requests))
    const l = positive(c?.resources?.limits)
    addList(limits, l)
    if (!l.has('cpu') || !l.has('memory')) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [k, q] of requests) {
      const lim = limits.get(k)
      if (lim === undefined || compareQuantities(lim, q) !== 0) { guaranteed = false; break }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}

/** The pod's host ports (app containers only, as upstream): hostPort > 0, empty IP = 0.0.0.0, empty protocol = TCP. */
export function hostPorts (pod: KubeObject): HostPortInfo[] {
  const out: HostPortInfo[] = []
  for (const c of ((pod as Json).spec?.containers ?? []) as Json[]) {
    for (const p of (c.ports ?? []) as Json[]) {
      const port = Number(p.hostPort ?? 0)
      if (!(port > 0)) continue
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port })
    }
  }
  return out
}
