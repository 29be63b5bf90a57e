/**
 * The resource-allocation scorers shared by NodeResourcesFit (LeastAllocated, MostAllocated) and
 * NodeResourcesBalancedAllocation (noderesources/resource_allocation.go). For each configured
 * resource: allocatable, and requested = the node's requested + the pod's request. LeastAllocated
 * uses the non-zero requests (a container without cpu/memory requests counts 100m / 200Mi) for cpu
 * and memory; BalancedAllocation uses the real ones. Resources the node has 0 of are left out; an
 * extended resource the pod does not request is left out.
 */
import type { KubeObject } from '../../../api/object.ts'
import { isScalarResourceName, podRequests } from '../../../api/pod-resources.ts'
import { MAX_NODE_SCORE, type NodeInfo, type Resources } from '../../types.ts'
import { PACKED } from '../../node-info.ts'

export interface ResourceSpec { name: string, weight: number }

export const DEFAULT_RESOURCES: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]

/** Validates resource weights as ValidateNodeResourcesFitArgs does (1..100). */
export function validateResources (resources: ResourceSpec[], path: string): ResourceSpec[] {
  resources.forEach((r, i) => {
    if (!(Number.isInteger(r.weight) && r.weight >= 1 && r.weight <= 100)) throw new Error(`${path}[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in range [1, 100]`)
  })
  return resources
}

function pick (r: Resources, name: string): number {
  switch (name) {
    case 'cpu': return r.milliCPU
    case 'memory': return r.memory
    case 'ephemeral-storage': return r.ephemeralStorage
    default: return r.scalar[name] ?? 0
  }
}

/** calculatePodResourceRequestList: the pod's request per configured resource (cpu in milli). */
export function podRequestList (pod: KubeObject, resources: ResourceSpec[], useRequested: boolean): number[] {
  const r = podRequests(pod, { nonZero: !useRequested })
  return resources.map((spec) => pick(r, spec.name))
}

/**
 * calculateResourceAllocatableRequest for every resource: the (requested incl. the pod,
 * allocatable) vectors fed to a scorer; a resource left out (not allocatable, or an unrequested
 * scalar) is 0 in both. Filled into `out`'s arrays when given (one pair per scoring plugin).
 */
export function allocationVectors (ni: NodeInfo, resources: ResourceSpec[], podRequests: number[], useRequested: boolean, out?: { requested: number[], allocatable: number[] }): { requested: number[], allocatable: number[] } {
  const requested = out?.requested ?? new Array<number>(resources.length)
  const allocatable = out?.allocatable ?? new Array<number>(resources.length)
  const p = ni.packed
  const o = ni.packedAt ?? 0
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i].name
    const podRequest = podRequests[i]
    let alloc = 0
    let used = 0
    if (name === 'cpu' || name === 'memory') {
      // The packed numbers when there are (node-info.ts): the fields are five objects to reach per node.
      const cpu = name === 'cpu'
      if (p !== undefined) {
        alloc = p[o + (cpu ? PACKED.allocatableMilliCPU : PACKED.allocatableMemory)]
        used = p[o + (cpu ? (useRequested ? PACKED.requestedMilliCPU : PACKED.nonZeroMilliCPU) : (useRequested ? PACKED.requestedMemory : PACKED.nonZeroMemory))]
      } else {
        const req = useRequested ? ni.requested : ni.nonZeroRequested
        alloc = cpu ? ni.allocatable.milliCPU : ni.allocatable.memory
        used = cpu ? req.milliCPU : req.memory
      }
    } else if (name === 'ephemeral-storage') {
      alloc = ni.allocatable.ephemeralStorage
      used = ni.requested.ephemeralStorage
    } else if (!(podRequest === 0 && isScalarResourceName(name)) && name in ni.allocatable.scalar) {
      alloc = ni.allocatable.scalar[name]
      used = ni.requested.scalar[name] ?? 0
    }
    allocatable[i] = alloc
    requested[i] = alloc === 0 ? 0 : used + podRequest
  }
  return { requested, allocatable }
}

/**
 * The weights of cpu and memory when `resources` is exactly those two (the default, in either
 * order): the scorers then read them straight from a node's packed row, without the vectors.
 */
export function cpuMemoryWeights (resources: ResourceSpec[]): { cpu: number, memory: number } | undefined {
  if (resources.length !== 2) return undefined
  const cpu = resources.find(r => r.name === 'cpu')
  const memory = resources.find(r => r.name === 'memory')
  return cpu === undefined || memory === undefined ? undefined : { cpu: cpu.weight, memory: memory.weight }
}

type CpuMemoryScore = (cpuRequested: number, cpuAllocatable: number, memoryRequested: number, memoryAllocatable: number) => number

/**
 * Where a node's cpu and memory use are in its packed row, and the pod's requests in `resources`'
 * order. (Each plugin scoring rows has its own loop over them: one loop shared by the plugins would
 * call each one's arithmetic through a call site V8 cannot inline, at twice the cost per node.)
 */
export function cpuMemoryFields (resources: ResourceSpec[], requests: number[], nonZero: boolean): { cpuRequest: number, memoryRequest: number, cpuUsed: number, memoryUsed: number } {
  const cpuFirst = resources[0].name === 'cpu'
  return {
    cpuRequest: requests[cpuFirst ? 0 : 1],
    memoryRequest: requests[cpuFirst ? 1 : 0],
    cpuUsed: nonZero ? PACKED.nonZeroMilliCPU : PACKED.requestedMilliCPU,
    memoryUsed: nonZero ? PACKED.nonZeroMemory : PACKED.requestedMemory,
  }
}

/**
 * A node scorer for cpu and memory only (cpuMemoryWeights): `score` gets each resource's
 * requested (the node's, non-zero or real, plus the pod's `requests` in `resources`' order) and
 * allocatable straight from the node's packed row; a node without a row goes to `general`.
 */
export function packedCpuMemoryScorer (resources: ResourceSpec[], requests: number[], nonZero: boolean, general: (ni: NodeInfo) => number, score: CpuMemoryScore): (ni: NodeInfo) => number {
  const { cpuRequest, memoryRequest, cpuUsed, memoryUsed } = cpuMemoryFields(resources, requests, nonZero)
  return ni => {
    const p = ni.packed
    if (p === undefined) return general(ni)
    const o = ni.packedAt ?? 0
    return score(p[o + cpuUsed] + cpuRequest, p[o + PACKED.allocatableMilliCPU], p[o + memoryUsed] + memoryRequest, p[o + PACKED.allocatableMemory])
  }
}

/** (capacity − requested) × 100 / capacity, integer division; 0 when over capacity. */
export function leastRequestedScore (requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity)
}

/** requested × 100 / capacity, requested capped at capacity. */
export function mostRequestedScore (requested: number, capacity: number): number {
  if (capacity === 0) return 0
  return Math.floor((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity)
}

/**
 * Weighted mean of per-resource scores, integer division, resources with allocatable 0 skipped.
 * Example (LeastAllocated, cpu 4000/req 3000, memory 10000/req 5000): cpu 25, memory 50 → (25 + 50) / 2 = 37.
 */
export function weightedScore (per: (requested: number, capacity: number) => number, resources: ResourceSpec[], requested: number[], allocatable: number[]): number {
  let score = 0
  let weightSum = 0
  for (let i = 0; i < resources.length; i++) {
    if (allocatable[i] === 0) continue
    score += per(requested[i], allocatable[i]) * resources[i].weight
    weightSum += resources[i].weight
  }
  return weightSum === 0 ? 0 : Math.floor(score / weightSum)
}
