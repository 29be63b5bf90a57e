// RBAC's escalation prevention (pkg/registry/rbac): a user may create or change a Role or
// ClusterRole only with rules it already holds (or the `escalate` verb), and bind a role only if
// it holds the role's rules (or the `bind` verb on it). system:masters may do anything.
import type { KubeObject } from '../../api/object.ts'
import { jsonEqual } from '../../api/object.ts'
import type { UserInfo } from '../request.ts'
import { forbiddenStatus } from './attributes.ts'
import { notFound, StatusError } from '../errors.ts'
import { isPrivileged, type RbacAuthorizer } from './authorizer.ts'
import { aggregate, type PolicyRule, type RoleRef } from './rules.ts'

const RBAC_GROUP = 'rbac.authorization.k8s.io'

const has = (set: string[] | undefined, v: string): boolean => (set ?? []).includes(v)
const hasAll = (set: string[] | undefined, values: string[] | undefined): boolean => (values ?? []).every(v => has(set, v))

/** One verb on one group/resource (and name), or one verb on one URL. */
export function breakdownRule (rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = []
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] })
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] })
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] })
  return out
}

function resourceCoversAll (set: string[] | undefined, covers: string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true
  for (const path of covers ?? []) {
    if (has(set, path)) continue
    const slash = path.indexOf('/')
    if (slash < 0 || !has(set, `*/${path.slice(slash + 1)}`)) return false
  }
  return true
}

const nonResourceURLCovers = (owner: string, sub: string): boolean =>
  owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')))

function ruleCovers (owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs)
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups)
  const resources = resourceCoversAll(owner.resources, sub.resources)
  const urls = (sub.nonResourceURLs ?? []).every(p => (owner.nonResourceURLs ?? []).some(o => nonResourceURLCovers(o, p)))
  const names = (sub.resourceNames ?? []).length === 0
    ? (owner.resourceNames ?? []).length === 0
    : (owner.resourceNames ?? []).length === 0 || hasAll(owner.resourceNames, sub.resourceNames)
  return verbs && groups && resources && names && urls
}

/** Covers: every broken-down servant rule is covered by some owner rule; else the uncovered ones. */
export function covers (owner: PolicyRule[], servant: PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = []
  for (const rule of servant) for (const sub of breakdownRule(rule)) if (!owner.some(o => ruleCovers(o, sub))) missing.push(sub)
  return missing
}

/** CompactRules: simple rules (one group, one resource, at most one name) differing only by verb, merged. */
export function compactRules (rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = []
  const simple = new Map<string, PolicyRule>()
  for (const r of rules) {
    const isSimple = (r.resourceNames ?? []).length <= 1 && (r.nonResourceURLs ?? []).length === 0 && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1
    if (!isSimple) { out.push(r); continue }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null])
    const known = simple.get(key)
    if (known !== undefined) known.verbs = [...known.verbs, ...r.verbs]
    else simple.set(key, { ...r, verbs: [...r.verbs] })
  }
  return [...out, ...simple.values()]
}

const goQuoted = (list: string[]): string => `[${list.map(s => JSON.stringify(s)).join(' ')}]`

/** rbacv1helpers.CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}. */
export function compactString (r: PolicyRule): string {
  const parts: string[] = []
  if ((r.apiGroups ?? []).length > 0) parts.push(`APIGroups:${goQuoted(r.apiGroups!)}`)
  if ((r.resources ?? []).length > 0) parts.push(`Resources:${goQuoted(r.resources!)}`)
  if ((r.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs!)}`)
  if ((r.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${goQuoted(r.resourceNames!)}`)
  if (r.verbs.length > 0) parts.push(`Verbs:${goQuoted(r.verbs)}`)
  return `{${parts.join(', ')}}`
}

/** ConfirmNoEscalation: undefined, or the message naming what the user lacks. */
export async function confirmNoEscalation (authorizer: RbacAuthorizer, user: UserInfo, namespace: string, rules: PolicyRule[]): Promise<string | undefined> {
  const owner = await authorizer.rulesFor(user, namespace, 'registry')
  const missing = covers(owner.rules, rules)
  if (missing.length === 0) return undefined
  const lines = [...new Set(compactRules(missing).map(compactString))].sort()
  let msg = `user ${JSON.stringify(user.name)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`
  // %v of a []error holding the resolver's one aggregate error.
  if (owner.errors.length > 0) msg += `; resolution errors: [${aggregate(owner.errors)}]`
  return msg
}

