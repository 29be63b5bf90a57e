// batch/v1 Job's podFailurePolicy, podReplacementPolicy and managedBy: upstream's defaulting
// (SetDefaults_Job) and validation (validatePodFailurePolicy, validatePodReplacementPolicy, the
// managedBy checks), with its field errors.
import { duplicate, invalid, notSupported, OMIT_VALUE, required, tooLong, type FieldError, type GoRepr } from '../../api/field-errors.ts'
import { isDNS1123Subdomain, isQualifiedName, regexError } from '../../api/validation.ts'

type Json = Record<string, any>

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore']
const OPERATORS = ['In', 'NotIn']
const STATUSES = ['False', 'True', 'Unknown']
const MAX_RULES = 20
const MAX_VALUES = 255
const MAX_PATTERNS = 20

/** Go's %q of a []string, as in `valid values: ["Count" "FailIndex" ...]`. */
const quotedList = (values: string[]): string => `[${values.map(v => JSON.stringify(v)).join(' ')}]`
/** Go's %#v of a []int32. */
const int32s = (values: unknown[]): GoRepr => ({ goRepr: `[]int32{${values.join(', ')}}` })
/** field.OmitValueType: the message names no value. */
const omitted = (field: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue: OMIT_VALUE, detail })
const tooMany = (field: string, n: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, badValue: { goRepr: String(n) }, detail: `must have at most ${max} items` })

/** SetDefaults_Job's part: podReplacementPolicy Failed with a podFailurePolicy, pattern status True. */
export function defaultJobPolicies (spec: Json): void {
  const policy = spec.podFailurePolicy as Json | undefined
  if (spec.podReplacementPolicy === undefined) spec.podReplacementPolicy = policy === undefined || policy === null ? 'TerminatingOrFailed' : 'Failed'
  for (const rule of (policy?.rules ?? []) as Json[]) {
    for (const pattern of (rule?.onPodConditions ?? []) as Json[]) {
      if (pattern !== null && typeof pattern === 'object' && (pattern.status === undefined || pattern.status === '')) pattern.status = 'True'
    }
  }
}

export function validateJobPolicies (spec: Json): FieldError[] {
  const errs: FieldError[] = []
  const policy = spec.podFailurePolicy as Json | undefined
  if (policy !== undefined && policy !== null) {
    const restart = spec.template?.spec?.restartPolicy
    // (A restartPolicy that is neither Never nor OnFailure has its own NotSupported error.)
    if (restart === 'OnFailure') errs.push(invalid('spec.template.spec.restartPolicy', restart, 'only "Never" is supported when podFailurePolicy is specified'))
    errs.push(...validatePodFailurePolicy(spec, policy))
  }
  if (spec.managedBy !== undefined && spec.managedBy !== null) errs.push(...validateManagedBy(String(spec.managedBy)))
  const replacement = spec.podReplacementPolicy
  if (replacement !== undefined && replacement !== null) {
    if (policy !== undefined && policy !== null) {
      if (replacement !== 'Failed') errs.push(notSupported('spec.podReplacementPolicy', replacement, ['Failed']))
    } else if (replacement !== 'Failed' && replacement !== 'TerminatingOrFailed') {
      errs.push(notSupported('spec.podReplacementPolicy', replacement, ['Failed', 'TerminatingOrFailed']))
    }
  }
  return errs
}

function validatePodFailurePolicy (spec: Json, policy: Json): FieldError[] {
  const errs: FieldError[] = []
  const rules = (Array.isArray(policy.rules) ? policy.rules : []) as Json[]
  if (rules.length > MAX_RULES) errs.push(tooMany('spec.podFailurePolicy.rules', rules.length, MAX_RULES))
  const names = new Set<string>([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c: Json) => c?.name))
  rules.forEach((rule, i) => errs.push(...validateRule(spec, rule ?? {}, `spec.podFailurePolicy.rules[${i}]`, names)))
  return errs
}

