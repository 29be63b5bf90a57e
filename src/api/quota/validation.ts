/**
 * ValidateLimitRange, ValidateResourceQuota(Update) and SetDefaults_LimitRangeItem
 * (pkg/apis/core/validation and core/v1/defaults.go, v1.32), with upstream's field errors.
 * Go walks maps in random order; names are taken sorted here. Pure, no I/O.
 */
import { duplicate, forbidden, invalid, required, type FieldError, type GoRepr } from '../field-errors.ts'
import { compareQuantities, formatQuantity, milliValue, parseQuantity, type Quantity, value } from '../quantity.ts'
import { isQualifiedName } from '../validation.ts'

type Json = Record<string, any>

const isHugePages = (n: string): boolean => n.startsWith('hugepages-')
const isQuotaHugePages = (n: string): boolean => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-')
const isNative = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/')

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers'])
const STANDARD_QUOTA = new Set([...STANDARD_RESOURCES].filter(n => n !== 'storage'))
const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage'])
const INTEGER_RESOURCES = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'])
const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim'])
export const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity']
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'])

/** helper.IsExtendedResourceName */
function isExtended (n: string): boolean {
  return !isNative(n) && !n.startsWith('requests.') && isQualifiedName(`requests.${n}`).length === 0
}

/** How field.Invalid prints a resource.Quantity value (no String() on the value type: Go's %#v). */
function quantityRepr (q: Quantity): GoRepr {
  if (q.big) return { goRepr: `resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(0xc000000000)}, s:"", Format:"${q.format}"}` }
  return { goRepr: `resource.Quantity{i:resource.int64Amount{value:${q.unscaled}, scale:${q.scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(q.cached ?? '')}, Format:"${q.format}"}` }
}

function validateResourceName (name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map(msg => invalid(field, name, msg))
  if (errs.length > 0) return errs
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePages(name)) return [invalid(field, name, 'must be a standard resource type or fully qualified')]
  return []
}

function validateContainerResourceName (name: string, field: string): FieldError[] {
  const errs = validateResourceName(name, field)
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePages(name)) return [...errs, invalid(field, name, 'must be a standard resource for containers')]
  } else if (!isNative(name) && !isExtended(name)) {
    return [...errs, invalid(field, name, "doesn't follow extended resource name standard")]
  }
  return errs
}

function validateQuotaResourceName (name: string, field: string): FieldError[] {
  const errs = validateResourceName(name, field)
  if (!name.includes('/') && !STANDARD_QUOTA.has(name) && !isQuotaHugePages(name)) return [...errs, invalid(field, name, 'must be a standard resource for quota')]
  return errs
}

/** ValidateResourceQuantityValue: non-negative, whole for counted resources. */
function validateQuantityValue (name: string, raw: unknown, field: string): FieldError[] {
  const q = parseQuantity(String(raw))
  const errs: FieldError[] = []
  if (q.unscaled < 0n) errs.push(invalid(field, formatQuantity(q), 'must be greater than or equal to 0'))
  if ((INTEGER_RESOURCES.has(name) || isExtended(name)) && milliValue(q) % 1000 !== 0) errs.push(invalid(field, quantityRepr(q), 'must be an integer'))
  return errs
}

/** SetDefaults_LimitRangeItem: Container items' default ← max, defaultRequest ← default, then ← min. */
export function defaultLimitRange (range: Json): void {
  for (const item of (range.spec?.limits ?? []) as Json[]) {
    if (item === null || typeof item !== 'object' || item.type !== 'Container') continue
    item.default ??= {}
    item.defaultRequest ??= {}
    for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v
    for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v
    for (const [k, v] of Object.entries(item.min ?? {})) item.defaultRequest[k] ??= v
    if (Object.keys(item.default).length === 0) delete item.default
    if (Object.keys(item.defaultRequest).length === 0) delete item.defaultRequest
  }
}

