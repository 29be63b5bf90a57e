// What a kubelet's resource metrics endpoint (/metrics/resource) reports and metrics-server
// scrapes: per node and per running container, CPU as a rate in nanocores and memory as the
// working set in bytes, measured at one time. Pure, no I/O.
import type { KubeObject } from './object.ts'
import { parseQuantity, scaledValue, value } from './quantity.ts'

export interface Usage { cpuNanoCores: number, memoryBytes: number }

export interface ContainerUsageSample { name: string, /** ms on the cluster clock */ startedAt: number, usage: Usage }

export interface PodUsageSample { namespace: string, name: string, uid: string, labels?: Readonly<Record<string, string>>, containers: ContainerUsageSample[] }

export interface NodeUsageSample {
  node: string
  /** ms on the cluster clock */
  timestamp: number
  usage: Usage
  pods: PodUsageSample[]
}

/** CPU used at a steady rate from `sinceMs` to `atMs`, in whole nanoseconds (as runtimes count it). */
export function cpuNanoSeconds (sinceMs: number, atMs: number, nanoCores: number): number {
  return Math.round(Math.max(0, atMs - sinceMs) * nanoCores / 1e3)
}

/**
 * Usage a pod asks a simulating runtime (the fake one) to report for each of its running
 * containers, as KWOK's `kwok.x-k8s.io/usage-cpu` annotations do (those are read too, after
 * k3sim's own). Read on every scrape, so `kubectl annotate --overwrite` changes the load of
 * running pods.
 */
export const USAGE_CPU_ANNOTATION = 'k3sim.io/usage-cpu'
export const USAGE_MEMORY_ANNOTATION = 'k3sim.io/usage-memory'
const KWOK_CPU_ANNOTATION = 'kwok.x-k8s.io/usage-cpu'
const KWOK_MEMORY_ANNOTATION = 'kwok.x-k8s.io/usage-memory'

/** The annotations' values (cpu `250m`, memory `64Mi`); a value that is not a quantity is ignored. */
export function simulatedUsage (pod: KubeObject): Partial<Usage> {
  const a = pod.metadata.annotations
  if (a === undefined) return {}
  const out: Partial<Usage> = {}
  const cpu = quantityOrUndefined(a[USAGE_CPU_ANNOTATION] ?? a[KWOK_CPU_ANNOTATION])
  if (cpu !== undefined) out.cpuNanoCores = Math.max(0, scaledValue(cpu, -9))
  const memory = quantityOrUndefined(a[USAGE_MEMORY_ANNOTATION] ?? a[KWOK_MEMORY_ANNOTATION])
  if (memory !== undefined) out.memoryBytes = Math.max(0, value(memory))
  return out
}

function quantityOrUndefined (s: string | undefined): ReturnType<typeof parseQuantity> | undefined {
  if (s === undefined) return undefined
  try { return parseQuantity(s) } catch { return undefined }
}
