// Validating- and MutatingWebhookConfigurations (pkg/registry/admissionregistration, v1.32):
// SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook / SetDefaults_Rule /
// SetDefaults_ServiceReference, and ValidateValidatingWebhookConfiguration[Update] with upstream's
// messages. Generation starts at 1 and moves when the webhooks change (everything but metadata).
// The configurations are stored and served; k3sim calls no webhook (see the README).
import { duplicate, invalid, notSupported, required, type FieldError } from '../../api/field-errors.ts'
import { isDNS1035Label, isDNS1123Subdomain, validateLabelSelector } from '../../api/validation.ts'
import type { KubeObject } from '../../api/object.ts'
import { statusCauses } from '../validate-meta.ts'
import type { Strategy } from './strategy.ts'
import { FAILURE_POLICIES, MATCH_POLICIES, defaultRule, isObject, list, unset, validateMatchConditions, validateRuleWithOperations, type Json } from './admission-rules.ts'

const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown']
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun']
const REINVOCATION_POLICIES = ['IfNeeded', 'Never']
/** AcceptedAdmissionReviewVersions: what the previous minor release understands. */
const REVIEW_VERSIONS = ['v1', 'v1beta1']

function defaultWebhook (hook: unknown, mutating: boolean): void {
  if (!isObject(hook)) return
  if (unset(hook.failurePolicy)) hook.failurePolicy = 'Fail'
  if (unset(hook.matchPolicy)) hook.matchPolicy = 'Equivalent'
  if (unset(hook.namespaceSelector)) hook.namespaceSelector = {}
  if (unset(hook.objectSelector)) hook.objectSelector = {}
  if (unset(hook.timeoutSeconds)) hook.timeoutSeconds = 10
  if (mutating && unset(hook.reinvocationPolicy)) hook.reinvocationPolicy = 'Never'
  for (const rule of list(hook.rules)) defaultRule(rule)
  const service = hook.clientConfig?.service
  if (isObject(service) && unset(service.port)) service.port = 443
}

/** validation.IsFullyQualifiedName: a DNS subdomain of at least three segments. */
function fullyQualifiedName (name: string, path: string): FieldError[] {
  if (name === '') return [required(path)]
  const errs = isDNS1123Subdomain(name)
  if (errs.length > 0) return [invalid(path, name, errs.join(','))]
  if (name.split('.').length < 3) return [invalid(path, name, 'should be a domain with at least three segments separated by dots')]
  return []
}

/** The parts of Go's url.Parse that webhook.ValidateWebhookURL looks at. */
function parseUrl (raw: string): { scheme: string, host: string, user?: string, query: string, fragment: string } | string {
  let rest = raw
  let fragment = ''
  const hash = rest.indexOf('#')
  if (hash >= 0) { fragment = rest.slice(hash + 1); rest = rest.slice(0, hash) }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)
  if (scheme === null && rest.startsWith(':')) return `parse ${JSON.stringify(raw)}: missing protocol scheme`
  if (scheme !== null) rest = rest.slice(scheme[0].length)
  let query = ''
  const q = rest.indexOf('?')
  if (q >= 0) { query = rest.slice(q + 1); rest = rest.slice(0, q) }
  let host = ''
  let user: string | undefined
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2)
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end)
    const at = authority.lastIndexOf('@')
    if (at >= 0) user = authority.slice(0, at)
    host = at >= 0 ? authority.slice(at + 1) : authority
  }
  return { scheme: scheme === null ? '' : scheme[1]!.toLowerCase(), host, user, query, fragment }
}

const FORM = '; desired format: https://host[/path]'

/** webhook.ValidateWebhookURL (https forced). */
function validateUrl (raw: string, path: string): FieldError[] {
  const u = parseUrl(raw)
  if (typeof u === 'string') return [required(path, `url must be a valid URL: ${u}${FORM}`)]
  const errs: FieldError[] = []
  if (u.scheme !== 'https') errs.push(invalid(path, u.scheme, `'https' is the only allowed URL scheme${FORM}`))
  if (u.host === '') errs.push(invalid(path, u.host, `host must be specified${FORM}`))
  if (u.user !== undefined) errs.push(invalid(path, u.user, 'user information is not permitted in the URL'))
  if (u.fragment !== '') errs.push(invalid(path, u.fragment, 'fragments are not permitted in the URL'))
  if (u.query !== '') errs.push(invalid(path, u.query, 'query parameters are not permitted in the URL'))
  return errs
}

/**
 * webhook.ValidateWebhookService, called as upstream calls it: with the service's name where
 * the function expects the namespace and the other way round, so a missing name is reported
 * at `service.namespace` and a missing namespace at `service.name`, as k3s reports them.
 */
