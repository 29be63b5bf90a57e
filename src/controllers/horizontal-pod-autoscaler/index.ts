// kube-controller-manager's horizontal-pod-autoscaler controller (pkg/controller/podautoscaler/
// horizontal.go, v1.32), keyed by HPA: every 15 s (and 15 s after it appears or changes, as
// upstream's fixed-interval queue) it reads the target's scale, computes the replicas its
// metrics ask for, normalizes them (stabilization, min/max, the scaling rules), updates the
// scale, and writes the status: currentReplicas, desiredReplicas, currentMetrics, lastScaleTime
// and the AbleToScale / ScalingActive / ScalingLimited conditions, with upstream's events.
// Errors do not retry sooner: the next sync is the next period, as upstream's.
import { jsonEqual, rfc3339, type KubeObject } from '../../api/object.ts'
import { parseLabelSelector } from '../../api/label-parser.ts'
import type { Selector } from '../../api/labels.ts'
import { formatQuantity, milliValue, newMilliQuantity, parseQuantity } from '../../api/quantity.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import { parseApiVersion } from '../../api/resources.ts'
import { CalculationError, DEFAULT_SETTINGS, rawResourceReplicas, resourceReplicas, type CalculatorSettings } from './calculator.ts'
import { customMetricsError, resourceMetrics } from './metrics.ts'
import { newMemory, normalizeLegacy, normalizeWithBehavior, storeScaleEvent, type ConditionUpdate, type HpaMemory } from './normalize.ts'

type Json = Record<string, any>
type Hpa = KubeObject & { spec: Json, status?: Json }

export const HPA_COMPONENT = 'horizontal-pod-autoscaler'
/** --horizontal-pod-autoscaler-sync-period */
export const SYNC_PERIOD_MS = 15_000
/** --horizontal-pod-autoscaler-downscale-stabilization */
const DOWNSCALE_WINDOW_MS = 5 * 60_000

export interface HpaControllerOptions {
  settings?: Partial<CalculatorSettings>
  log?: (msg: string) => void
}

export function horizontalPodAutoscalerController (options: HpaControllerOptions = {}): ControllerDefinition {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings }
  const memory = new Map<string, HpaMemory>()
  /** Each HPA's parsed target selector by namespace, to find pods that two HPAs both control. */
  const selectors = new Map<string, Map<string, Selector>>()
  const forget = (key: string): void => {
    memory.delete(key)
    const ns = key.slice(0, key.indexOf('/'))
    selectors.get(ns)?.delete(key)
    if (selectors.get(ns)?.size === 0) selectors.delete(ns)
  }
  return {
    name: 'horizontal-pod-autoscaler',
    workers: 5,
    informers: {
      hpas: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      // Always one period after the change, as upstream's FixedItemIntervalRateLimiter.
      { informer: 'hpas', on: ['add', 'update'], keys: ({ obj }) => [key(obj)], delayMs: SYNC_PERIOD_MS },
      { informer: 'hpas', on: ['delete'], keys: ({ obj }) => { forget(key(obj)); return [] } },
    ],
    async sync (k, ctx) {
      const hpa = ctx.lister('hpas').get(k) as Hpa | undefined
      if (hpa === undefined) { forget(k); return }
      ctx.enqueueAfter(k, SYNC_PERIOD_MS)
      try {
        await reconcile({ ctx, hpa, key: k, memory, selectors, settings })
      } catch (err) {
        options.log?.(`horizontal-pod-autoscaler: ${k}: ${err instanceof Error ? err.message : String(err)}`)
      }
    },
  }
}