export interface EscalationRequest {
  user: UserInfo
  authorizer: RbacAuthorizer
  /** The object before an update (undefined: a create). */
  old?: KubeObject
  /** The name in the request's path (none for a POST). */
  requestName?: string
}

const rulesOf = (obj: KubeObject): PolicyRule[] => ((obj as { rules?: PolicyRule[] }).rules ?? [])

const hasAggregationRule = (obj: KubeObject | undefined): boolean =>
  ((obj as { aggregationRule?: { clusterRoleSelectors?: unknown[] } } | undefined)?.aggregationRule?.clusterRoleSelectors ?? []).length > 0

/**
 * Role and ClusterRole create/update (role/policybased, clusterrole/policybased): system:masters
 * and `escalate` pass; otherwise the rules must be held, and an aggregationRule needs everything.
 * An update that changes only ownerReferences or finalizers is not checked.
 */
export async function checkRoleEscalation (obj: KubeObject, kind: 'Role' | 'ClusterRole', r: EscalationRequest): Promise<void> {
  if (isPrivileged(r.user)) return
  if (r.old !== undefined && onlyGcFieldsChanged(obj, r.old)) return
  const resource = kind === 'Role' ? 'roles' : 'clusterroles'
  const namespace = obj.metadata.namespace ?? ''
  const name = obj.metadata.name ?? ''
  // The escalate check's name comes from the request path: none on a POST.
  const escalate = await r.authorizer.authorize({ user: r.user, verb: 'escalate', resource: { group: RBAC_GROUP, resource, subresource: '', namespace, name: r.requestName ?? '' } })
  if (escalate.allowed) return
  const msg = await confirmNoEscalation(r.authorizer, r.user, namespace, rulesOf(obj))
  if (msg !== undefined) throw forbiddenStatus(RBAC_GROUP, resource, name, msg)
  if (kind === 'ClusterRole' && (hasAggregationRule(obj) || hasAggregationRule(r.old))) {
    const full = await confirmNoEscalation(r.authorizer, r.user, '', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }])
    if (full !== undefined) throw forbiddenStatus(RBAC_GROUP, resource, name, 'must have cluster-admin privileges to use the aggregationRule')
  }
}

/**
 * RoleBinding and ClusterRoleBinding create/update: system:masters passes, then `bind` on the
 * referenced role, else the user must hold the role's rules. A missing role is a 404.
 */
export async function checkBindingEscalation (obj: KubeObject, kind: 'RoleBinding' | 'ClusterRoleBinding', r: EscalationRequest): Promise<void> {
  if (isPrivileged(r.user)) return
  if (r.old !== undefined && onlyGcFieldsChanged(obj, r.old)) return
  const resource = kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings'
  const namespace = obj.metadata.namespace ?? ''
  const name = obj.metadata.name ?? ''
  const roleRef = ((obj as { roleRef?: RoleRef }).roleRef ?? { kind: '', name: '' })
  const roleResource = roleRef.kind === 'Role' ? 'roles' : roleRef.kind === 'ClusterRole' ? 'clusterroles' : undefined
  if (roleResource !== undefined) {
    const bind = await r.authorizer.authorize({ user: r.user, verb: 'bind', resource: { group: roleRef.apiGroup ?? RBAC_GROUP, resource: roleResource, subresource: '', namespace, name: roleRef.name } })
    if (bind.allowed) return
  }
  const rules = r.authorizer.roleRules(roleRef, namespace, 'registry')
  if (typeof rules === 'string') {
    if (roleResource === undefined) throw new StatusError(500, 'InternalError', `Internal error occurred: ${rules}`)
    throw notFound({ group: RBAC_GROUP, resource: roleResource }, roleRef.name)
  }
  const msg = await confirmNoEscalation(r.authorizer, r.user, namespace, rules)
  if (msg !== undefined) throw forbiddenStatus(RBAC_GROUP, resource, name, msg)
}

/** IsOnlyMutatingGCFields: only ownerReferences and finalizers differ. */
function onlyGcFieldsChanged (obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, generation: _g, ...meta } = o.metadata
    return { ...o, metadata: meta }
  }
  return jsonEqual(strip(obj), strip(old))
}
