// flowcontrol.apiserver.k8s.io/v1 FlowSchemas and PriorityLevelConfigurations
// (pkg/registry/flowcontrol, v1.32): the v1 defaults (pkg/apis/flowcontrol/v1/defaults.go) and
// the spec checks of pkg/apis/flowcontrol/validation users meet, with upstream's messages. Not
// emulated: the rule that a mandatory object's spec (exempt, catch-all) must equal its fixed value,
// and the finer subject, verb and non-resource URL checks. Both kinds have a status subresource
// and a generation; requests are not throttled by them (see the README).
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.ts'
import { nameIsDNSSubdomain } from '../../api/validation.ts'
import type { KubeObject } from '../../api/object.ts'
import { statusCauses } from '../validate-meta.ts'
import type { Strategy } from './strategy.ts'
import { isObject, list, unset, type Json } from './admission-rules.ts'

const MAX_MATCHING_PRECEDENCE = 10000
const MAX_QUEUES = 10_000_000
const DISTINGUISHERS = ['ByNamespace', 'ByUser']
const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User']
const ENABLEMENTS = ['Exempt', 'Limited']
const LIMIT_RESPONSES = ['Queue', 'Reject']

/** SetDefaults_FlowSchemaSpec: matchingPrecedence 0 (or absent) becomes 1000. */
function defaultFlowSchema (obj: KubeObject): void {
  const spec = (obj as Json).spec
  if (isObject(spec) && (unset(spec.matchingPrecedence) || spec.matchingPrecedence === 0)) spec.matchingPrecedence = 1000
}

/** SetDefaults_{Exempt,Limited}PriorityLevelConfiguration and SetDefaults_QueuingConfiguration. */
function defaultPriorityLevel (obj: KubeObject): void {
  const spec = (obj as Json).spec
  if (!isObject(spec)) return
  if (isObject(spec.exempt)) {
    if (unset(spec.exempt.nominalConcurrencyShares)) spec.exempt.nominalConcurrencyShares = 0
    if (unset(spec.exempt.lendablePercent)) spec.exempt.lendablePercent = 0
  }
  const limited = spec.limited
  if (!isObject(limited)) return
  if (unset(limited.nominalConcurrencyShares)) limited.nominalConcurrencyShares = 30
  if (unset(limited.lendablePercent)) limited.lendablePercent = 0
  const queuing = limited.limitResponse?.queuing
  if (!isObject(queuing)) return
  for (const [key, value] of [['handSize', 8], ['queues', 64], ['queueLengthLimit', 50]] as const) {
    if (unset(queuing[key]) || queuing[key] === 0) queuing[key] = value
  }
}

function validateSubject (s: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const members: Record<string, string> = { ServiceAccount: 'serviceAccount', User: 'user', Group: 'group' }
  const member = members[s.kind]
  if (member === undefined) return [notSupported(`${path}.kind`, s.kind ?? '', SUBJECT_KINDS)]
  if (!isObject(s[member])) errs.push(required(`${path}.${member}`, `${member} is required when subject kind is '${s.kind}'`))
  else {
    if (String(s[member].name ?? '') === '') errs.push(required(`${path}.${member}.name`))
    if (member === 'serviceAccount' && String(s[member].namespace ?? '') === '') errs.push(required(`${path}.serviceAccount.namespace`, 'must specify namespace for service account'))
  }
  for (const [kind, other] of Object.entries(members)) {
    if (other !== member && !unset(s[other])) errs.push(forbidden(`${path}.${other}`, `${other} is forbidden when subject kind is not '${kind}'`))
  }
  return errs
}

/** ValidateFlowSchemaSpec, minus the verb and URL details. */
function validateFlowSchema (obj: KubeObject): FieldError[] {
  const spec: Json = isObject((obj as Json).spec) ? (obj as Json).spec : {}
  const errs: FieldError[] = []
  const precedence = spec.matchingPrecedence ?? 0
  if (precedence <= 0) errs.push(invalid('spec.matchingPrecedence', precedence, 'must be a positive value'))
  if (precedence > MAX_MATCHING_PRECEDENCE) errs.push(invalid('spec.matchingPrecedence', precedence, `must not be greater than ${MAX_MATCHING_PRECEDENCE}`))
  if (precedence === 1 && obj.metadata.name !== 'exempt') errs.push(invalid('spec.matchingPrecedence', precedence, "only the schema named 'exempt' may have matchingPrecedence 1"))
  const method = spec.distinguisherMethod
  if (isObject(method) && !DISTINGUISHERS.includes(method.type)) {
    errs.push(notSupported('spec.distinguisherMethod.type', { goRepr: `flowcontrol.FlowDistinguisherMethod{Type:${JSON.stringify(String(method.type ?? ''))}}` }, DISTINGUISHERS))
  }
  const plName = String(spec.priorityLevelConfiguration?.name ?? '')
  if (plName === '') errs.push(required('spec.priorityLevelConfiguration.name', 'must reference a priority level'))
  else for (const msg of nameIsDNSSubdomain(plName, false)) errs.push(invalid('spec.priorityLevelConfiguration.name', plName, msg))
  list(spec.rules).forEach((r, i) => {
    const rule: Json = isObject(r) ? r : {}
    const path = `spec.rules[${i}]`
    const subjects = list(rule.subjects)
    if (subjects.length === 0) errs.push(required(`${path}.subjects`, 'subjects must contain at least one value'))
    subjects.forEach((s, j) => errs.push(...validateSubject(isObject(s) ? s : {}, `${path}.subjects[${j}]`)))
    if (list(rule.resourceRules).length === 0 && list(rule.nonResourceRules).length === 0) {
      errs.push(required(path, 'at least one of resourceRules and nonResourceRules has to be non-empty'))
    }
  })
  return errs
}

