// A resource of the store mirrored in memory, grouped by namespace: what admission and the
// authorizer read on every request (upstream: their informers' listers), each stored object
// reduced by `read` to the few fields the reader needs.
import type { Backend } from '../../store/backend.ts'
import { StoreMirror } from './store-mirror.ts'

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