function validateService (svc: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const [namespace, name] = [String(svc.name ?? ''), String(svc.namespace ?? '')]
  if (name === '') errs.push(required(`${path}.name`))
  if (namespace === '') errs.push(required(`${path}.namespace`))
  const port = svc.port
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) errs.push(invalid(`${path}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'))
  if (unset(svc.path)) return errs
  const urlPath = String(svc.path)
  if (urlPath === '/' || urlPath === '') return errs
  if (urlPath === '//') return [...errs, invalid(`${path}.path`, urlPath, 'segment[0] may not be empty')]
  if (!urlPath.startsWith('/')) errs.push(invalid(`${path}.path`, urlPath, "must start with a '/'"))
  let check = urlPath.slice(1)
  if (check.endsWith('/')) check = check.slice(0, -1)
  check.split('/').forEach((step, i) => {
    if (step === '') { errs.push(invalid(`${path}.path`, urlPath, `segment[${i}] may not be empty`)); return }
    for (const failure of isDNS1123Subdomain(step)) errs.push(invalid(`${path}.path`, urlPath, `segment[${i}]: ${failure}`))
  })
  return errs
}

interface Options { noSideEffects: boolean, recognizedReviewVersion: boolean, uniqueNames: boolean, ignoreMatchConditions: boolean }

function validateWebhook (hook: Json, mutating: boolean, opts: Options, path: string): FieldError[] {
  const errs = fullyQualifiedName(String(hook.name ?? ''), `${path}.name`)
  list(hook.rules).forEach((r, i) => errs.push(...validateRuleWithOperations(isObject(r) ? r : {}, `${path}.rules[${i}]`)))
  if (!unset(hook.failurePolicy) && !FAILURE_POLICIES.includes(hook.failurePolicy)) errs.push(notSupported(`${path}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES))
  if (!unset(hook.matchPolicy) && !MATCH_POLICIES.includes(hook.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES))
  const allowed = opts.noSideEffects ? NO_SIDE_EFFECTS : SIDE_EFFECTS
  if (unset(hook.sideEffects)) errs.push(required(`${path}.sideEffects`, `must specify one of ${allowed.join(', ')}`))
  else if (!allowed.includes(hook.sideEffects)) errs.push(notSupported(`${path}.sideEffects`, hook.sideEffects, allowed))
  const timeout = hook.timeoutSeconds
  if (!unset(timeout) && (timeout > 30 || timeout < 1)) errs.push(invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'))
  if (isObject(hook.namespaceSelector)) errs.push(...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`))
  if (isObject(hook.objectSelector)) errs.push(...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`))
  if (mutating && !unset(hook.reinvocationPolicy) && !REINVOCATION_POLICIES.includes(hook.reinvocationPolicy)) {
    errs.push(notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES))
  }
  const cc: Json = isObject(hook.clientConfig) ? hook.clientConfig : {}
  if (unset(cc.url) === unset(cc.service)) errs.push(required(`${path}.clientConfig`, 'exactly one of url or service is required'))
  else if (!unset(cc.url)) errs.push(...validateUrl(String(cc.url), `${path}.clientConfig.url`))
  else errs.push(...validateService(isObject(cc.service) ? cc.service : {}, `${path}.clientConfig.service`))
  if (!opts.ignoreMatchConditions) errs.push(...validateMatchConditions(hook.matchConditions, `${path}.matchConditions`))
  return errs
}

/** validateAdmissionReviewVersions. */
function validateReviewVersions (versions: unknown[], recognized: boolean, path: string): FieldError[] {
  if (versions.length === 0) return [required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`)]
  const errs: FieldError[] = []
  const seen = new Set<string>()
  let accepted = false
  versions.forEach((x, i) => {
    const v = String(x)
    if (seen.has(v)) { errs.push(invalid(`${path}[${i}]`, v, 'duplicate version')); return }
    seen.add(v)
    for (const msg of isDNS1035Label(v)) errs.push(invalid(`${path}[${i}]`, v, msg))
    if (REVIEW_VERSIONS.includes(v)) accepted = true
  })
  if (recognized && !accepted) errs.push(invalid(path, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`))
  return errs
}

function validateConfiguration (obj: KubeObject, mutating: boolean, opts: Options): FieldError[] {
  const errs: FieldError[] = []
  const names = new Set<string>()
  list((obj as Json).webhooks).forEach((h, i) => {
    const hook: Json = isObject(h) ? h : {}
    const path = `webhooks[${i}]`
    errs.push(...validateWebhook(hook, mutating, opts, path))
    errs.push(...validateReviewVersions(list(hook.admissionReviewVersions), opts.recognizedReviewVersion, `${path}.admissionReviewVersions`))
    const name = String(hook.name ?? '')
    if (opts.uniqueNames && name !== '') {
      if (names.has(name)) errs.push(duplicate(`${path}.name`, name))
      else names.add(name)
    }
  })
  return errs
}

const CREATE: Options = { noSideEffects: true, recognizedReviewVersion: true, uniqueNames: true, ignoreMatchConditions: false }

/** ValidateXWebhookConfigurationUpdate: rules the stored object already breaks are not enforced. */
function updateOptions (obj: KubeObject, old: KubeObject): Options {
  const hooks = list((obj as Json).webhooks)
  const oldHooks: Json[] = list((old as Json).webhooks).map(h => (isObject(h) ? h : {}))
  const names = oldHooks.map(h => h.name)
  return {
    noSideEffects: oldHooks.every(h => NO_SIDE_EFFECTS.includes(h.sideEffects)),
    recognizedReviewVersion: oldHooks.every(h => list(h.admissionReviewVersions).length === 0 || list(h.admissionReviewVersions).some(v => REVIEW_VERSIONS.includes(v))),
    uniqueNames: new Set(names).size === names.length,
    ignoreMatchConditions: hooks.length === oldHooks.length && hooks.every((h, i) => JSON.stringify(h?.matchConditions) === JSON.stringify(oldHooks[i]!.matchConditions)),
  }
}

function webhookStrategy (mutating: boolean): Strategy {
  return {
    generation: true,
    status: false,
    defaults (obj) { for (const hook of list((obj as Json).webhooks)) defaultWebhook(hook, mutating) },
    validateCreate: obj => statusCauses(validateConfiguration(obj, mutating, CREATE)),
    validateUpdate: (obj, old) => statusCauses(validateConfiguration(obj, mutating, updateOptions(obj, old))),
  }
}

export const validatingWebhookConfigurationStrategy = webhookStrategy(false)
export const mutatingWebhookConfigurationStrategy = webhookStrategy(true)
