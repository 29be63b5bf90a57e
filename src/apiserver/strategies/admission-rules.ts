// The parts of admissionregistration.k8s.io/v1 that webhooks and ValidatingAdmissionPolicies
// share (pkg/apis/admissionregistration/v1/defaults.go and validation/validation.go, v1.32):
// rules with operations, MatchResources and matchConditions, their defaults and upstream's
// messages. CEL expressions are checked for presence only: k3sim has no CEL compiler, so an
// expression k3s would reject as uncompilable is stored here.
import { duplicate, invalid, notSupported, required, tooMany, type FieldError } from '../../api/field-errors.ts'
import { isQualifiedName, validateLabelSelector, validatePathSegmentName } from '../../api/validation.ts'

export type Json = Record<string, any>

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : [])
/** A nil pointer field: absent or null. */
export const unset = (v: unknown): boolean => v === undefined || v === null

/** How field.Invalid prints a typed slice (`%#v`), e.g. `[]admissionregistration.OperationType{"*", "CREATE"}`. */
export const goSlice = (type: string, v: unknown): { goRepr: string } =>
  ({ goRepr: `[]${type}{${list(v).map(s => JSON.stringify(String(s))).join(', ')}}` })

/** SetDefaults_Rule: a rule's scope is "*" unless given. */
export function defaultRule (rule: unknown): void {
  if (isObject(rule) && unset(rule.scope)) rule.scope = '*'
}

/** SetDefaults_MatchResources, and the rules inside. */
export function defaultMatchResources (mr: unknown): void {
  if (!isObject(mr)) return
  if (unset(mr.matchPolicy)) mr.matchPolicy = 'Equivalent'
  if (unset(mr.namespaceSelector)) mr.namespaceSelector = {}
  if (unset(mr.objectSelector)) mr.objectSelector = {}
  for (const r of [...list(mr.resourceRules), ...list(mr.excludeResourceRules)]) defaultRule(r)
}

export const FAILURE_POLICIES = ['Fail', 'Ignore']
export const MATCH_POLICIES = ['Equivalent', 'Exact']
const SCOPES = ['*', 'Cluster', 'Namespaced']
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE']

const hasWildcard = (v: unknown[]): boolean => v.includes('*')

/** validateResources: subresources allowed, with the wildcard rules between them. */
function validateResources (resources: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = []
  if (resources.length === 0) errs.push(required(path))
  const withWildcardSub = new Set<string>()
  const subWithWildcardRes = new Set<string>()
  let doubleWildcard = false
  let singleWildcard = false
  let withoutSub = false
  resources.forEach((x, i) => {
    const resSub = String(x ?? '')
    if (resSub === '') { errs.push(required(`${path}[${i}]`)); return }
    if (resSub === '*/*') doubleWildcard = true
    if (resSub === '*') singleWildcard = true
    const slash = resSub.indexOf('/')
    if (slash < 0) { withoutSub = resSub !== '*'; return }
    const res = resSub.slice(0, slash)
    const sub = resSub.slice(slash + 1)
    if (withWildcardSub.has(res)) errs.push(invalid(`${path}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`))
    if (subWithWildcardRes.has(sub)) errs.push(invalid(`${path}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`))
    if (sub === '*') withWildcardSub.add(res)
    if (res === '*') subWithWildcardRes.add(sub)
  })
  if (resources.length > 1 && doubleWildcard) errs.push(invalid(path, resources, "if '*/*' is present, must not specify other resources"))
  if (singleWildcard && withoutSub) errs.push(invalid(path, resources, "if '*' is present, must not specify other resources without subresources"))
  return errs
}

/** validateRule (subresources allowed, as every v1 caller does). */
function validateRule (rule: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const groups = list(rule.apiGroups)
  const versions = list(rule.apiVersions)
  if (groups.length === 0) errs.push(required(`${path}.apiGroups`))
  if (groups.length > 1 && hasWildcard(groups)) errs.push(invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"))
  if (versions.length === 0) errs.push(required(`${path}.apiVersions`))
  if (versions.length > 1 && hasWildcard(versions)) errs.push(invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"))
  versions.forEach((v, i) => { if (v === '' || unset(v)) errs.push(required(`${path}.apiVersions[${i}]`)) })
  errs.push(...validateResources(list(rule.resources), `${path}.resources`))
  if (!unset(rule.scope) && !SCOPES.includes(rule.scope)) errs.push(notSupported(`${path}.scope`, rule.scope, SCOPES))
  return errs
}

/** validateRuleWithOperations. */
export function validateRuleWithOperations (rule: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const ops = list(rule.operations)
  if (ops.length === 0) errs.push(required(`${path}.operations`))
  if (ops.length > 1 && hasWildcard(ops)) errs.push(invalid(`${path}.operations`, goSlice('admissionregistration.OperationType', ops), "if '*' is present, must not specify other operations"))
  ops.forEach((op, i) => { if (!OPERATIONS.includes(op)) errs.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS)) })
  errs.push(...validateRule(rule, path))
  return errs
}

/** validateNamedRuleWithOperations: resourceNames are path segments, each once. */
function validateNamedRule (rule: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  list(rule.resourceNames).forEach((n, i) => {
    const name = String(n)
    for (const msg of validatePathSegmentName(name, false)) errs.push(invalid(`${path}.resourceNames[${i}]`, name, msg))
    if (seen.has(name)) errs.push(duplicate(`${path}.resourceNames[${i}]`, name))
    else seen.add(name)
  })
  errs.push(...validateRuleWithOperations(rule, path))
  return errs
}

/** validateMatchResources (a nil MatchResources is valid). */
export function validateMatchResources (mr: unknown, path: string): FieldError[] {
  if (!isObject(mr)) return []
  const errs: FieldError[] = []
  if (unset(mr.matchPolicy)) errs.push(required(`${path}.matchPolicy`))
  else if (!MATCH_POLICIES.includes(mr.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, mr.matchPolicy, MATCH_POLICIES))
  for (const key of ['namespaceSelector', 'objectSelector']) {
    if (!isObject(mr[key])) errs.push(required(`${path}.${key}`))
    else errs.push(...validateLabelSelector(mr[key], `${path}.${key}`))
  }
  list(mr.resourceRules).forEach((r, i) => errs.push(...validateNamedRule(isObject(r) ? r : {}, `${path}.resourceRules[${i}]`)))
  list(mr.excludeResourceRules).forEach((r, i) => errs.push(...validateNamedRule(isObject(r) ? r : {}, `${path}.excludeResourceRules[${i}]`)))
  return errs
}

/** validateMatchConditions: at most 64, each named (a qualified name) once, with an expression. */
export function validateMatchConditions (conditions: unknown, path: string): FieldError[] {
  const items = list(conditions)
  const errs: FieldError[] = []
  if (items.length > 64) errs.push(tooMany(path, items.length, 64))
  const names = new Set<string>()
  items.forEach((c, i) => {
    const at = `${path}[${i}]`
    const mc: Json = isObject(c) ? c : {}
    if (String(mc.expression ?? '').trim() === '') errs.push(required(`${at}.expression`))
    const name = String(mc.name ?? '')
    if (name === '') errs.push(required(`${at}.name`))
    else for (const msg of isQualifiedName(name)) errs.push(invalid(`${at}.name`, name, msg))
    if (name !== '') {
      if (names.has(name)) errs.push(duplicate(`${at}.name`, name))
      else names.add(name)
    }
  })
  return errs
}
