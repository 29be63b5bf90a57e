// While a namespace waits for content to go (a pod's grace period, a finalizer), the kinds that
// still have objects there are watched, in that namespace only, from the revision of the list
// that found them; a DELETED event requeues the namespace. Upstream requeues after an estimate
// instead; watching on demand keeps it event-driven without an informer (and its cache of every
// Event in the cluster) per namespaced kind for the life of the cluster.
import type { Client, WatchStream } from '../../client/client.ts'
import { forEachBatch } from '../../util/batches.ts'
import type { ResourceKind } from '../resources.ts'

/** A kind with objects left in the namespace, and the revision of the list that found them. */
export interface RemainingKind {
  kind: ResourceKind
  resourceVersion: string
}

export class ContentWatches {
  private readonly client: Client
  /** namespace → `resource.group` → the open watch. */
  private readonly open = new Map<string, Map<string, WatchStream>>()
  private stopped = false

  constructor (client: Client) { this.client = client }

  /**
   * Watch exactly `remaining` in `namespace` (those already watched stay as they are; the others
   * are closed). `requeue` is called on a deletion, and when a watch ends for any other reason
   * than close(), so the next sync can open it again.
   */
  async follow (namespace: string, remaining: readonly RemainingKind[], requeue: () => void): Promise<void> {
    const wanted = new Set(remaining.map(r => id(r.kind)))
    for (const [name, stream] of this.open.get(namespace) ?? []) {
      if (!wanted.has(name)) this.forget(namespace, name, stream)
    }
    for (const { kind, resourceVersion } of remaining) {
      if (this.stopped || this.open.get(namespace)?.has(id(kind)) === true) continue
      const stream = await this.client.watch(kind.apiVersion, kind.kind, { namespace, resourceVersion })
      // Read the map again: while we waited, another watch of this namespace may have ended
      // (and taken the namespace's entry with it), or everything may have been stopped.
      if (this.stopped) { stream.close(); continue }
      let watches = this.open.get(namespace)
      if (watches === undefined) this.open.set(namespace, watches = new Map())
      watches.set(id(kind), stream)
      void this.pump(namespace, id(kind), stream, requeue)
    }
  }

  /** Close the namespace's watches (it is finalized or gone). */
  close (namespace: string): void {
    const watches = this.open.get(namespace)
    if (watches === undefined) return
    this.open.delete(namespace)
    for (const stream of watches.values()) stream.close()
  }

  stop (): void {
    this.stopped = true
    for (const namespace of [...this.open.keys()]) this.close(namespace)
  }

  /** Namespaces with open watches, and the kinds watched (tests). */
  watched (): Record<string, string[]> {
    return Object.fromEntries([...this.open].map(([ns, w]) => [ns, [...w.keys()]]))
  }

  private forget (namespace: string, name: string, stream: WatchStream): void {
    const watches = this.open.get(namespace)
    if (watches?.get(name) === stream) {
      watches.delete(name)
      if (watches.size === 0) this.open.delete(namespace)
    }
    stream.close()
  }

  private async pump (namespace: string, name: string, stream: WatchStream, requeue: () => void): Promise<void> {
    try {
      await forEachBatch(() => stream.next(), batch => { if (batch.some(e => e.type === 'DELETED')) requeue() })
    } catch {
      // Ended; handled below like any other end.
    }
    if (this.open.get(namespace)?.get(name) !== stream) return // closed by us
    this.forget(namespace, name, stream)
    requeue()
  }
}

const id = (kind: ResourceKind): string => `${kind.resource}.${kind.group}`