function validateRule (spec: Json, rule: Json, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = []
  const action = rule.action
  if (action === undefined || action === '') errs.push(required(`${path}.action`, `valid values: ${quotedList(ACTIONS)}`))
  else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) errs.push(invalid(`${path}.action`, action, 'requires the backoffLimitPerIndex to be set'))
  } else if (!ACTIONS.includes(action)) errs.push(notSupported(`${path}.action`, action, ACTIONS))
  const onExitCodes = rule.onExitCodes as Json | undefined
  const patterns = (Array.isArray(rule.onPodConditions) ? rule.onPodConditions : []) as Json[]
  if (onExitCodes !== undefined && onExitCodes !== null) errs.push(...validateExitCodes(onExitCodes, `${path}.onExitCodes`, names))
  if (patterns.length > 0) errs.push(...validatePatterns(patterns, `${path}.onPodConditions`))
  const hasCodes = onExitCodes !== undefined && onExitCodes !== null
  if (hasCodes && patterns.length > 0) errs.push(omitted(path, 'specifying both OnExitCodes and OnPodConditions is not supported'))
  if (!hasCodes && patterns.length === 0) errs.push(omitted(path, 'specifying one of OnExitCodes and OnPodConditions is required'))
  return errs
}

function validatePatterns (patterns: Json[], path: string): FieldError[] {
  const errs: FieldError[] = []
  if (patterns.length > MAX_PATTERNS) errs.push(tooMany(path, patterns.length, MAX_PATTERNS))
  patterns.forEach((p, j) => {
    const type = typeof p?.type === 'string' ? p.type : ''
    for (const msg of isQualifiedName(type)) errs.push(invalid(`${path}[${j}].type`, type, msg))
    const status = p?.status
    if (status === undefined || status === '') errs.push(required(`${path}[${j}].status`, `valid values: ${quotedList(STATUSES)}`))
    else if (!STATUSES.includes(status)) errs.push(notSupported(`${path}[${j}].status`, status, STATUSES))
  })
  return errs
}

function validateExitCodes (req: Json, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = []
  const op = req.operator
  if (op === undefined || op === '') errs.push(required(`${path}.operator`, `valid values: ${quotedList(OPERATORS)}`))
  else if (!OPERATORS.includes(op)) errs.push(notSupported(`${path}.operator`, op, OPERATORS))
  if (req.containerName !== undefined && req.containerName !== null && !names.has(req.containerName)) {
    errs.push(invalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'))
  }
  const values = (Array.isArray(req.values) ? req.values : []) as number[]
  if (values.length === 0) errs.push(invalid(`${path}.values`, int32s(values), 'at least one value is required'))
  else if (values.length > MAX_VALUES) errs.push(tooMany(`${path}.values`, values.length, MAX_VALUES))
  const seen = new Set<number>()
  let ordered = true
  values.forEach((v, j) => {
    if (op === 'In' && v === 0) errs.push(invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'))
    if (seen.has(v)) errs.push(duplicate(`${path}.values[${j}]`, v))
    else seen.add(v)
    if (j > 0 && values[j - 1] > v) ordered = false
  })
  if (!ordered) errs.push(invalid(`${path}.values`, int32s(values), 'must be ordered'))
  return errs
}

const MAX_MANAGED_BY = 63
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
const httpPath = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/

/** spec.managedBy: a domain-prefixed path (IsDomainPrefixedPath) of at most 63 characters. */
function validateManagedBy (value: string): FieldError[] {
  const field = 'spec.managedBy'
  const errs: FieldError[] = []
  const slash = value.indexOf('/')
  if (slash <= 0 || slash === value.length - 1) {
    errs.push(invalid(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")'))
  } else {
    const host = value.slice(0, slash)
    for (const msg of isDNS1123Subdomain(host)) errs.push(invalid(field, host, msg))
    const path = value.slice(slash + 1)
    if (!httpPath.test(path)) errs.push(invalid(field, path, regexError('Invalid path', HTTP_PATH_FMT)))
  }
  if (value.length > MAX_MANAGED_BY) errs.push(tooLong(field, MAX_MANAGED_BY))
  return errs
}
