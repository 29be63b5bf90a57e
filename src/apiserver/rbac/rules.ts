// RBAC's matching (plugin/pkg/auth/authorizer/rbac, rbacv1helpers): does a rule allow a request,
// does a binding's subject name this user, and how an allowing binding is described.
import type { Attributes } from './attributes.ts'
import type { UserInfo } from '../request.ts'

export interface PolicyRule { verbs: string[], apiGroups?: string[], resources?: string[], resourceNames?: string[], nonResourceURLs?: string[] }
export interface Subject { kind: string, name: string, namespace?: string, apiGroup?: string }
export interface RoleRef { kind: string, name: string, apiGroup?: string }

const has = (list: string[] | undefined, v: string): boolean => list !== undefined && (list.includes('*') || list.includes(v))

export function verbMatches (rule: PolicyRule, verb: string): boolean { return has(rule.verbs, verb) }

export function apiGroupMatches (rule: PolicyRule, group: string): boolean { return has(rule.apiGroups, group) }

/** "*" or the combined resource ("pods/log"), or "*\/log" for any resource's log. */
export function resourceMatches (rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true
    if (subresource !== '' && r === `*/${subresource}`) return true
  }
  return false
}

export function resourceNameMatches (rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames
  return names === undefined || names.length === 0 || names.includes(name)
}

/** "*", the path itself, or a prefix ending in "*". */
export function nonResourceURLMatches (rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true
  }
  return false
}

export function ruleAllows (a: Attributes, rule: PolicyRule): boolean {
  const r = a.resource
  if (r !== undefined) {
    const combined = r.subresource === '' ? r.resource : `${r.resource}/${r.subresource}`
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, r.group) && resourceMatches(rule, combined, r.subresource) && resourceNameMatches(rule, r.name)
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path ?? '')
}

/** appliesToUser: a ServiceAccount subject without a namespace means the binding's. */
export function appliesTo (user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User': return user.name === subject.name
    case 'Group': return user.groups.includes(subject.name)
    case 'ServiceAccount': {
      const ns = subject.namespace === undefined || subject.namespace === '' ? bindingNamespace : subject.namespace
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${subject.name}`
    }
    default: return false
  }
}

export function describeSubject (s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace !== undefined && s.namespace !== '' ? s.namespace : bindingNamespace}`)}`
  return `${s.kind} ${JSON.stringify(s.name)}`
}

/** utilerrors.NewAggregate(errs).Error(): duplicates once, one error bare, several in [a, b]. */
export function aggregate (errors: string[]): string {
  const unique = [...new Set(errors)]
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}
