// The RBAC objects the authorizer reads on every request not made by system:masters, mirrored
// from the store (upstream: the authorizer's informers): roles' rules and bindings' subjects,
// role bindings indexed by namespace so a request looks at its namespace's bindings only.
import type { Backend } from '../../store/backend.ts'
import { NamespacedMirror } from '../registry/namespaced-mirror.ts'
import type { PolicyRule, RoleRef, Subject } from './rules.ts'

export interface Binding { name: string, namespace: string, roleRef: RoleRef, subjects: Subject[] }

// Stored objects are what the API accepted, but the etcd port writes anything: a value that is
// not the typed shape counts as absent, as an informer that fails to decode it would have it.
const strings = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.every(s => typeof s === 'string'))
const str = (v: unknown): boolean => v === undefined || typeof v === 'string'

function rulesOf (obj: Record<string, unknown>): PolicyRule[] | undefined {
  if (obj.rules === undefined || obj.rules === null) return []
  if (!Array.isArray(obj.rules)) return undefined
  const ok = obj.rules.every(r => r !== null && typeof r === 'object' && strings(r.verbs) && strings(r.apiGroups) && strings(r.resources) && strings(r.resourceNames) && strings(r.nonResourceURLs))
  return ok ? (obj.rules as PolicyRule[]).map(r => ({ ...r, verbs: r.verbs ?? [] })) : undefined
}

function bindingOf (obj: Record<string, unknown>, namespace: string, name: string): Binding | undefined {
  const ref = obj.roleRef as Record<string, unknown> | null | undefined
  if (ref === null || typeof ref !== 'object' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined
  const subjects = obj.subjects ?? []
  if (!Array.isArray(subjects) || !subjects.every(s => s !== null && typeof s === 'object' && typeof s.kind === 'string' && typeof s.name === 'string' && str(s.namespace))) return undefined
  return { name, namespace, roleRef: ref as unknown as RoleRef, subjects: subjects as Subject[] }
}

export class PolicyCache {
  readonly clusterRoles = new NamespacedMirror<PolicyRule[]>('clusterroles', rulesOf)
  readonly roles = new NamespacedMirror<PolicyRule[]>('roles', rulesOf)
  readonly clusterRoleBindings = new NamespacedMirror<Binding>('clusterrolebindings', bindingOf)
  readonly roleBindings = new NamespacedMirror<Binding>('rolebindings', bindingOf)
  private backend: Backend | undefined

  private all (): Array<NamespacedMirror<unknown>> { return [this.clusterRoles, this.roles, this.clusterRoleBindings, this.roleBindings] }

  async start (backend: Backend): Promise<void> {
    this.backend = backend
    await Promise.all(this.all().map(m => m.start(backend)))
  }

  stop (): void { for (const m of this.all()) m.stop() }

  /** Before a decision: a mirror whose watch is gone (or that never started) is loaded again. */
  async ready (backend: Backend): Promise<void> {
    if (this.backend === undefined) { await this.start(backend); return }
    await Promise.all(this.all().filter(m => !m.following()).map(m => m.reload()))
  }
}
