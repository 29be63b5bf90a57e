// The HPA's metrics clients (pkg/controller/podautoscaler/metrics/client.go, v1.32): resource
// metrics from metrics.k8s.io's PodMetrics, listed with the target's selector; a pod's value is
// the sum of its containers' (or the one container's), in milli-units. k3sim serves no custom or
// external metrics API, so those metrics fail as they do on a cluster without an adapter.
import type { KubeObject } from '../../api/object.ts'
import { milliValue, parseQuantity } from '../../api/quantity.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import { parseDuration } from '../../util/clock.ts'
import { CalculationError, type PodMetrics } from './calculator.ts'

type PodMetricsObject = KubeObject & { timestamp?: string, window?: string, containers?: Array<{ name: string, usage?: Record<string, string> }> }

/** A metrics window (`15s`, `15.001s`, `1m0s`) in ms; one that does not parse counts 0. */
function windowOf (window: string | undefined): number {
  try { return parseDuration(window ?? '0s') } catch { return 0 }
}

/** client-go's wording of a failed list of pods.metrics.k8s.io. */
function listError (err: unknown): string {
  if (isStatusError(err, 404)) return 'the server could not find the requested resource (get pods.metrics.k8s.io)'
  if (isStatusError(err, 503)) return 'the server is currently unable to handle the request (get pods.metrics.k8s.io)'
  return err instanceof Error ? err.message : String(err)
}

/** resourceMetricsClient.GetResourceMetric */
export async function resourceMetrics (client: Client, namespace: string, selector: string, resource: string, container: string): Promise<PodMetrics> {
  let items: PodMetricsObject[]
  try {
    items = (await client.list<PodMetricsObject>('metrics.k8s.io/v1beta1', 'PodMetrics', { namespace, labelSelector: selector })).items
  } catch (err) {
    throw new CalculationError(`unable to fetch metrics from resource metrics API: ${listError(err)}`)
  }
  if (items.length === 0) throw new CalculationError('no metrics returned from resource metrics API')
  const out: PodMetrics = new Map()
  for (const m of items) {
    const timestamp = Date.parse(m.timestamp ?? '') || 0
    const windowMs = windowOf(m.window)
    const containers = m.containers ?? []
    if (container !== '') {
      const c = containers.find(x => x.name === container)
      if (c === undefined) throw new CalculationError(`failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`)
      const v = c.usage?.[resource]
      if (v !== undefined) out.set(m.metadata.name!, { timestamp, windowMs, value: milliValue(parseQuantity(v)) })
      continue
    }
    // A pod without containers, or with one lacking the resource, counts as missing.
    if (containers.length === 0 || containers.some(c => c.usage?.[resource] === undefined)) continue
    let sum = 0
    for (const c of containers) sum += milliValue(parseQuantity(c.usage![resource]))
    out.set(m.metadata.name!, { timestamp, windowMs, value: sum })
  }
  return out
}

/** The custom and external metrics APIs k3sim does not serve (no adapter is installed). */
export function customMetricsError (type: string, metricName: string): string {
  if (type === 'External') return `unable to get external metric ${metricName}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${metricName}.external.metrics.k8s.io)`
  return `unable to get metric ${metricName}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`
}
