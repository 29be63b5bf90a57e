// Which namespaces exist and which are terminating, kept from a watch on the store instead of a
// read per create (upstream's NamespaceLifecycle admission uses an informer the same way). A miss
// falls back to a read, so a namespace created a moment ago is never refused.
import type { Backend, Watcher } from '../../store/backend.ts'
import { prefixEnd } from '../../store/keys.ts'

const PREFIX = '/registry/namespaces/'

export class NamespaceCache {
  private readonly phases = new Map<string, string>()
  private watcher: Watcher | undefined

  async start (backend: Backend): Promise<void> {
    const r = await backend.range({ key: PREFIX, rangeEnd: prefixEnd(PREFIX) })
    for (const kv of r.kvs) this.set(kv.key, kv.value)
    this.watcher = backend.watch({ key: PREFIX, rangeEnd: prefixEnd(PREFIX), startRevision: r.revision + 1 })
    void this.run(this.watcher)
  }

  /** 'Active', 'Terminating', or undefined when not known here (read the store then). */
  phase (name: string): string | undefined { return this.phases.get(name) }

  stop (): void { this.watcher?.close() }

  private async run (w: Watcher): Promise<void> {
    try {
      for await (const batch of w) {
        for (const e of batch) {
          if (e.type === 'delete') this.phases.delete(e.kv.key.slice(PREFIX.length))
          else this.set(e.kv.key, e.kv.value)
        }
      }
    } catch {
      // The store closed or cut the watch off: forget everything, every lookup reads the store.
      this.phases.clear()
    }
  }

  private set (key: string, value: Uint8Array): void {
    const ns = JSON.parse(new TextDecoder().decode(value)) as { status?: { phase?: string } }
    this.phases.set(key.slice(PREFIX.length), ns.status?.phase ?? 'Active')
  }
}
