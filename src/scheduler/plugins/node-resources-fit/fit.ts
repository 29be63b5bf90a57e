/**
 * The fit arithmetic of NodeResourcesFit (noderesources.fitsRequest), pure: which of the node's
 * resources cannot take the pod's request. Every failure is reported, in upstream's order:
 * `Too many pods`, `Insufficient cpu`, `Insufficient memory`, `Insufficient ephemeral-storage`,
 * then `Insufficient <name>` for extended/hugepages resources (sorted by name here; upstream walks
 * a Go map, so its order among several extended resources is random).
 *
 * Worked example: allocatable cpu 10m, 8m requested on the node, the pod asks for 3m:
 * 3 > 10 − 8 → `Insufficient cpu` {requested: 3, used: 8, capacity: 10}.
 */
import { isScalarResourceName } from '../../../api/pod-resources.ts'
import type { NodeInfo, PackedPass, Resources } from '../../types.ts'
import { PACKED } from '../../node-info.ts'

export interface InsufficientResource {
  resourceName: string
  /** The FailedScheduling reason, e.g. `Insufficient cpu`. */
  reason: string
  requested: number
  used: number
  capacity: number
}

export interface FitOptions {
  /** Extended resources not checked (NodeResourcesFitArgs.ignoredResources). */
  ignoredResources?: string[]
  /** Extended resource groups (the part before `/`) not checked. */
  ignoredResourceGroups?: string[]
}

/** v1helper.IsExtendedResourceName: not native (has a `/`, not `kubernetes.io/`), not `requests.`-prefixed. */
export const isExtendedResourceName = (name: string): boolean =>
  name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.')

const NONE: InsufficientResource[] = []

/** True when the pod asks for no extended resource and fits (else the full check says why not). */
function fitsPacked (r: Resources, p: Float64Array, o: number): boolean {
  for (const _ in r.scalar) return false
  if (p[o + PACKED.pods] + 1 > p[o + PACKED.allocatablePods]) return false
  if (r.milliCPU > 0 && r.milliCPU > p[o + PACKED.allocatableMilliCPU] - p[o + PACKED.requestedMilliCPU]) return false
  if (r.memory > 0 && r.memory > p[o + PACKED.allocatableMemory] - p[o + PACKED.requestedMemory]) return false
  return !(r.ephemeralStorage > 0 && r.ephemeralStorage > p[o + PACKED.allocatableEphemeralStorage] - p[o + PACKED.requestedEphemeralStorage])
}

/**
 * Filter's PackedPass: room for one more pod and for each of cpu, memory and ephemeral-storage
 * asked for (fitsPacked's arithmetic); none when extended resources are asked for.
 */
export function packedRoom (r: Resources): PackedPass | undefined {
  for (const _ in r.scalar) return undefined
  const room: Array<{ need: number, allocatable: number, used: number }> = [{ need: 1, allocatable: PACKED.allocatablePods, used: PACKED.pods }]
  if (r.milliCPU > 0) room.push({ need: r.milliCPU, allocatable: PACKED.allocatableMilliCPU, used: PACKED.requestedMilliCPU })
  if (r.memory > 0) room.push({ need: r.memory, allocatable: PACKED.allocatableMemory, used: PACKED.requestedMemory })
  if (r.ephemeralStorage > 0) room.push({ need: r.ephemeralStorage, allocatable: PACKED.allocatableEphemeralStorage, used: PACKED.requestedEphemeralStorage })
  return { room }
}

function check (out: InsufficientResource[] | undefined, resourceName: string, requested: number, usedNow: number, capacity: number): InsufficientResource[] | undefined {
  if (requested > 0 && requested > capacity - usedNow) (out ??= []).push({ resourceName, reason: `Insufficient ${resourceName}`, requested, used: usedNow, capacity })
  return out
}

/** Runs once per node per pod: allocates nothing when the pod fits. */
export function fitsRequest (podRequest: Resources, nodeInfo: NodeInfo, opts: FitOptions = {}): InsufficientResource[] {
  const p = nodeInfo.packed
  // The common case from the packed numbers alone: no extended resources asked for, and it fits.
  if (p !== undefined && fitsPacked(podRequest, p, nodeInfo.packedAt ?? 0)) return NONE
  let out: InsufficientResource[] | undefined
  const alloc = nodeInfo.allocatable
  const used = nodeInfo.requested
  if (nodeInfo.pods.length + 1 > alloc.pods) {
    out = [{ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.pods }]
  }
  let scalarNames: string[] | undefined
  for (const name in podRequest.scalar) (scalarNames ??= []).push(name)
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && scalarNames === undefined) return out ?? NONE

  out = check(out, 'cpu', podRequest.milliCPU, used.milliCPU, alloc.milliCPU)
  out = check(out, 'memory', podRequest.memory, used.memory, alloc.memory)
  out = check(out, 'ephemeral-storage', podRequest.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage)
  if (scalarNames === undefined) return out ?? NONE

  const ignored = new Set(opts.ignoredResources ?? [])
  const ignoredGroups = new Set(opts.ignoredResourceGroups ?? [])
  for (const name of scalarNames.sort()) {
    if (!isScalarResourceName(name)) continue
    if (isExtendedResourceName(name) && (ignored.has(name) || ignoredGroups.has(name.split('/')[0]))) continue
    out = check(out, name, podRequest.scalar[name], used.scalar[name] ?? 0, alloc.scalar[name] ?? 0)
  }
  return out ?? NONE
}