const key = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`

interface Reconcile {
  ctx: ControllerContext
  hpa: Hpa
  key: string
  memory: Map<string, HpaMemory>
  selectors: Map<string, Map<string, Selector>>
  settings: CalculatorSettings
}

/** setConditionInList: lastTransitionTime moves only when the status does. */
function setCondition (conditions: Json[], c: ConditionUpdate, now: number): void {
  let existing = conditions.find(x => x.type === c.type)
  if (existing === undefined) { existing = { type: c.type }; conditions.push(existing) }
  if (existing.status !== c.status) existing.lastTransitionTime = rfc3339(now)
  existing.status = c.status
  existing.reason = c.reason
  existing.message = c.message
}

async function reconcile (r: Reconcile): Promise<void> {
  const { ctx, hpa } = r
  const now = ctx.clock.now()
  const ns = hpa.metadata.namespace!
  const recorder = ctx.recorder(HPA_COMPONENT)
  const warn = (reason: string, message: string): void => { void recorder.record(hpa, { type: 'Warning', reason, message }) }
  const original = hpa.status ?? {}
  const conditions: Json[] = structuredClone(original.conditions ?? [])
  const set = (type: string, status: 'True' | 'False', reason: string, message: string): void => setCondition(conditions, { type, status, reason, message }, now)
  const writeStatus = async (status: Json): Promise<void> => {
    const next = { ...status, conditions }
    if (jsonEqual(normalizeStatus(original), normalizeStatus(next))) return
    try {
      await ctx.client.update({ ...hpa, status: next } as KubeObject, { subresource: 'status' })
    } catch (err) {
      warn('FailedUpdateStatus', err instanceof Error ? err.message : String(err))
    }
  }
  const ref = (hpa.spec.scaleTargetRef ?? {}) as { apiVersion?: string, kind?: string, name?: string }
  let scale: Json
  try {
    scale = await ctx.client.get(ref.apiVersion ?? '', ref.kind ?? '', ns, ref.name ?? '', { subresource: 'scale' })
  } catch (err) {
    // An unknown kind is the RESTMapper's NoKindMatchError, worded for the group kind.
    const msg = isStatusError(err, 404) && err.message.startsWith('no matches for kind')
      ? `no matches for kind "${ref.kind ?? ''}" in group "${parseApiVersion(ref.apiVersion ?? '').group}"`
      : err instanceof Error ? err.message : String(err)
    warn('FailedGetScale', msg)
    set('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`)
    await writeStatus({ ...original })
    return
  }
  set('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale')
  const current: number = scale.spec?.replicas ?? 0
  let mem = r.memory.get(r.key)
  if (mem === undefined) r.memory.set(r.key, mem = newMemory(current, now))
  const min: number = hpa.spec.minReplicas ?? 1
  const max: number = hpa.spec.maxReplicas
  let desired = 0
  let rescale = true
  let reason = ''
  let statuses: Json[] | undefined
  if (current === 0 && min !== 0) {
    rescale = false
    set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero')
  } else if (current > max) {
    reason = 'Current number of replicas above Spec.MaxReplicas'
    desired = max
  } else if (current < min) {
    reason = 'Current number of replicas below Spec.MinReplicas'
    desired = min
  } else {
    const computed = await computeReplicas(r, scale, set, warn, now)
    statuses = computed.statuses
    if (computed.replicas === -1) {
      // Keep the last desiredReplicas; say why nothing could be computed.
      await writeStatus(status(original, current, original.desiredReplicas ?? 0, statuses, false, now))
      warn('FailedComputeMetricsReplicas', computed.error!)
      return
    }
    let metricName = ''
    if (computed.replicas > desired) { desired = computed.replicas; metricName = computed.metric }
    if (desired > current) reason = `${metricName} above target`
    if (desired < current) reason = 'All metrics below target'
    const normalized = hpa.spec.behavior == null
      ? normalizeLegacy(mem, current, desired, min, max, now, DOWNSCALE_WINDOW_MS)
      : normalizeWithBehavior(mem, hpa.spec.behavior, current, desired, min, max, now, DOWNSCALE_WINDOW_MS)
    for (const c of normalized.conditions) set(c.type, c.status, c.reason, c.message)
    desired = normalized.replicas
    rescale = desired !== current
  }
  if (rescale) {
    try {
      await ctx.client.patch(ref.apiVersion ?? '', ref.kind ?? '', ns, ref.name ?? '', { spec: { replicas: desired } }, { type: 'merge', subresource: 'scale' })
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err)
      warn('FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${msg}`)
      set('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`)
      await writeStatus(status(original, current, original.desiredReplicas ?? 0, statuses, false, now))
      return
    }
    set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`)
    void recorder.record(hpa, { type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` })
    storeScaleEvent(mem, hpa.spec.behavior ?? undefined, current, desired, now)
  } else {
    desired = current
  }
  await writeStatus(status(original, current, desired, statuses, rescale, now))
}

