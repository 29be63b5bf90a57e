// The authorizer chain of a k3s server (--authorization-mode=Node,RBAC, after the privileged
// system:masters group): RBAC over the mirrored roles and bindings (plugin/pkg/auth/authorizer/rbac).
// k3sim's kubelets are in-process and never present a node identity, so the Node authorizer has
// nothing to decide here.
import type { Backend } from '../../store/backend.ts'
import type { UserInfo } from '../request.ts'
import { forbiddenError, type Attributes } from './attributes.ts'
import { PolicyCache, type Binding } from './policy-cache.ts'
import { aggregate, appliesTo, describeSubject, ruleAllows, type PolicyRule, type Subject } from './rules.ts'

export const PRIVILEGED_GROUP = 'system:masters'

type Lookup = 'lister' | 'registry'

export interface Decision { allowed: boolean, reason: string }

export const isPrivileged = (user: UserInfo): boolean => user.groups.includes(PRIVILEGED_GROUP)

/** A rule, where it came from (for "RBAC: allowed by …"), or an error resolving a binding's role. */
type Visitor = (source: (() => string) | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean

export class RbacAuthorizer {
  readonly policy = new PolicyCache()
  private readonly backend: Backend

  constructor (backend: Backend) { this.backend = backend }

  start (): Promise<void> { return this.policy.start(this.backend) }

  stop (): void { this.policy.stop() }

  async authorize (a: Attributes): Promise<Decision> {
    if (isPrivileged(a.user)) return { allowed: true, reason: '' }
    await this.policy.ready(this.backend)
    let reason = ''
    const errors: string[] = []
    let allowed = false
    this.visitRulesFor(a.user, a.resource?.namespace ?? '', 'lister', (source, rule, err) => {
      if (rule !== undefined && ruleAllows(a, rule)) {
        allowed = true
        reason = `RBAC: allowed by ${source!()}`
        return false
      }
      if (err !== undefined) errors.push(err)
      return true
    })
    if (!allowed && errors.length > 0) reason = `RBAC: ${aggregate(errors)}`
    return { allowed, reason }
  }

  /** Refuse with upstream's Forbidden Status unless allowed (what every request path calls). */
  async require (a: Attributes): Promise<void> {
    if (isPrivileged(a.user)) return
    const decision = await this.authorize(a)
    if (!decision.allowed) throw forbiddenError(a, decision.reason)
  }

  /**
   * Every rule granted to `user` cluster-wide and in `namespace` (RulesFor), with resolution
   * errors worded as `by` words them: the authorizer's listers, or the registry (escalation checks).
   */
  async rulesFor (user: UserInfo, namespace: string, by: Lookup = 'lister'): Promise<{ rules: PolicyRule[], errors: string[] }> {
    await this.policy.ready(this.backend)
    const rules: PolicyRule[] = []
    const errors: string[] = []
    this.visitRulesFor(user, namespace, by, (_source, rule, err) => {
      if (rule !== undefined) rules.push(rule)
      if (err !== undefined) errors.push(err)
      return true
    })
    return { rules, errors }
  }

  /**
   * The rules of a binding's roleRef, or the NotFound message: a lister says
   * `clusterrole.rbac.authorization.k8s.io "x" not found`, the registry `clusterroles.rbac…`.
   */
  roleRules (ref: { kind: string, name: string }, namespace: string, by: Lookup = 'lister'): PolicyRule[] | string {
    const missing = (kind: string): string => `${kind}${by === 'registry' ? 's' : ''}.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`
    if (ref.kind === 'ClusterRole') return this.policy.clusterRoles.get('', ref.name) ?? missing('clusterrole')
    if (ref.kind === 'Role') return this.policy.roles.get(namespace, ref.name) ?? missing('role')
    return `unsupported role reference kind: ${JSON.stringify(ref.kind)}`
  }

  /** VisitRulesFor: cluster role bindings, then the namespace's role bindings; stops when `visit` says so. */
  private visitRulesFor (user: UserInfo, namespace: string, by: Lookup, visit: Visitor): void {
    for (const b of this.policy.clusterRoleBindings.in('')) {
      const subject = firstApplying(user, b.subjects, '')
      if (subject === undefined) continue
      if (!this.visitBinding(b, subject, '', by, visit)) return
    }
    if (namespace === '') return
    for (const b of this.policy.roleBindings.in(namespace)) {
      const subject = firstApplying(user, b.subjects, namespace)
      if (subject === undefined) continue
      if (!this.visitBinding(b, subject, namespace, by, visit)) return
    }
  }

  private visitBinding (b: Binding, subject: Subject, namespace: string, by: Lookup, visit: Visitor): boolean {
    const rules = this.roleRules(b.roleRef, namespace, by)
    if (typeof rules === 'string') return visit(undefined, undefined, rules)
    const source = namespace === ''
      ? () => `ClusterRoleBinding ${JSON.stringify(b.name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, '')}`
      : () => `RoleBinding ${JSON.stringify(`${b.name}/${namespace}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, namespace)}`
    for (const rule of rules) if (!visit(source, rule, undefined)) return false
    return true
  }
}

function firstApplying (user: UserInfo, subjects: Subject[], namespace: string): Subject | undefined {
  for (const s of subjects) if (appliesTo(user, s, namespace)) return s
  return undefined
}
