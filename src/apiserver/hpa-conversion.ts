// autoscaling/v1 HorizontalPodAutoscalers over the stored autoscaling/v2 ones, as upstream's
// pkg/apis/autoscaling/v1/conversion.go: v1 carries one cpu target in its fields, and everything
// else v2 has (other metrics, behavior, current metrics, conditions) in the
// `autoscaling.alpha.kubernetes.io/*` annotations, so a v1 read-modify-write loses nothing. The
// metric annotations use v1's (v2beta1-like) field names; the behavior annotation is the internal
// type marshalled without json tags (Go field names), as upstream writes it.
import { isObject, type KubeObject } from '../api/object.ts'

type Json = Record<string, any>

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics'
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics'
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions'
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior'
const ROUND_TRIP = [METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR]

/** DropRoundTripHorizontalPodAutoscalerAnnotations (both directions of v2 too). */
export function withoutRoundTripAnnotations (obj: KubeObject): KubeObject {
  const a = obj.metadata?.annotations
  if (a === undefined || !ROUND_TRIP.some(k => k in a)) return obj
  const annotations = Object.fromEntries(Object.entries(a).filter(([k]) => !ROUND_TRIP.includes(k)))
  const metadata = { ...obj.metadata, annotations }
  if (Object.keys(annotations).length === 0) delete (metadata as Json).annotations
  return { ...obj, metadata }
}

const isCpuUtilization = (m: Json): boolean => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization != null

const compact = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

/** An annotation's array of objects; anything else in it is not something upstream could decode. */
function objects (v: unknown): Json[] | undefined {
  return Array.isArray(v) && v.every(isObject) ? v : undefined
}

function metricSpecToV1 (m: Json): Json {
  switch (m.type) {
    case 'Resource': return { type: m.type, resource: compact({ name: m.resource?.name, targetAverageUtilization: m.resource?.target?.averageUtilization, targetAverageValue: m.resource?.target?.averageValue }) }
    case 'ContainerResource': return { type: m.type, containerResource: compact({ name: m.containerResource?.name, container: m.containerResource?.container, targetAverageUtilization: m.containerResource?.target?.averageUtilization, targetAverageValue: m.containerResource?.target?.averageValue }) }
    case 'Pods': return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, targetAverageValue: m.pods?.target?.averageValue, selector: m.pods?.metric?.selector }) }
    case 'Object': return { type: m.type, object: compact({ target: m.object?.describedObject, metricName: m.object?.metric?.name, targetValue: m.object?.target?.value, selector: m.object?.metric?.selector, averageValue: m.object?.target?.averageValue }) }
    case 'External': return { type: m.type, external: compact({ metricName: m.external?.metric?.name, metricSelector: m.external?.metric?.selector, targetValue: m.external?.target?.value, targetAverageValue: m.external?.target?.averageValue }) }
  }
  return { type: m.type }
}

function target (utilization: unknown, averageValue: unknown, value?: unknown): Json {
  if (utilization != null) return { type: 'Utilization', averageUtilization: utilization }
  if (averageValue != null) return { type: 'AverageValue', averageValue }
  return compact({ type: 'Value', value })
}

function metricSpecFromV1 (m: Json): Json {
  switch (m.type) {
    case 'Resource': return { type: m.type, resource: { name: m.resource?.name, target: target(m.resource?.targetAverageUtilization, m.resource?.targetAverageValue) } }
    case 'ContainerResource': return { type: m.type, containerResource: { name: m.containerResource?.name, container: m.containerResource?.container, target: target(m.containerResource?.targetAverageUtilization, m.containerResource?.targetAverageValue) } }
    case 'Pods': return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), target: { type: 'AverageValue', averageValue: m.pods?.targetAverageValue } } }
    // Object keeps both values (AverageValue when it has one); External prefers Value, as upstream converts them.
    case 'Object': return { type: m.type, object: { describedObject: m.object?.target, metric: compact({ name: m.object?.metricName, selector: m.object?.selector }), target: compact({ type: m.object?.averageValue != null ? 'AverageValue' : 'Value', value: m.object?.targetValue, averageValue: m.object?.averageValue }) } }
    case 'External': return { type: m.type, external: { metric: compact({ name: m.external?.metricName, selector: m.external?.metricSelector }), target: m.external?.targetValue != null ? { type: 'Value', value: m.external.targetValue } : target(undefined, m.external?.targetAverageValue) } }
  }
  return { type: m.type }
}

