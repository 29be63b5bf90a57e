// pkg/apis/rbac/validation (v1.32) with upstream's messages: policy rules, aggregation selectors,
// role references and subjects, and the immutable roleRef; plus the v1 defaults of subjects' and
// roleRefs' apiGroup.
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.ts'
import { statusCauses as causes } from '../validate-meta.ts'
import type { KubeObject } from '../../api/object.ts'
import { isDNS1123Subdomain, validateLabelSelector, validatePathSegmentName } from '../../api/validation.ts'
import type { StatusCause } from '../errors.ts'

type Json = Record<string, any>
const RBAC_GROUP = 'rbac.authorization.k8s.io'

const goStrings = (v: unknown): { goRepr: string } => ({ goRepr: `[]string{${(Array.isArray(v) ? v : []).map(s => JSON.stringify(s)).join(', ')}}` })
const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0)

/** ValidatePolicyRule. */
function validateRule (rule: Json, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = []
  if (len(rule.verbs) === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'))
  if (len(rule.nonResourceURLs) > 0) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, goStrings(rule.nonResourceURLs), 'namespaced rules cannot apply to non-resource URLs'))
    if (len(rule.apiGroups) > 0 || len(rule.resources) > 0 || len(rule.resourceNames) > 0) errs.push(invalid(`${path}.nonResourceURLs`, goStrings(rule.nonResourceURLs), 'rules cannot apply to both regular resources and non-resource URLs'))
    return errs
  }
  if (len(rule.apiGroups) === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'))
  if (len(rule.resources) === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'))
  return errs
}

export function validateRole (obj: KubeObject, namespaced: boolean): StatusCause[] {
  const o = obj as Json
  const errs: FieldError[] = []
  for (const [i, rule] of (Array.isArray(o.rules) ? o.rules as Json[] : []).entries()) errs.push(...validateRule(rule ?? {}, namespaced, `rules[${i}]`))
  if (!namespaced && o.aggregationRule != null) {
    const selectors = Array.isArray(o.aggregationRule.clusterRoleSelectors) ? o.aggregationRule.clusterRoleSelectors as Json[] : []
    if (selectors.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'))
    for (const [i, sel] of selectors.entries()) errs.push(...validateLabelSelector(sel ?? {}, `aggregationRule.clusterRoleSelectors[${i}]`))
  }
  return causes(errs)
}

/** ValidateRoleBinding / ValidateClusterRoleBinding. */
export function validateBinding (obj: KubeObject, namespaced: boolean): StatusCause[] {
  const o = obj as Json
  const errs: FieldError[] = []
  const ref: Json = o.roleRef ?? {}
  if ((ref.apiGroup ?? '') !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]))
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds))
  if ((ref.name ?? '') === '') errs.push(required('roleRef.name'))
  else for (const msg of validatePathSegmentName(ref.name, false)) errs.push(invalid('roleRef.name', ref.name, msg))
  for (const [i, s] of (Array.isArray(o.subjects) ? o.subjects as Json[] : []).entries()) errs.push(...validateSubject(s ?? {}, namespaced, `subjects[${i}]`))
  return causes(errs)
}

function validateSubject (s: Json, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = []
  const name = String(s.name ?? '')
  if (name === '') errs.push(required(`${path}.name`))
  switch (s.kind) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${path}.name`, name, msg))
      if ((s.apiGroup ?? '') !== '') errs.push(notSupported(`${path}.apiGroup`, s.apiGroup, ['']))
      if (!namespaced && (s.namespace ?? '') === '') errs.push(required(`${path}.namespace`))
      break
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]))
      break
    default:
      errs.push(notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']))
  }
  return errs
}

/** ValidateRoleBindingUpdate: the roleRef never changes. */
export function validateBindingUpdate (obj: KubeObject, old: KubeObject): StatusCause[] {
  const a: Json = (obj as Json).roleRef ?? {}
  const b: Json = (old as Json).roleRef ?? {}
  // Compared defaulted, as upstream reads stored objects: one stored without an apiGroup (by an
  // older k3sim) has RBAC's.
  const group = (r: Json): string => ((r.apiGroup ?? '') === '' ? RBAC_GROUP : r.apiGroup)
  if (group(a) === group(b) && a.kind === b.kind && a.name === b.name) return []
  return causes([invalid('roleRef', { goRepr: `rbac.RoleRef{APIGroup:${JSON.stringify(a.apiGroup ?? '')}, Kind:${JSON.stringify(a.kind ?? '')}, Name:${JSON.stringify(a.name ?? '')}}` }, 'cannot change roleRef')])
}

/** SetDefaults_Subject and the roleRef's group: User and Group subjects and roleRefs are RBAC's. */
export function defaultBinding (obj: KubeObject): void {
  const o = obj as Json
  if (o.roleRef !== null && typeof o.roleRef === 'object' && (o.roleRef.apiGroup ?? '') === '') o.roleRef.apiGroup = RBAC_GROUP
  for (const s of Array.isArray(o.subjects) ? o.subjects as Json[] : []) {
    if (s !== null && typeof s === 'object' && (s.apiGroup ?? '') === '' && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP
  }
}
