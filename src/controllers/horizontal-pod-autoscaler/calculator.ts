// The HPA's replica calculator for resource metrics (pkg/controller/podautoscaler/
// replica_calculator.go and metrics/utilization.go, v1.32). Pure: pods and metrics in, a replica
// count or an error message out. Values are milli-units (cpu millicores, memory milli-bytes),
// as upstream's MilliValue().
import type { KubeObject } from '../../api/object.ts'
import { milliValue, parseQuantity } from '../../api/quantity.ts'

/** A pod's metric: the sum of its containers (or the one container asked for). */
export interface PodMetric { timestamp: number, windowMs: number, value: number }

export type PodMetrics = Map<string, PodMetric>

export interface CalculatorSettings {
  /** --horizontal-pod-autoscaler-tolerance */
  tolerance: number
  /** --horizontal-pod-autoscaler-cpu-initialization-period */
  cpuInitializationMs: number
  /** --horizontal-pod-autoscaler-initial-readiness-delay */
  initialReadinessDelayMs: number
}

export const DEFAULT_SETTINGS: CalculatorSettings = { tolerance: 0.1, cpuInitializationMs: 5 * 60_000, initialReadinessDelayMs: 30_000 }

/** An error whose message is upstream's, to be wrapped by the caller's context. */
export class CalculationError extends Error {}

type Pod = KubeObject & {
  spec?: { containers?: Container[], initContainers?: Container[] }
  status?: { phase?: string, startTime?: string, conditions?: Array<{ type: string, status: string, lastTransitionTime?: string }> }
}
type Container = { name: string, restartPolicy?: string, resources?: { requests?: Record<string, string> } }

interface Groups { readyPodCount: number, unready: Set<string>, missing: Set<string>, ignored: Set<string> }

/** groupPods */
export function groupPods (pods: readonly Pod[], metrics: PodMetrics, resource: string, now: number, s: CalculatorSettings): Groups {
  const g: Groups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() }
  for (const pod of pods) {
    const name = pod.metadata.name!
    if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') { g.ignored.add(name); continue }
    if (pod.status?.phase === 'Pending') { g.unready.add(name); continue }
    const metric = metrics.get(name)
    if (metric === undefined) { g.missing.add(name); continue }
    if (resource === 'cpu') {
      const condition = pod.status?.conditions?.find(c => c.type === 'Ready')
      const start = pod.status?.startTime === undefined ? undefined : Date.parse(pod.status.startTime)
      let unready: boolean
      if (condition === undefined || start === undefined) unready = true
      else {
        const transition = Date.parse(condition.lastTransitionTime ?? '') || 0
        unready = start + s.cpuInitializationMs > now
          // Still initializing: unready, or no whole window of metrics since readiness changed.
          ? condition.status === 'False' || metric.timestamp < transition + metric.windowMs
          // Never ready since it started.
          : condition.status === 'False' && start + s.initialReadinessDelayMs > transition
      }
      if (unready) { g.unready.add(name); continue }
    }
    g.readyPodCount++
  }
  return g
}