/** ValidateLimitRange's spec part. */
export function validateLimitRange (range: Json): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  const limits: Json[] = range.spec?.limits ?? []
  limits.forEach((limit, i) => {
    const path = `spec.limits[${i}]`
    const type: string = limit.type ?? ''
    const typeErrs = isQualifiedName(type).map(msg => invalid(`${path}.type`, type, msg))
    if (typeErrs.length === 0 && !type.includes('/') && !LIMIT_TYPES.has(type)) typeErrs.push(invalid(`${path}.type`, type, 'must be a standard limit type or fully qualified'))
    errs.push(...typeErrs)
    if (seen.has(type)) errs.push(duplicate(`${path}.type`, type))
    seen.add(type)
    const nameErrs = (name: string, field: string): FieldError[] => (type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, field) : validateResourceName(name, field))
    const read = (key: string): Map<string, Quantity> => {
      const out = new Map<string, Quantity>()
      for (const [k, v] of Object.entries(limit[key] ?? {})) {
        errs.push(...nameErrs(k, `${path}.${key}[${k}]`))
        out.set(k, parseQuantity(String(v)))
      }
      return out
    }
    const max = read('max')
    const min = read('min')
    let defaults = new Map<string, Quantity>()
    let defaultRequests = new Map<string, Quantity>()
    if (type === 'Pod') {
      if (Object.keys(limit.default ?? {}).length > 0) errs.push(forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"))
      if (Object.keys(limit.defaultRequest ?? {}).length > 0) errs.push(forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"))
    } else {
      defaults = read('default')
      defaultRequests = read('defaultRequest')
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(required(`${path}.limits`, 'either minimum or maximum storage value is required, but neither was provided'))
    }
    const ratios = read('maxLimitRequestRatio')
    const keys = [...new Set([...max.keys(), ...min.keys(), ...defaults.keys(), ...defaultRequests.keys(), ...ratios.keys()])].sort()
    for (const k of keys) errs.push(...rangeConsistency(path, k, min.get(k), max.get(k), defaults.get(k), defaultRequests.get(k), ratios.get(k)))
  })
  return errs
}