function metricStatusToV1 (m: Json): Json {
  const cur = (src: Json | undefined): Json => src?.current ?? {}
  switch (m.type) {
    case 'Resource': return { type: m.type, resource: compact({ name: m.resource?.name, currentAverageUtilization: cur(m.resource).averageUtilization, currentAverageValue: cur(m.resource).averageValue }) }
    case 'ContainerResource': return { type: m.type, containerResource: compact({ name: m.containerResource?.name, container: m.containerResource?.container, currentAverageUtilization: cur(m.containerResource).averageUtilization, currentAverageValue: cur(m.containerResource).averageValue }) }
    case 'Pods': return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, currentAverageValue: cur(m.pods).averageValue, selector: m.pods?.metric?.selector }) }
    case 'Object': return { type: m.type, object: compact({ target: m.object?.describedObject, metricName: m.object?.metric?.name, currentValue: cur(m.object).value, selector: m.object?.metric?.selector, averageValue: cur(m.object).averageValue }) }
    case 'External': return { type: m.type, external: compact({ metricName: m.external?.metric?.name, metricSelector: m.external?.metric?.selector, currentValue: cur(m.external).value, currentAverageValue: cur(m.external).averageValue }) }
  }
  return { type: m.type ?? '' }
}

function metricStatusFromV1 (m: Json): Json {
  switch (m.type) {
    case 'Resource': return { type: m.type, resource: { name: m.resource?.name, current: compact({ averageUtilization: m.resource?.currentAverageUtilization, averageValue: m.resource?.currentAverageValue }) } }
    case 'ContainerResource': return { type: m.type, containerResource: { name: m.containerResource?.name, container: m.containerResource?.container, current: compact({ averageUtilization: m.containerResource?.currentAverageUtilization, averageValue: m.containerResource?.currentAverageValue }) } }
    case 'Pods': return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), current: compact({ averageValue: m.pods?.currentAverageValue }) } }
    case 'Object': return { type: m.type, object: { describedObject: m.object?.target, metric: compact({ name: m.object?.metricName, selector: m.object?.selector }), current: compact({ value: m.object?.currentValue, averageValue: m.object?.averageValue }) } }
    case 'External': return { type: m.type, external: { metric: compact({ name: m.external?.metricName, selector: m.external?.metricSelector }), current: compact({ value: m.external?.currentValue, averageValue: m.external?.currentAverageValue }) } }
  }
  return { type: m.type ?? '' }
}

/** The behavior as the internal type marshals: Go field names, an unset window as null. */
function behaviorToGo (b: Json): Json {
  const rules = (r: Json | undefined): Json | null => r == null
    ? null
    : { StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null, SelectPolicy: r.selectPolicy ?? null, Policies: (r.policies ?? []).map((p: Json) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) }
  return { ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) }
}

function behaviorFromGo (g: Json): Json | undefined {
  // What json.Unmarshal into the internal type would refuse makes the whole annotation ignored.
  for (const r of [g.ScaleUp, g.ScaleDown]) {
    if (r == null) continue
    if (!isObject(r) || (r.Policies != null && objects(r.Policies) === undefined)) return undefined
  }
  const rules = (r: unknown): Json | undefined => !isObject(r)
    ? undefined
    : compact({ stabilizationWindowSeconds: r.StabilizationWindowSeconds ?? undefined, selectPolicy: r.SelectPolicy ?? undefined, policies: (objects(r.Policies) ?? []).map(p => ({ type: p.Type, value: p.Value, periodSeconds: p.PeriodSeconds })) })
  const out = compact({ scaleUp: rules(g?.ScaleUp), scaleDown: rules(g?.ScaleDown) })
  return Object.keys(out).length === 0 ? undefined : out
}

