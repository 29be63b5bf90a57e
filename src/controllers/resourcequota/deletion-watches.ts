// The quota controller's monitors for kinds it has no informer for (`count/<resource>.<group>`):
// once a quota names a kind, a watch of that kind in all namespaces, from the revision of the list
// that counted it, reports each deletion so the namespace's quotas are recounted (upstream keeps
// an informer per quotable kind; this keeps no objects, only the watch).
import type { ApiWatchEvent, Client, WatchStream } from '../../client/client.ts'
import { forEachBatch } from '../../util/batches.ts'
import type { ResourceKind } from '../resources.ts'

export type OnDeleted = (group: string, resource: string, namespace: string | undefined) => void

export class DeletionWatches {
  private readonly client: Client
  private readonly onDeleted: OnDeleted
  private readonly open = new Map<string, WatchStream | 'opening'>()
  private stopped = false

  constructor (client: Client, onDeleted: OnDeleted) {
    this.client = client
    this.onDeleted = onDeleted
  }

  /** Watch the kind from `resourceVersion` unless it is watched already. */
  async follow (kind: ResourceKind, resourceVersion: string | undefined): Promise<void> {
    const id = `${kind.resource}.${kind.group}`
    if (this.stopped || this.open.has(id)) return
    this.open.set(id, 'opening')
    let stream: WatchStream
    try {
      stream = await this.client.watch(kind.apiVersion, kind.kind, { resourceVersion })
    } catch (err) {
      this.open.delete(id)
      throw err
    }
    if (this.stopped) { stream.close(); return }
    this.open.set(id, stream)
    void this.pump(id, kind, stream)
  }

  /** The kinds watched (tests). */
  watched (): string[] { return [...this.open.keys()] }

  stop (): void {
    this.stopped = true
    for (const s of this.open.values()) if (s !== 'opening') s.close()
    this.open.clear()
  }

  private deletions (kind: ResourceKind, batch: ApiWatchEvent[]): void {
    for (const e of batch) {
      if (e.type !== 'DELETED') continue
      const meta = e.object.metadata as { namespace?: string } | undefined
      this.onDeleted(kind.group, kind.resource, meta?.namespace)
    }
  }

  private async pump (id: string, kind: ResourceKind, stream: WatchStream): Promise<void> {
    try {
      await forEachBatch(() => stream.next(), batch => this.deletions(kind, batch))
    } catch {
      // Ended: the next sync that counts this kind watches it again from its own list.
    }
    if (this.open.get(id) === stream) this.open.delete(id)
  }
}