/** min ≤ defaultRequest ≤ default ≤ max, ratio ≥ 1 and ≤ max/min, and no overcommit where it is not allowed. */
function rangeConsistency (path: string, k: string, min?: Quantity, max?: Quantity, def?: Quantity, defReq?: Quantity, ratio?: Quantity): FieldError[] {
  const errs: FieldError[] = []
  const s = formatQuantity
  const gt = (a: Quantity, b: Quantity): boolean => compareQuantities(a, b) > 0
  if (min !== undefined && max !== undefined && gt(min, max)) errs.push(invalid(`${path}.min[${k}]`, quantityRepr(min), `min value ${s(min)} is greater than max value ${s(max)}`))
  if (defReq !== undefined && min !== undefined && gt(min, defReq)) errs.push(invalid(`${path}.defaultRequest[${k}]`, quantityRepr(defReq), `min value ${s(min)} is greater than default request value ${s(defReq)}`))
  if (defReq !== undefined && max !== undefined && gt(defReq, max)) errs.push(invalid(`${path}.defaultRequest[${k}]`, quantityRepr(defReq), `default request value ${s(defReq)} is greater than max value ${s(max)}`))
  if (defReq !== undefined && def !== undefined && gt(defReq, def)) errs.push(invalid(`${path}.defaultRequest[${k}]`, quantityRepr(defReq), `default request value ${s(defReq)} is greater than default limit value ${s(def)}`))
  if (def !== undefined && min !== undefined && gt(min, def)) errs.push(invalid(`${path}.default[${k}]`, quantityRepr(min), `min value ${s(min)} is greater than default value ${s(def)}`))
  if (def !== undefined && max !== undefined && gt(def, max)) errs.push(invalid(`${path}.default[${k}]`, quantityRepr(max), `default value ${s(def)} is greater than max value ${s(max)}`))
  if (ratio !== undefined && compareQuantities(ratio, parseQuantity('1')) < 0) errs.push(invalid(`${path}.maxLimitRequestRatio[${k}]`, quantityRepr(ratio), `ratio ${s(ratio)} is less than 1`))
  if (ratio !== undefined && min !== undefined && max !== undefined) {
    const big = Number.MAX_SAFE_INTEGER / 1000
    const milli = value(ratio) < big && value(min) < big && value(max) < big
    const ratioValue = milli ? milliValue(ratio) / 1000 : value(ratio)
    const limit = milli ? milliValue(max) / milliValue(min) : value(max) / value(min)
    if (ratioValue > limit) errs.push(invalid(`${path}.maxLimitRequestRatio[${k}]`, quantityRepr(ratio), `ratio ${s(ratio)} is greater than max/min = ${limit.toFixed(6)}`))
  }
  const overcommit = isNative(k) && !isHugePages(k) && k !== 'alpha.kubernetes.io/nvidia-gpu'
  if (!overcommit && def !== undefined && defReq !== undefined && compareQuantities(def, defReq) !== 0) {
    errs.push(invalid(`${path}.defaultRequest[${k}]`, quantityRepr(defReq), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`))
  }
  return errs
}

/** IsResourceQuotaScopeValidForResource */
function scopeValidFor (scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating': case 'NotTerminating': case 'NotBestEffort': case 'PriorityClass': case 'CrossNamespacePodAffinity':
      return resource === 'pods' || POD_COMPUTE.has(resource)
    case 'BestEffort':
      return resource === 'pods'
    default:
      return true
  }
}

const CONFLICTS = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]

/** Go's %#v of a []core.ResourceQuotaScope. */
const scopesRepr = (scopes: string[] | undefined): GoRepr => ({ goRepr: scopes === undefined ? '[]core.ResourceQuotaScope(nil)' : `[]core.ResourceQuotaScope{${scopes.map(s => JSON.stringify(s)).join(', ')}}` })

const stringsRepr = (v: string[] | undefined): string => (v === undefined ? '[]string(nil)' : `[]string{${v.map(s => JSON.stringify(s)).join(', ')}}`)

/** Go's %#v of a core.ScopeSelector (field.Invalid dereferences the pointer). */
function selectorRepr (selector: Json): GoRepr {
  const reqs = ((selector.matchExpressions ?? []) as Json[]).map(r => `core.ScopedResourceSelectorRequirement{ScopeName:${JSON.stringify(r.scopeName ?? '')}, Operator:${JSON.stringify(r.operator ?? '')}, Values:${stringsRepr(r.values)}}`)
  return { goRepr: `core.ScopeSelector{MatchExpressions:${selector.matchExpressions === undefined ? '[]core.ScopedResourceSelectorRequirement(nil)' : `[]core.ScopedResourceSelectorRequirement{${reqs.join(', ')}}`}}` }
}

/** ValidateResourceQuotaSpec */
export function validateQuotaSpec (spec: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  const hard: Json = spec?.hard ?? {}
  for (const [k, v] of Object.entries(hard)) {
    errs.push(...validateQuotaResourceName(k, `spec.hard[${k}]`), ...validateQuantityValue(k, v, `spec.hard[${k}]`))
  }
  const hardNames = Object.keys(hard).sort()
  const scopes: string[] = spec?.scopes ?? []
  const scopesValue = scopesRepr(spec?.scopes)
  if (scopes.length > 0) {
    for (const scope of scopes) {
      if (!QUOTA_SCOPES.includes(scope)) errs.push(invalid('spec.scopes', scopesValue, 'unsupported scope'))
      for (const k of hardNames) if (STANDARD_QUOTA.has(k) && !scopeValidFor(scope, k)) errs.push(invalid('spec.scopes', scopesValue, 'unsupported scope applied to resource'))
    }
    for (const pair of CONFLICTS) if (pair.every(p => scopes.includes(p))) errs.push(invalid('spec.scopes', scopesValue, 'conflicting scopes'))
  }
  const selector = spec?.scopeSelector
  if (selector !== undefined && selector !== null) {
    const path = 'spec.scopeSelector.matchExpressions'
    const seen: string[] = []
    for (const req of (selector.matchExpressions ?? []) as Json[]) {
      if (!QUOTA_SCOPES.includes(req.scopeName)) errs.push(invalid(`${path}.scopeName`, req.scopeName ?? '', 'unsupported scope'))
      for (const k of hardNames) if (STANDARD_QUOTA.has(k) && !scopeValidFor(req.scopeName, k)) errs.push(invalid(path, selectorRepr(selector), 'unsupported scope applied to resource'))
      if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(req.scopeName) && req.operator !== 'Exists') {
        errs.push(invalid(`${path}.operator`, req.operator ?? '', 'must be \'Exists\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'))
      }
      const values: string[] = req.values ?? []
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (values.length === 0) errs.push(required(`${path}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"))
      } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
        if (values.length !== 0) errs.push(invalid(`${path}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"))
      } else {
        errs.push(invalid(`${path}.operator`, req.operator ?? '', 'not a valid selector operator'))
      }
      seen.push(req.scopeName)
    }
    for (const pair of CONFLICTS) if (pair.every(p => seen.includes(p))) errs.push(invalid(path, scopesValue, 'conflicting scopes'))
  }
  return errs
}

/** The status lists (ValidateResourceQuotaStatus). */
export function validateQuotaStatus (status: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  for (const key of ['hard', 'used']) {
    for (const [k, v] of Object.entries(status?.[key] ?? {})) errs.push(...validateQuotaResourceName(k, `status.${key}[${k}]`), ...validateQuantityValue(k, v, `status.${key}[${k}]`))
  }
  return errs
}

/** ValidateResourceQuotaUpdate's own rule: the scopes cannot change. */
export function validateQuotaScopesUnchanged (spec: Json | undefined, old: Json | undefined): FieldError[] {
  const a = new Set<string>(spec?.scopes ?? [])
  const b = new Set<string>(old?.scopes ?? [])
  if (a.size === b.size && [...a].every(s => b.has(s))) return []
  return [invalid('spec.scopes', scopesRepr(spec?.scopes), 'field is immutable')]
}