/** Invalid JSON in an annotation is ignored, as upstream's conversion does. */
function annotationJson (obj: KubeObject, key: string): unknown {
  const raw = obj.metadata?.annotations?.[key]
  if (raw === undefined) return undefined
  try { return JSON.parse(raw) } catch { return undefined }
}

/** autoscaling/v1 → the stored v2 object. */
export function hpaV1ToV2 (obj: KubeObject): KubeObject {
  const v1 = (obj.spec as Json ?? {})
  const targetCpu = v1.targetCPUUtilizationPercentage
  const metrics: Json[] = [...(objects(annotationJson(obj, METRICS)) ?? []).map(metricSpecFromV1)]
  if (targetCpu != null) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpu } } })
  // metrics takes targetCPUUtilizationPercentage's place, so a v1 read-modify-write stores the same object.
  const spec: Json = {}
  for (const [k, v] of Object.entries(v1)) {
    if (k === 'targetCPUUtilizationPercentage') { if (metrics.length > 0) spec.metrics = metrics } else spec[k] = v
  }
  if (metrics.length > 0 && spec.metrics === undefined) spec.metrics = metrics
  const behavior = annotationJson(obj, BEHAVIOR)
  if (isObject(behavior)) {
    const b = behaviorFromGo(behavior)
    if (b !== undefined) spec.behavior = b
  }
  const status = { ...(obj.status as Json ?? {}) }
  const current = status.currentCPUUtilizationPercentage
  delete status.currentCPUUtilizationPercentage
  if (current != null) status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }]
  const currentMetrics = objects(annotationJson(obj, CURRENT_METRICS))
  if (currentMetrics !== undefined) status.currentMetrics = currentMetrics.map(metricStatusFromV1)
  const conditions = objects(annotationJson(obj, CONDITIONS))
  if (conditions !== undefined) status.conditions = conditions
  return withoutRoundTripAnnotations({ ...obj, apiVersion: 'autoscaling/v2', spec, status })
}

/** The stored v2 object → autoscaling/v1. */
export function hpaV2ToV1 (stored: KubeObject): KubeObject {
  const obj = withoutRoundTripAnnotations(stored)
  const spec = (obj.spec as Json ?? {})
  const metrics = (Array.isArray(spec.metrics) ? spec.metrics : []) as Json[]
  const annotations: Record<string, string> = { ...obj.metadata.annotations }
  const cpu = metrics.find(isCpuUtilization)
  const others = metrics.filter(m => m !== cpu)
  if (others.length > 0) annotations[METRICS] = JSON.stringify(others.map(metricSpecToV1))
  if (spec.behavior != null) annotations[BEHAVIOR] = JSON.stringify(behaviorToGo(spec.behavior))
  // targetCPUUtilizationPercentage takes metrics' place (see hpaV1ToV2).
  const v1Spec: Json = {}
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'metrics') { if (cpu !== undefined) v1Spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization } else if (k !== 'behavior') v1Spec[k] = v
  }
  const status = { ...(obj.status as Json ?? {}) }
  const currentMetrics = (status.currentMetrics ?? []) as Json[]
  if (currentMetrics.length > 0) annotations[CURRENT_METRICS] = JSON.stringify(currentMetrics.map(metricStatusToV1))
  for (const m of currentMetrics) if (m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization != null) status.currentCPUUtilizationPercentage = m.resource.current.averageUtilization
  const conditions = (status.conditions ?? []) as Json[]
  if (conditions.length > 0) annotations[CONDITIONS] = JSON.stringify(conditions.map(c => compact({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message })))
  delete status.currentMetrics
  delete status.conditions
  const metadata = Object.keys(annotations).length > 0 ? { ...obj.metadata, annotations } : obj.metadata
  return { ...obj, apiVersion: 'autoscaling/v1', metadata, spec: v1Spec, status }
}
