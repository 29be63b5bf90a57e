// From the metrics' proposal to the replica count the HPA sets (horizontal.go, v1.32):
// stabilization over recent recommendations, then the scaling rules — the legacy ones (5 min
// downscale window, scale up at most to max(2×current, 4)) when spec.behavior is unset, else the
// behavior's windows and Pods/Percent policies over the scale events of their periods. Each
// returns the conditions it sets (AbleToScale, ScalingLimited). Times are ms on the cluster clock.
import { defaultScaleDownRules, defaultScaleUpRules } from '../../api/autoscaling/hpa.ts'

type Json = Record<string, any>

interface Recommendation { replicas: number, timestamp: number }
interface ScaleEvent { change: number, timestamp: number, outdated: boolean }

/** What the controller remembers per HPA between syncs (upstream's maps keyed by HPA). */
export interface HpaMemory {
  recommendations: Recommendation[]
  scaleUpEvents: ScaleEvent[]
  scaleDownEvents: ScaleEvent[]
}

export const newMemory = (current: number, now: number): HpaMemory => ({ recommendations: [{ replicas: current, timestamp: now }], scaleUpEvents: [], scaleDownEvents: [] })

export interface ConditionUpdate { type: string, status: 'True' | 'False', reason: string, message: string }

export interface Normalized { replicas: number, conditions: ConditionUpdate[] }

const READY: Omit<ConditionUpdate, 'type' | 'status'> = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' }
const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' }
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' }

function conditions (stabilized: number, desired: number, stabilizedBy: { reason: string, message: string }, result: number, limit: { reason: string, message: string }): ConditionUpdate[] {
  return [
    { type: 'AbleToScale', status: 'True', ...(stabilized !== desired ? stabilizedBy : READY) },
    { type: 'ScalingLimited', status: result === stabilized ? 'False' : 'True', ...limit },
  ]
}

/** normalizeDesiredReplicas: spec.behavior unset. */
export function normalizeLegacy (mem: HpaMemory, current: number, desired: number, min: number, max: number, now: number, downscaleWindowMs: number): Normalized {
  // stabilizeRecommendation: the highest recommendation of the window; one old sample is reused.
  let stabilized = desired
  let old = -1
  const cutoff = now - downscaleWindowMs
  mem.recommendations.forEach((r, i) => { if (r.timestamp < cutoff) old = i; else if (r.replicas > stabilized) stabilized = r.replicas })
  record(mem, old, desired, now)
  const upLimit = Math.max(2 * current, 4)
  const [upper, upperWhy] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY]
  const [result, why] = stabilized < min ? [min, TOO_FEW] : stabilized > upper ? [upper, upperWhy] : [stabilized, WITHIN]
  return { replicas: result, conditions: conditions(stabilized, desired, DOWN_STABILIZED, result, why) }
}

/** normalizeDesiredReplicasWithBehaviors */
export function normalizeWithBehavior (mem: HpaMemory, behavior: Json, current: number, desired: number, min: number, max: number, now: number, downscaleWindowMs: number): Normalized {
  const up = behavior.scaleUp ?? defaultScaleUpRules()
  const down = behavior.scaleDown ?? defaultScaleDownRules()
  const upCutoff = now - (up.stabilizationWindowSeconds ?? 0) * 1000
  // maybeInitScaleDownStabilizationWindow: an unset window is the controller's flag.
  const downCutoff = now - (down.stabilizationWindowSeconds ?? downscaleWindowMs / 1000) * 1000
  let upRec = desired
  let downRec = desired
  let old = -1
  mem.recommendations.forEach((r, i) => {
    if (r.timestamp > upCutoff) upRec = Math.min(r.replicas, upRec)
    if (r.timestamp > downCutoff) downRec = Math.max(r.replicas, downRec)
    if (r.timestamp < upCutoff && r.timestamp < downCutoff) old = i
  })
  let stabilized = current
  if (stabilized < upRec) stabilized = upRec
  if (stabilized > downRec) stabilized = downRec
  record(mem, old, desired, now)
  const stabilizedBy = desired >= current ? UP_STABILIZED : DOWN_STABILIZED
  let result = stabilized
  let why = WITHIN
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(current, mem, up, now), current)
    const [allowed, allowedWhy] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY]
    if (stabilized > allowed) { result = allowed; why = allowedWhy }
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(current, mem, down, now), current)
    const [allowed, allowedWhy] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW]
    if (stabilized < allowed) { result = allowed; why = allowedWhy }
  }
  return { replicas: result, conditions: conditions(stabilized, desired, stabilizedBy, result, why) }
}

function record (mem: HpaMemory, old: number, replicas: number, now: number): void {
  if (old >= 0) mem.recommendations[old] = { replicas, timestamp: now }
  else mem.recommendations.push({ replicas, timestamp: now })
}

/** getReplicasChangePerPeriod */
function changeInPeriod (events: ScaleEvent[], periodSeconds: number, now: number): number {
  let sum = 0
  for (const e of events) if (e.timestamp > now - periodSeconds * 1000) sum += e.change
  return sum
}

/** calculateScaleUpLimitWithScalingRules */
function scaleUpLimit (current: number, mem: HpaMemory, rules: Json, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  const pickMin = rules.selectPolicy === 'Min'
  let result = pickMin ? 2 ** 31 - 1 : -(2 ** 31)
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(mem.scaleUpEvents, p.periodSeconds, now) + changeInPeriod(mem.scaleDownEvents, p.periodSeconds, now)
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100))
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed)
  }
  return result
}

/** calculateScaleDownLimitWithBehaviors */
function scaleDownLimit (current: number, mem: HpaMemory, rules: Json, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  const pickMin = rules.selectPolicy === 'Min'
  let result = pickMin ? -(2 ** 31) : 2 ** 31 - 1
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(mem.scaleUpEvents, p.periodSeconds, now) + changeInPeriod(mem.scaleDownEvents, p.periodSeconds, now)
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100))
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed)
  }
  return result
}

/** storeScaleEvent (behavior set only): events past the longest policy period are reused. */
export function storeScaleEvent (mem: HpaMemory, behavior: Json | undefined, previous: number, replicas: number, now: number): void {
  if (behavior === undefined || behavior === null) return
  const upward = replicas > previous
  const rules = upward ? behavior.scaleUp ?? defaultScaleUpRules() : behavior.scaleDown ?? defaultScaleDownRules()
  const events = upward ? mem.scaleUpEvents : mem.scaleDownEvents
  const longest = Math.max(0, ...((rules.policies ?? []) as Json[]).map(p => p.periodSeconds as number))
  let old = -1
  events.forEach((e, i) => { if (e.timestamp < now - longest * 1000) e.outdated = true; if (e.outdated) old = i })
  const event = { change: Math.abs(replicas - previous), timestamp: now, outdated: false }
  if (old >= 0) events[old] = event
  else events.push(event)
}
