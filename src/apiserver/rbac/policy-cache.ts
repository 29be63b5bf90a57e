// The RBAC objects the authorizer reads on every request not made by system:masters, mirrored
// from the store (upstream: the authorizer's informers): roles' rules and bindings' subjects,
// role bindings indexed by namespace so a request looks at its namespace's bindings only.
import type { Backend } from '../../store/backend.ts'
import { StoreMirror } from '../registry/store-mirror.ts'
import type { PolicyRule, RoleRef, Subject } from './rules.ts'

export interface Binding { name: string, namespace: string, roleRef: RoleRef, subjects: Subject[] }

const decoder = new TextDecoder()

/** name → T, grouped by namespace ('' for cluster-scoped), from /registry/<resource>/[ns/]name. */
export class NamespacedMirror<T> {
  private readonly prefix: string
  private readonly read: (obj: Record<string, unknown>, namespace: string, name: string) => T | undefined
  private readonly byNamespace = new Map<string, Map<string, T>>()
  private mirror: StoreMirror | undefined

  /** `read` says undefined for an object it cannot use (as an informer that cannot decode it: not there). */
  constructor (resource: string, read: (obj: Record<string, unknown>, namespace: string, name: string) => T | undefined) {
    this.prefix = `/registry/${resource}/`
    this.read = read
  }

  async start (backend: Backend): Promise<void> {
    this.mirror = new StoreMirror({
      backend,
      prefix: this.prefix,
      target: {
        put: kv => {
          const [namespace, name] = this.split(kv.key)
          let value: T | undefined
          try {
            const obj: unknown = JSON.parse(decoder.decode(kv.value))
            value = obj !== null && typeof obj === 'object' ? this.read(obj as Record<string, unknown>, namespace, name) : undefined
          } catch {
            value = undefined
          }
          if (value === undefined) { this.remove(namespace, name); return }
          let m = this.byNamespace.get(namespace)
          if (m === undefined) { m = new Map(); this.byNamespace.set(namespace, m) }
          m.set(name, value)
        },
        remove: key => { this.remove(...this.split(key)) },
        clear: () => { this.byNamespace.clear() },
      },
    })
    await this.mirror.start()
  }

  stop (): void { this.mirror?.stop() }

  /** Whether the mirror follows the store; if not, the caller reloads it (`start`). */
  following (): boolean { return this.mirror?.following() === true }

  reload (): Promise<void> { return this.mirror?.start() ?? Promise.resolve() }

  get (namespace: string, name: string): T | undefined { return this.byNamespace.get(namespace)?.get(name) }

  in (namespace: string): Iterable<T> { return this.byNamespace.get(namespace)?.values() ?? [] }

  private remove (namespace: string, name: string): void {
    const m = this.byNamespace.get(namespace)
    m?.delete(name)
    if (m?.size === 0) this.byNamespace.delete(namespace)
  }

  private split (key: string): [string, string] {
    const rest = key.slice(this.prefix.length)
    const i = rest.indexOf('/')
    return i < 0 ? ['', rest] : [rest.slice(0, i), rest.slice(i + 1)]
  }
}

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
