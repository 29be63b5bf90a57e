// Which namespaces exist, which are terminating, and their labels (PodSecurity's policy),
// mirrored from the store (store-mirror.ts) instead of a read per create (upstream's
// NamespaceLifecycle and PodSecurity admission use an informer the same way). When the mirror
// cannot tell, the caller reads the store, so a namespace is never judged on stale information.
import type { Backend } from '../../store/backend.ts'
import { MirroredMap } from './store-mirror.ts'

export class NamespaceCache {
  private readonly namespaces = new MirroredMap<{ phase: string, labels: Record<string, string> | undefined }>({
    prefix: '/registry/namespaces/',
    read: ns => {
      const n = ns as { status?: { phase?: string }, metadata?: { labels?: Record<string, string> } }
      return { phase: n.status?.phase ?? 'Active', labels: n.metadata?.labels ?? undefined }
    },
  })

  start (backend: Backend): Promise<void> { return this.namespaces.start(backend) }

  /** 'Active', 'Terminating', or undefined when not known here (read the store then). */
  phase (name: string): string | undefined { return this.namespaces.get(name)?.phase }

  /**
   * The namespace's labels: null when it has none or does not exist, undefined when this cache
   * cannot tell (read the store then).
   */
  labels (name: string): Record<string, string> | null | undefined {
    if (!this.namespaces.known()) return undefined
    return this.namespaces.get(name)?.labels ?? null
  }

  stop (): void { this.namespaces.stop() }
}
