/**
 * Whether a stored LimitRange or ResourceQuota has the typed shape its readers assume. The API
 * only stores valid ones, but the etcd port writes anything: one that would not decode counts as
 * absent, as for an informer that cannot decode it, instead of failing every write of its
 * namespace. Pure, no I/O.
 */
import { parseQuantity } from '../quantity.ts'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Absent, or a map of parseable quantities. */
function resourceListOk (v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (!isObject(v)) return false
  try {
    for (const q of Object.values(v)) parseQuantity(String(q))
    return true
  } catch {
    return false
  }
}

const stringsOk = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.every(s => typeof s === 'string'))

export function wellFormedLimitRange (obj: unknown): boolean {
  if (!isObject(obj) || !isObject(obj.metadata)) return false
  const spec = obj.spec
  if (spec === undefined || spec === null) return true
  if (!isObject(spec)) return false
  const limits = spec.limits
  if (limits === undefined || limits === null) return true
  if (!Array.isArray(limits)) return false
  return limits.every(l => isObject(l) && (l.type === undefined || typeof l.type === 'string') &&
    ['min', 'max', 'default', 'defaultRequest', 'maxLimitRequestRatio'].every(k => resourceListOk(l[k])))
}

export function wellFormedQuota (obj: unknown): boolean {
  if (!isObject(obj) || !isObject(obj.metadata)) return false
  const spec = obj.spec ?? {}
  const status = obj.status ?? {}
  if (!isObject(spec) || !isObject(status)) return false
  if (!resourceListOk(spec.hard) || !resourceListOk(status.hard) || !resourceListOk(status.used) || !stringsOk(spec.scopes)) return false
  const selector = spec.scopeSelector
  if (selector === undefined || selector === null) return true
  if (!isObject(selector)) return false
  const exprs = selector.matchExpressions
  return exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.every(e => isObject(e) && typeof e.scopeName === 'string' && typeof e.operator === 'string' && stringsOk(e.values)))
}
