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
  private readonly read: (obj: Record<string, unknown>, namespace: string, name: string) => T
  private readonly byNamespace = new Map<string, Map<string, T>>()
  private mirror: StoreMirror | undefined

  constructor (resource: string, read: (obj: Record<string, unknown>, namespace: string, name: string) => T) {
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
          let m = this.byNamespace.get(namespace)
          if (m === undefined) { m = new Map(); this.byNamespace.set(namespace, m) }
          m.set(name, this.read(JSON.parse(decoder.decode(kv.value)) as Record<string, unknown>, namespace, name))
        },
        remove: key => {
          const [namespace, name] = this.split(key)
          const m = this.byNamespace.get(namespace)
          m?.delete(name)
          if (m?.size === 0) this.byNamespace.delete(namespace)
        },
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

  private split (key: string): [string, string] {
    const rest = key.slice(this.prefix.length)
    const i = rest.indexOf('/')
    return i < 0 ? ['', rest] : [rest.slice(0, i), rest.slice(i + 1)]
  }
}

const rulesOf = (obj: Record<string, unknown>): PolicyRule[] => (Array.isArray(obj.rules) ? obj.rules as PolicyRule[] : [])

const bindingOf = (obj: Record<string, unknown>, namespace: string, name: string): Binding =>
  ({ name, namespace, roleRef: (obj.roleRef ?? { kind: '', name: '' }) as RoleRef, subjects: Array.isArray(obj.subjects) ? obj.subjects as Subject[] : [] })

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
