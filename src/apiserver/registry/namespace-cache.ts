// Which namespaces exist and which are terminating, mirrored from the store (store-mirror.ts)
// instead of a read per create (upstream's NamespaceLifecycle admission uses an informer the same
// way). When the mirror cannot tell, the caller reads the store, so a namespace is never refused
// on stale information.
import type { Backend } from '../../store/backend.ts'
import { MirroredMap } from './store-mirror.ts'

export class NamespaceCache {
  private readonly phases = new MirroredMap({
    prefix: '/registry/namespaces/',
    read: ns => (ns as { status?: { phase?: string } }).status?.phase ?? 'Active',
  })

  start (backend: Backend): Promise<void> { return this.phases.start(backend) }

  /** 'Active', 'Terminating', or undefined when not known here (read the store then). */
  phase (name: string): string | undefined { return this.phases.get(name) }

  stop (): void { this.phases.stop() }
}