/** calculatePodRequests: regular containers and sidecars (restartable init containers). */
export function podRequests (pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>()
  for (const pod of pods) {
    let sum = 0
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter(c => c.restartPolicy === 'Always')]
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue
      const request = c.resources?.requests?.[resource]
      if (request === undefined) throw new CalculationError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`)
      sum += milliValue(parseQuantity(request))
    }
    requests.set(pod.metadata.name!, sum)
  }
  return requests
}

/** metricsclient.GetResourceUtilizationRatio: the ratio comes from the truncated whole percentage. */
export function utilizationRatio (metrics: PodMetrics, requests: Map<string, number>, target: number): { ratio: number, utilization: number, rawAverage: number } {
  let metricsTotal = 0
  let requestsTotal = 0
  let entries = 0
  for (const [name, m] of metrics) {
    const request = requests.get(name)
    if (request === undefined) continue
    metricsTotal += m.value
    requestsTotal += request
    entries++
  }
  if (requestsTotal === 0) throw new CalculationError('no metrics returned matched known pods')
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal)
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / entries) }
}

/** metricsclient.GetMetricUsageRatio */
function usageRatio (metrics: PodMetrics, target: number): { ratio: number, usage: number } {
  let total = 0
  for (const m of metrics.values()) total += m.value
  const usage = Math.trunc(total / metrics.size)
  return { ratio: usage / target, usage }
}

export interface ResourceProposal { replicas: number, utilization?: number, rawAverage: number }

/** GetResourceReplicas after the metrics were fetched: a target utilization in percent of the requests. */
export function resourceReplicas (currentReplicas: number, target: number, resource: string, container: string, fetched: PodMetrics, pods: readonly Pod[], now: number, s: CalculatorSettings): ResourceProposal {
  const metrics = new Map(fetched)
  if (pods.length === 0) throw new CalculationError('no pods returned by selector while calculating replica count')
  const g = groupPods(pods, metrics, resource, now, s)
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n)
  if (metrics.size === 0) throw new CalculationError('did not receive metrics for targeted pods (pods might be unready)')
  const requests = podRequests(pods, container, resource)
  const first = utilizationRatio(metrics, requests, target)
  const out = (replicas: number): ResourceProposal => ({ replicas, utilization: first.utilization, rawAverage: first.rawAverage })
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= s.tolerance) return out(currentReplicas)
    return out(Math.ceil(first.ratio * g.readyPodCount))
  }
  if (g.missing.size > 0) {
    // Scaling down: missing pods count as their request (or the target, above 100 %); up: as idle.
    const fallback = Math.max(100, target)
    for (const n of g.missing) {
      if (first.ratio < 1) metrics.set(n, { timestamp: 0, windowMs: 0, value: Math.trunc((requests.get(n) ?? 0) * fallback / 100) })
      else if (first.ratio > 1) metrics.set(n, { timestamp: 0, windowMs: 0, value: 0 })
    }
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { timestamp: 0, windowMs: 0, value: 0 })
  const next = utilizationRatio(metrics, requests, target).ratio
  return out(settle(currentReplicas, first.ratio, next, metrics.size, s))
}

/** GetRawResourceReplicas / calcPlainMetricReplicas: a target average value per pod (milli-units). */
export function rawResourceReplicas (currentReplicas: number, targetUsage: number, resource: string, fetched: PodMetrics, pods: readonly Pod[], now: number, s: CalculatorSettings): ResourceProposal {
  const metrics = new Map(fetched)
  if (pods.length === 0) throw new CalculationError('no pods returned by selector while calculating replica count')
  const g = groupPods(pods, metrics, resource, now, s)
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n)
  if (metrics.size === 0) throw new CalculationError('did not receive metrics for targeted pods (pods might be unready)')
  const first = usageRatio(metrics, targetUsage)
  const out = (replicas: number): ResourceProposal => ({ replicas, rawAverage: first.usage })
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= s.tolerance) return out(currentReplicas)
    return out(Math.ceil(first.ratio * g.readyPodCount))
  }
  for (const n of g.missing) metrics.set(n, { timestamp: 0, windowMs: 0, value: first.ratio < 1 ? targetUsage : 0 })
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { timestamp: 0, windowMs: 0, value: 0 })
  const next = usageRatio(metrics, targetUsage).ratio
  return out(settle(currentReplicas, first.ratio, next, metrics.size, s))
}

/** The two final checks: no change within tolerance, nor one that reverses the direction. */
function settle (currentReplicas: number, ratio: number, newRatio: number, counted: number, s: CalculatorSettings): number {
  if (Math.abs(1 - newRatio) <= s.tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas
  const replicas = Math.ceil(newRatio * counted)
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas
  return replicas
}