/** setStatus: a new status (observedGeneration is not kept, as upstream's). */
function status (original: Json, current: number, desired: number, metrics: Json[] | undefined, rescale: boolean, now: number): Json {
  const out: Json = { currentReplicas: current, desiredReplicas: desired }
  const last = rescale ? rfc3339(now) : original.lastScaleTime
  if (last !== undefined) out.lastScaleTime = last
  if (metrics !== undefined && metrics.length > 0) out.currentMetrics = metrics
  return out
}

/** What updateStatusIfNeeded compares: the status as the API stores it (zero replicas omitted). */
function normalizeStatus (s: Json): Json {
  const out: Json = { ...s }
  for (const k of ['currentReplicas', 'desiredReplicas']) if (out[k] === 0) delete out[k]
  if (Array.isArray(out.conditions) && out.conditions.length === 0) delete out.conditions
  return out
}

interface Computed { replicas: number, metric: string, statuses: Json[], error?: string }

/** computeReplicasForMetrics */
async function computeReplicas (r: Reconcile, scale: Json, set: (type: string, status: 'True' | 'False', reason: string, message: string) => void, warn: (reason: string, message: string) => void, now: number): Promise<Computed> {
  const { hpa } = r
  const ns = hpa.metadata.namespace!
  const specs = (hpa.spec.metrics ?? []) as Json[]
  const selector: string = scale.status?.selector ?? ''
  const checked = checkSelector(r, selector, ns)
  if ('error' in checked) {
    const e = checked.error
    warn(e.event, e.message)
    set('ScalingActive', 'False', e.reason, e.condition)
    return { replicas: -1, metric: '', statuses: [], error: e.message }
  }
  const pods = checked.pods
  const specReplicas: number = scale.spec?.replicas ?? 0
  const statuses: Json[] = specs.map(() => ({ type: '' }))
  let replicas = 0
  let metric = ''
  let invalid = 0
  let firstError: string | undefined
  let firstCondition: { reason: string, message: string } | undefined
  for (const [i, spec] of specs.entries()) {
    try {
      const p = await computeForMetric(r, spec, specReplicas, selector, pods, now)
      statuses[i] = p.status
      if (replicas === 0 || p.replicas > replicas) { replicas = p.replicas; metric = p.metric }
    } catch (err) {
      if (!(err instanceof MetricError)) throw err
      warn(err.reason, err.inner)
      if (invalid === 0) { firstError = err.message; firstCondition = { reason: err.reason, message: `the HPA was unable to compute the replica count: ${err.inner}` } }
      invalid++
    }
  }
  const error = firstError === undefined ? undefined : `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`
  if (invalid >= specs.length || (invalid > 0 && replicas < specReplicas)) {
    set('ScalingActive', 'False', firstCondition!.reason, firstCondition!.message)
    return { replicas: -1, metric: '', statuses, error }
  }
  set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`)
  return { replicas, metric, statuses, error }
}

/** A metric that could not be computed: its event/condition reason, the inner error, and the wrapped one. */
class MetricError extends Error {
  readonly reason: string
  readonly inner: string
  constructor (reason: string, inner: string, wrapped: string) { super(wrapped); this.reason = reason; this.inner = inner }
}

async function computeForMetric (r: Reconcile, spec: Json, specReplicas: number, selector: string, pods: readonly KubeObject[], now: number): Promise<{ replicas: number, metric: string, status: Json }> {
  const ns = r.hpa.metadata.namespace!
  if (spec.type === 'Resource' || spec.type === 'ContainerResource') {
    const container = spec.type === 'ContainerResource'
    const src = (container ? spec.containerResource : spec.resource) ?? {}
    const name: string = src.name
    const target = src.target ?? {}
    const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric'
    const wrap = (inner: string): MetricError => new MetricError(reason, inner, container ? `failed to get ${src.container} container metric value: ${inner}` : `failed to get ${name} resource metric value: ${inner}`)
    const statusOf = (current: Json): Json => container
      ? { type: 'ContainerResource', containerResource: { name, container: src.container, current } }
      : { type: 'Resource', resource: { name, current } }
    const fetch = async (): Promise<Map<string, { timestamp: number, windowMs: number, value: number }>> => {
      try {
        return await resourceMetrics(r.ctx.client, ns, selector, name, container ? src.container : '')
      } catch (err) {
        if (err instanceof CalculationError) throw new CalculationError(`unable to get metrics for resource ${name}: ${err.message}`)
        throw err
      }
    }
    if (target.averageValue !== undefined) {
      try {
        const targetMilli = milliValue(parseQuantity(String(target.averageValue)))
        const p = rawResourceReplicas(specReplicas, targetMilli, name, await fetch(), pods, now, r.settings)
        return { replicas: p.replicas, metric: `${name} resource`, status: statusOf({ averageValue: milliQuantity(p.rawAverage) }) }
      } catch (err) {
        if (err instanceof CalculationError) throw wrap(`failed to get ${name} usage: ${err.message}`)
        throw err
      }
    }
    if (target.averageUtilization === undefined) throw wrap('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set')
    try {
      const p = resourceReplicas(specReplicas, target.averageUtilization, name, container ? src.container : '', await fetch(), pods, now, r.settings)
      const metric = container ? `${name} container resource utilization (percentage of request)` : `${name} resource utilization (percentage of request)`
      return { replicas: p.replicas, metric, status: statusOf({ averageUtilization: p.utilization, averageValue: milliQuantity(p.rawAverage) }) }
    } catch (err) {
      if (err instanceof CalculationError) throw wrap(`failed to get ${name} utilization: ${err.message}`)
      throw err
    }
  }
  const metricName: string = spec.pods?.metric?.name ?? spec.object?.metric?.name ?? spec.external?.metric?.name ?? ''
  switch (spec.type) {
    case 'Pods': { const inner = customMetricsError('Pods', metricName); throw new MetricError('FailedGetPodsMetric', inner, `failed to get pods metric value: ${inner}`) }
    case 'Object': { const inner = customMetricsError('Object', metricName); throw new MetricError('FailedGetObjectMetric', inner, `failed to get object metric value: ${inner}`) }
    case 'External': { const inner = customMetricsError('External', metricName); throw new MetricError('FailedGetExternalMetric', inner, `failed to get ${metricName} external metric value: ${inner}`) }
  }
  const inner = `unknown metric source type "${spec.type}"`
  throw new MetricError('InvalidMetricSourceType', inner, inner)
}

/** resource.NewMilliQuantity(v, DecimalSI).String() */
const milliQuantity = (milli: number): string => formatQuantity(newMilliQuantity(milli))

interface SelectorError { event: string, reason: string, condition: string, message: string }

/**
 * validateAndParseSelector: required, parseable, and no pod under two HPAs. Returns the target's
 * pods (the namespace's pods the selector matches) when it is usable.
 */
function checkSelector (r: Reconcile, selector: string, ns: string): { pods: KubeObject[] } | { error: SelectorError } {
  if (selector === '') return { error: { event: 'SelectorRequired', reason: 'InvalidSelector', condition: 'the HPA target\'s scale is missing a selector', message: 'selector is required' } }
  let parsed: Selector
  try {
    parsed = parseLabelSelector(selector)
  } catch (err) {
    const msg = `couldn't convert selector into a corresponding internal selector object: ${err instanceof Error ? err.message : String(err)}`
    return { error: { event: 'InvalidSelector', reason: 'InvalidSelector', condition: msg, message: msg } }
  }
  let inNamespace = r.selectors.get(ns)
  if (inNamespace === undefined) r.selectors.set(ns, inNamespace = new Map())
  inNamespace.set(r.key, parsed)
  const pods = r.ctx.lister('pods').inNamespace(ns).filter(p => parsed.matches(p.metadata.labels ?? {}))
  const controlling: string[] = []
  for (const [k, other] of inNamespace) {
    if (k === r.key || pods.some(p => other.matches(p.metadata.labels ?? {}))) controlling.push(k)
  }
  if (controlling.length > 1) {
    const msg = `pods by selector ${selector} are controlled by multiple HPAs: [${controlling.sort().join(' ')}]`
    return { error: { event: 'AmbiguousSelector', reason: 'AmbiguousSelector', condition: msg, message: msg } }
  }
  return { pods }
}
