// ValidatingAdmissionPolicies and their bindings (pkg/registry/admissionregistration, v1.32):
// SetDefaults_ValidatingAdmissionPolicySpec and SetDefaults_MatchResources, and the structural
// checks of ValidateValidatingAdmissionPolicy[Binding] with upstream's messages. The CEL in
// validations, variables, matchConditions and auditAnnotations is not compiled (k3sim has no CEL
// environment), and the policies are stored, not evaluated (see the README).
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.ts'
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, validateLabelSelector, validatePathSegmentName } from '../../api/validation.ts'
import type { KubeObject } from '../../api/object.ts'
import { statusCauses } from '../validate-meta.ts'
import type { Strategy } from './strategy.ts'
import { FAILURE_POLICIES, defaultMatchResources, goSlice, isObject, list, unset, validateMatchConditions, validateMatchResources, type Json } from './admission-rules.ts'

const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge']
const ACTIONS = ['Audit', 'Deny', 'Warn']
const MAX_AUDIT_ANNOTATIONS = 20
const MAX_VALUE_EXPRESSION = 5 * 1024
const CEL_IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while'])

/** validateParamKind. */
function validateParamKind (pk: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const apiVersion = String(pk.apiVersion ?? '')
  if (apiVersion === '') errs.push(required(`${path}.apiVersion`))
  else if ((apiVersion.match(/\//g) ?? []).length > 1) errs.push(invalid(`${path}.apiVersion`, apiVersion, `unexpected GroupVersion string: ${apiVersion}`))
  else if (apiVersion !== '/') {
    const i = apiVersion.indexOf('/')
    const [group, version] = i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)]
    if (group !== '') {
      const errs1123 = isDNS1123Subdomain(group)
      if (errs1123.length > 0) errs.push(invalid(`${path}.apiVersion`, group, errs1123.join(',')))
    }
    if (version === '') errs.push(invalid(`${path}.apiVersion`, apiVersion, 'version must be specified'))
    else {
      const errs1035 = isDNS1035Label(version)
      if (errs1035.length > 0) errs.push(invalid(`${path}.apiVersion`, version, errs1035.join(',')))
    }
  }
  const kind = String(pk.kind ?? '')
  if (kind === '') errs.push(required(`${path}.kind`))
  else {
    const errs1035 = isDNS1035Label(kind.toLowerCase())
    if (errs1035.length > 0) errs.push(invalid(`${path}.kind`, kind, `may have mixed case, but should otherwise match: ${errs1035.join(',')}`))
  }
  return errs
}

/** validateValidation, without compiling the expressions. */
function validateValidation (v: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  if (String(v.expression ?? '').trim() === '') errs.push(required(`${path}.expression`, 'expression is not specified'))
  const messageExpression = String(v.messageExpression ?? '')
  if (messageExpression.length > 0 && messageExpression.trim() === '') errs.push(invalid(`${path}.messageExpression`, messageExpression, 'must be non-empty if specified'))
  const message = String(v.message ?? '')
  if (message.length > 0 && message.trim() === '') errs.push(invalid(`${path}.message`, message, 'message must be non-empty if specified'))
  else if (/[\n\r]/.test(message.trim())) errs.push(invalid(`${path}.message`, message, 'message must not contain line breaks'))
  if (!unset(v.reason) && !REASONS.includes(v.reason)) errs.push(notSupported(`${path}.reason`, v.reason, REASONS))
  return errs
}

function validateVariable (v: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const name = String(v.name ?? '')
  if (name.trim() === '') errs.push(required(`${path}.name`, 'name is not specified'))
  else if (!CEL_IDENT.test(name) || CEL_RESERVED.has(name)) errs.push(invalid(`${path}.name`, name, 'name is not a valid CEL identifier'))
  if (String(v.expression ?? '').trim() === '') errs.push(required(`${path}.expression`, 'expression is not specified'))
  return errs
}

function validateAuditAnnotation (a: Json, policyName: string, path: string): FieldError[] {
  const errs: FieldError[] = []
  const key = String(a.key ?? '')
  if (policyName !== '') for (const msg of isQualifiedName(`${policyName}/${key}`)) errs.push(invalid(`${path}.key`, `${policyName}/${key}`, msg))
  else errs.push(invalid(`${path}.key`, key, 'requires metadata.name be non-empty'))
  const value = String(a.valueExpression ?? '').trim()
  if (value === '') errs.push(required(`${path}.valueExpression`, 'valueExpression is not specified'))
  else if (value.length > MAX_VALUE_EXPRESSION) errs.push(required(`${path}.valueExpression`, `must not exceed ${MAX_VALUE_EXPRESSION} bytes in length`))
  return errs
}

/** validateValidatingAdmissionPolicySpec. */
function validatePolicy (obj: KubeObject, ignoreMatchConditions: boolean): FieldError[] {
  const spec: Json = isObject((obj as Json).spec) ? (obj as Json).spec : {}
  const errs: FieldError[] = []
  if (unset(spec.failurePolicy)) errs.push(required('spec.failurePolicy'))
  else if (!FAILURE_POLICIES.includes(spec.failurePolicy)) errs.push(notSupported('spec.failurePolicy', spec.failurePolicy, FAILURE_POLICIES))
  if (isObject(spec.paramKind)) errs.push(...validateParamKind(spec.paramKind, 'spec.paramKind'))
  if (!isObject(spec.matchConstraints)) errs.push(required('spec.matchConstraints'))
  else {
    errs.push(...validateMatchResources(spec.matchConstraints, 'spec.matchConstraints'))
    if (list(spec.matchConstraints.resourceRules).length === 0) errs.push(required('spec.matchConstraints.resourceRules'))
  }
  if (!ignoreMatchConditions) errs.push(...validateMatchConditions(spec.matchConditions, 'spec.matchConditions'))
  list(spec.variables).forEach((v, i) => errs.push(...validateVariable(isObject(v) ? v : {}, `spec.variables[${i}]`)))
  const validations = list(spec.validations)
  const annotations = list(spec.auditAnnotations)
  if (validations.length === 0 && annotations.length === 0) {
    errs.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'))
    errs.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'))
    return errs
  }
  validations.forEach((v, i) => errs.push(...validateValidation(isObject(v) ? v : {}, `spec.validations[${i}]`)))
  if (annotations.length > MAX_AUDIT_ANNOTATIONS) errs.push(invalid('spec.auditAnnotations', annotations, `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`))
  const keys = new Set<string>()
  annotations.forEach((a, i) => {
    const ann: Json = isObject(a) ? a : {}
    errs.push(...validateAuditAnnotation(ann, obj.metadata.name ?? '', `spec.auditAnnotations[${i}]`))
    const key = String(ann.key ?? '')
    if (keys.has(key)) errs.push(duplicate(`spec.auditAnnotations[${i}].key`, key))
    keys.add(key)
  })
  return errs
}

/** validateParamRef. */
function validateParamRef (pr: unknown, path: string): FieldError[] {
  if (!isObject(pr)) return []
  const errs: FieldError[] = []
  const name = String(pr.name ?? '')
  if (name !== '') {
    for (const msg of validatePathSegmentName(name, false)) errs.push(invalid(`${path}.name`, name, msg))
    if (!unset(pr.selector)) errs.push(forbidden(`${path}.name`, 'name and selector are mutually exclusive'))
  }
  if (!unset(pr.selector)) {
    errs.push(...validateLabelSelector(isObject(pr.selector) ? pr.selector : {}, `${path}.selector`))
    if (name !== '') errs.push(forbidden(`${path}.selector`, 'name and selector are mutually exclusive'))
  }
  if (name === '' && unset(pr.selector)) errs.push(required(path, 'one of name or selector must be specified'))
  const action = pr.parameterNotFoundAction
  if (unset(action) || action === '') errs.push(required(`${path}.parameterNotFoundAction`))
  else if (action !== 'Deny' && action !== 'Allow') errs.push(notSupported(`${path}.parameterNotFoundAction`, action, ['Deny', 'Allow']))
  return errs
}

/** validateValidationActions. */
function validateActions (actions: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  actions.forEach((a, i) => {
    const action = String(a)
    if (!ACTIONS.includes(action)) errs.push(notSupported(`${path}[${i}]`, action, ACTIONS))
    if (seen.has(action)) errs.push(duplicate(`${path}[${i}]`, action))
    seen.add(action)
  })
  if (seen.has('Deny') && seen.has('Warn')) {
    errs.push(invalid(path, goSlice('admissionregistration.ValidationAction', actions), 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'))
  }
  if (seen.size === 0) errs.push(required(path, 'at least one validation action is required'))
  return errs
}

/** validateValidatingAdmissionPolicyBindingSpec (upstream spells the matchResources path `matchResouces`). */
function validateBinding (obj: KubeObject): FieldError[] {
  const spec: Json = isObject((obj as Json).spec) ? (obj as Json).spec : {}
  const errs: FieldError[] = []
  const policyName = String(spec.policyName ?? '')
  if (policyName === '') errs.push(required('spec.policyName'))
  else for (const msg of nameIsDNSSubdomain(policyName, false)) errs.push(invalid('spec.policyName', policyName, msg))
  errs.push(...validateParamRef(spec.paramRef, 'spec.paramRef'))
  errs.push(...validateMatchResources(spec.matchResources, 'spec.matchResouces'))
  errs.push(...validateActions(list(spec.validationActions), 'spec.validationActions'))
  return errs
}

export const validatingAdmissionPolicyStrategy: Strategy = {
  generation: true,
  status: true,
  defaults (obj) {
    const spec = (obj as Json).spec
    if (!isObject(spec)) return
    if (unset(spec.failurePolicy)) spec.failurePolicy = 'Fail'
    defaultMatchResources(spec.matchConstraints)
  },
  validateCreate: obj => statusCauses(validatePolicy(obj, false)),
  // Match conditions are checked again only when they or the paramKind change.
  validateUpdate: (obj, old) => {
    const [a, b] = [(obj as Json).spec ?? {}, (old as Json).spec ?? {}]
    const same = JSON.stringify(a.paramKind) === JSON.stringify(b.paramKind) && JSON.stringify(a.matchConditions) === JSON.stringify(b.matchConditions)
    return statusCauses(validatePolicy(obj, same))
  },
}

export const validatingAdmissionPolicyBindingStrategy: Strategy = {
  generation: true,
  status: false,
  defaults (obj) {
    const spec = (obj as Json).spec
    if (isObject(spec)) defaultMatchResources(spec.matchResources)
  },
  validate: obj => statusCauses(validateBinding(obj)),
}
