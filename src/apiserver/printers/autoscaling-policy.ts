// autoscaling horizontalpodautoscalers and policy poddisruptionbudgets.
import { type Printer, ageColumn, column, nameColumn } from './types.ts'
import { intOrString, quantity } from './format.ts'
import { translateAge } from './time.ts'

/**
 * An autoscaling/v1 HPA in v2 terms, as upstream's conversion does: targetCPUUtilizationPercentage
 * becomes one Resource cpu metric, currentCPUUtilizationPercentage its current value.
 */
function v2Metrics (hpa: any): { specs: any[], statuses: any[] } {
  const spec = hpa.spec ?? {}
  if (spec.targetCPUUtilizationPercentage == null) return { specs: spec.metrics ?? [], statuses: hpa.status?.currentMetrics ?? [] }
  const current = hpa.status?.currentCPUUtilizationPercentage
  return {
    specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }],
    statuses: current == null ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }]
  }
}

/** External and Object metrics: `cur/target (avg)` for an average-value target, else `cur/target`. */
function valueOrAverage (target: any, current: any): string {
  if (target.averageValue != null) {
    const cur = current?.current?.averageValue != null ? quantity(current.current.averageValue) : '<unknown>'
    return `${cur}/${quantity(target.averageValue)} (avg)`
  }
  const cur = current != null ? quantity(current.current?.value) : '<unknown>'
  return `${cur}/${quantity(target.value)}`
}

function resourceMetric (source: any, current: any): string {
  const target = source.target ?? {}
  if (target.averageValue != null) {
    const cur = current != null ? quantity(current.current?.averageValue) : '<unknown>'
    return `${source.name}: ${cur}/${quantity(target.averageValue)}`
  }
  const utilization = current?.current?.averageUtilization
  const cur = utilization != null ? `${utilization}%` : '<unknown>'
  const tgt = target.averageUtilization != null ? `${target.averageUtilization}%` : '<auto>'
  return `${source.name}: ${cur}/${tgt}`
}

/** formatHPAMetrics: the first two metrics as `current/target`, then ` + N more...`. */
export function formatHPAMetrics (specs: any[], statuses: any[]): string {
  if (specs.length === 0) return '<none>'
  const list = specs.map((spec, i) => {
    const status = statuses[i]
    switch (spec.type) {
      case 'External': return valueOrAverage(spec.external?.target ?? {}, status?.external)
      case 'Pods': return `${status?.pods != null ? quantity(status.pods.current?.averageValue) : '<unknown>'}/${quantity(spec.pods?.target?.averageValue)}`
      case 'Object': return valueOrAverage(spec.object?.target ?? {}, status?.object)
      case 'Resource': return resourceMetric(spec.resource ?? {}, status?.resource)
      case 'ContainerResource': return resourceMetric(spec.containerResource ?? {}, status?.containerResource)
      default: return '<unknown type>'
    }
  })
  const max = 2
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`
  return list.join(', ')
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Reference', 'scaleTargetRef points to the target resource to scale.'),
    column('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn
  ],
  // minReplicas defaults to 1 (v1 and v2 defaulting).
  row: (obj, now) => {
    const { specs, statuses } = v2Metrics(obj)
    const ref = obj.spec?.scaleTargetRef ?? {}
    return [
      obj.metadata?.name ?? '', `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHPAMetrics(specs, statuses),
      String(obj.spec?.minReplicas ?? 1), obj.spec?.maxReplicas ?? 0, obj.status?.currentReplicas ?? 0,
      translateAge(obj.metadata?.creationTimestamp, now)
    ]
  }
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    ageColumn
  ],
  row: (obj, now) => [
    obj.metadata?.name ?? '',
    obj.spec?.minAvailable != null ? intOrString(obj.spec.minAvailable) : 'N/A',
    obj.spec?.maxUnavailable != null ? intOrString(obj.spec.maxUnavailable) : 'N/A',
    obj.status?.disruptionsAllowed ?? 0, translateAge(obj.metadata?.creationTimestamp, now)
  ]
}