const percent = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 100

function validateQueuing (q: Json, path: string): FieldError[] {
  const errs: FieldError[] = []
  const [limit, queues, handSize] = [q.queueLengthLimit ?? 0, q.queues ?? 0, q.handSize ?? 0]
  if (limit <= 0) errs.push(invalid(`${path}.queueLengthLimit`, limit, 'must be positive'))
  if (queues <= 0) errs.push(invalid(`${path}.queues`, queues, 'must be positive'))
  else if (queues > MAX_QUEUES) errs.push(invalid(`${path}.queues`, queues, `must not be greater than ${MAX_QUEUES}`))
  if (handSize <= 0) errs.push(invalid(`${path}.handSize`, handSize, 'must be positive'))
  else if (handSize > queues) errs.push(invalid(`${path}.handSize`, handSize, `should not be greater than queues (${queues})`))
  return errs
}

/** ValidatePriorityLevelConfigurationSpec as served at v1 (a zero nominalConcurrencyShares is allowed). */
function validatePriorityLevel (obj: KubeObject): FieldError[] {
  const spec: Json = isObject((obj as Json).spec) ? (obj as Json).spec : {}
  const errs: FieldError[] = []
  if ((obj.metadata.name === 'exempt') !== (spec.type === 'Exempt')) errs.push(invalid('spec.type', spec.type ?? '', "type must be 'Exempt' if and only if name is 'exempt'"))
  if (spec.type === 'Exempt') {
    if (!unset(spec.limited)) errs.push(forbidden('spec.limited', 'must be nil if the type is not Limited'))
    const exempt: Json = isObject(spec.exempt) ? spec.exempt : {}
    if ((exempt.nominalConcurrencyShares ?? 0) < 0) errs.push(invalid('spec.exempt.nominalConcurrencyShares', exempt.nominalConcurrencyShares, 'must be a non-negative integer'))
    if (!unset(exempt.lendablePercent) && !percent(exempt.lendablePercent)) errs.push(invalid('spec.exempt.lendablePercent', exempt.lendablePercent, 'must be between 0 and 100, inclusive'))
  } else if (spec.type === 'Limited') {
    if (!unset(spec.exempt)) errs.push(forbidden('spec.exempt', 'must be nil if the type is Limited'))
    const limited = spec.limited
    if (!isObject(limited)) errs.push(required('spec.limited', 'must not be empty when type is Limited'))
    else {
      if ((limited.nominalConcurrencyShares ?? 0) < 0) errs.push(invalid('spec.limited.nominalConcurrencyShares', limited.nominalConcurrencyShares, 'must be a non-negative integer'))
      const lr: Json = isObject(limited.limitResponse) ? limited.limitResponse : {}
      if (lr.type === 'Reject') {
        if (!unset(lr.queuing)) errs.push(forbidden('spec.limited.limitResponse.queuing', 'must be nil if limited.limitResponse.type is not Limited'))
      } else if (lr.type === 'Queue') {
        if (!isObject(lr.queuing)) errs.push(required('spec.limited.limitResponse.queuing', 'must not be empty if limited.limitResponse.type is Limited'))
        else errs.push(...validateQueuing(lr.queuing, 'spec.limited.limitResponse.queuing'))
      } else {
        errs.push(notSupported('spec.limited.limitResponse.type', lr.type ?? '', LIMIT_RESPONSES))
      }
      if (!unset(limited.lendablePercent) && !percent(limited.lendablePercent)) errs.push(invalid('spec.limited.lendablePercent', limited.lendablePercent, 'must be between 0 and 100, inclusive'))
      if (!unset(limited.borrowingLimitPercent) && limited.borrowingLimitPercent < 0) errs.push(invalid('spec.limited.borrowingLimitPercent', limited.borrowingLimitPercent, 'if specified, must be a non-negative integer'))
    }
  } else {
    errs.push(notSupported('spec.type', spec.type ?? '', ENABLEMENTS))
  }
  return errs
}

export const flowSchemaStrategy: Strategy = {
  generation: true,
  status: true,
  defaults: defaultFlowSchema,
  validate: obj => statusCauses(validateFlowSchema(obj)),
}

export const priorityLevelConfigurationStrategy: Strategy = {
  generation: true,
  status: true,
  defaults: defaultPriorityLevel,
  validate: obj => statusCauses(validatePriorityLevel(obj)),
}
