// Which namespaces exist and which are terminating, mirrored from the store (store-mirror.ts)
// instead of a read per create (upstream's NamespaceLifecycle admission uses an informer the same
// way). When the mirror cannot tell, the caller reads the store, so a namespace is never refused
// on stale information.
import type { Backend, KeyValue } from '../../store/backend.ts'
import { StoreMirror } from './store-mirror.ts'

const PREFIX = '/registry/namespaces/'
const decoder = new TextDecoder()

export class NamespaceCache {
  private readonly phases = new Map<string, string>()
  private mirror: StoreMirror | undefined

  async start (backend: Backend): Promise<void> {
    this.mirror = new StoreMirror({
      backend,
      prefix: PREFIX,
      target: {
        put: (kv: KeyValue) => {
          const ns = JSON.parse(decoder.decode(kv.value)) as { status?: { phase?: string } }
          this.phases.set(kv.key.slice(PREFIX.length), ns.status?.phase ?? 'Active')
        },
        remove: key => { this.phases.delete(key.slice(PREFIX.length)) },
        clear: () => { this.phases.clear() },
      },
    })
    await this.mirror.start()
  }

  /** 'Active', 'Terminating', or undefined when not known here (read the store then). */
  phase (name: string): string | undefined {
    return this.mirror?.following() === true ? this.phases.get(name) : undefined
  }

  stop (): void { this.mirror?.stop() }
}
