// autoscaling/v2 HorizontalPodAutoscaler defaulting and validation, as upstream's
// pkg/apis/autoscaling/v2/defaults.go and pkg/apis/autoscaling/validation (v1.32). Pure, no I/O.
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-errors.ts'
import { parseQuantity } from '../quantity.ts'

type Json = Record<string, any>

/** DefaultCPUUtilization */
export const DEFAULT_CPU_UTILIZATION = 80
const MAX_STABILIZATION_WINDOW_SECONDS = 3600
const MAX_PERIOD_SECONDS = 1800

/** GenerateHPAScaleUpRules(nil) */
export function defaultScaleUpRules (): Json {
  return { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }
}

/** GenerateHPAScaleDownRules(nil): the window stays unset (the controller uses its 300 s flag). */
export function defaultScaleDownRules (): Json {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }
}

/** copyHPAScalingRules: the user's non-nil fields over the defaults, each replaced whole. */
function withRules (defaults: Json, given: Json | undefined | null): Json {
  if (given === undefined || given === null) return defaults
  const out = { ...defaults }
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) if (given[k] !== undefined && given[k] !== null) out[k] = given[k]
  return out
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, cpu at 80 %, behavior's rules when behavior is set. */
export function defaultHpa (hpa: Json): void {
  const spec = hpa.spec
  if (spec === undefined || spec === null || typeof spec !== 'object') return
  spec.minReplicas ??= 1
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }]
  }
  if (spec.behavior !== undefined && spec.behavior !== null) {
    spec.behavior = { ...spec.behavior, scaleUp: withRules(defaultScaleUpRules(), spec.behavior.scaleUp), scaleDown: withRules(defaultScaleDownRules(), spec.behavior.scaleDown) }
  }
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']
const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' }

/** ValidateHorizontalPodAutoscalerSpec (minReplicas' lower bound 1: HPAScaleToZero is off). */
export function validateHpaSpec (spec: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  const s = spec ?? {}
  const min = s.minReplicas
  if (typeof min === 'number' && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'))
  const max = s.maxReplicas ?? 0
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'))
  if (typeof min === 'number' && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'))
  const ref = s.scaleTargetRef ?? {}
  if (ref.kind === undefined || ref.kind === '') errs.push(required('spec.scaleTargetRef.kind'))
  if (ref.name === undefined || ref.name === '') errs.push(required('spec.scaleTargetRef.name'))
  for (const [i, m] of ((s.metrics ?? []) as Json[]).entries()) errs.push(...validateMetric(m ?? {}, `spec.metrics[${i}]`))
  if (s.behavior !== undefined && s.behavior !== null) {
    for (const dir of ['scaleUp', 'scaleDown']) if (s.behavior[dir] !== undefined && s.behavior[dir] !== null) errs.push(...validateRules(s.behavior[dir], `spec.behavior.${dir}`))
  }
  return errs
}

function validateMetric (m: Json, path: string): FieldError[] {
  if (m.type === undefined || m.type === '') return [required(`${path}.type`, 'must specify a metric source type')]
  if (!METRIC_TYPES.includes(m.type)) return [notSupported(`${path}.type`, m.type, METRIC_TYPES)]
  const errs: FieldError[] = []
  const populated = Object.values(SOURCE_FIELD).filter(f => m[f] !== undefined && m[f] !== null)
  const field = SOURCE_FIELD[m.type]
  if (!populated.includes(field)) return [required(`${path}.${field}`, 'must populate information for the given metric source')]
  if (populated.length > 1) errs.push(forbidden(`${path}.${populated.find(f => f !== field)}`, 'must populate the given metric source only'))
  const src = m[field] as Json
  if (m.type === 'Resource' || m.type === 'ContainerResource') {
    if (src.name === undefined || src.name === '') errs.push(required(`${path}.${field}.name`, 'must specify a resource name'))
    if (m.type === 'ContainerResource' && (src.container === undefined || src.container === '')) errs.push(required(`${path}.${field}.container`, 'must specify a container'))
    errs.push(...validateTarget(src.target ?? {}, `${path}.${field}.target`))
    const t = src.target ?? {}
    if (t.averageUtilization === undefined && t.averageValue === undefined) errs.push(required(`${path}.${field}.target.averageUtilization`, 'must set either a target raw value or a target utilization'))
    if (t.averageUtilization !== undefined && t.averageValue !== undefined) errs.push(forbidden(`${path}.${field}.target.averageValue`, 'may not set both a target raw value and a target utilization'))
  } else {
    if (src.metric?.name === undefined || src.metric?.name === '') errs.push(required(`${path}.${field}.metric.name`, 'must specify a metric name'))
    errs.push(...validateTarget(src.target ?? {}, `${path}.${field}.target`))
  }
  return errs
}

function validateTarget (t: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  if (t.type === undefined || t.type === '') errs.push(required(`${path}.type`, 'must specify a metric target type'))
  else if (!['Utilization', 'Value', 'AverageValue'].includes(t.type)) errs.push(invalid(`${path}.type`, t.type, 'must be either Utilization, Value, or AverageValue'))
  for (const k of ['value', 'averageValue']) {
    if (t[k] === undefined) continue
    let negative = false
    try { negative = parseQuantity(String(t[k])).unscaled <= 0n } catch { continue } // the typed decoder refuses non-quantities
    if (negative) errs.push(invalid(`${path}.${k}`, t[k], 'must be positive'))
  }
  if (typeof t.averageUtilization === 'number' && t.averageUtilization <= 0) errs.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'))
  return errs
}

function validateRules (r: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const w = r.stabilizationWindowSeconds
  if (typeof w === 'number' && w < 0) errs.push(invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'))
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(invalid(`${path}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`))
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy)) errs.push(notSupported(`${path}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']))
  const policies = (r.policies ?? []) as Json[]
  if (policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'))
  for (const [i, p] of policies.entries()) {
    const pp = `${path}.policies[${i}]`
    if (!['Percent', 'Pods'].includes(p.type)) errs.push(notSupported(`${pp}.type`, p.type, ['Percent', 'Pods']))
    if (!(p.value > 0)) errs.push(invalid(`${pp}.value`, p.value, 'must be greater than zero'))
    if (!(p.periodSeconds > 0)) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be greater than zero'))
    if (p.periodSeconds > MAX_PERIOD_SECONDS) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`))
  }
  return errs
}

/** ValidateHorizontalPodAutoscalerStatusUpdate: replica counts are non-negative. */
export function validateHpaStatus (status: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  for (const k of ['currentReplicas', 'desiredReplicas']) {
    const v = status?.[k]
    if (typeof v === 'number' && v < 0) errs.push(invalid(`status.${k}`, v, 'must be greater than or equal to 0'))
  }
  return errs
}
