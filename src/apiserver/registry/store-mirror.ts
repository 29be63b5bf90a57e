// A prefix of the store mirrored in memory for lookups on hot paths (admission on every create,
// every kubelet's first list), as upstream's informers and watch cache serve them: a list, then
// the watch's events. The events are taken synchronously before each lookup
// (Watcher.takeBuffered) — the store delivers a write's events before it acknowledges the write —
// so a lookup reflects every acknowledged write. When the watch is gone (never started, stopped,
// or failed for falling behind), catchUp() says so and the owner reads the store or restarts.
import type { Backend, KeyValue, Watcher } from '../../store/backend.ts'
import { prefixEnd } from '../../store/keys.ts'

/** What a mirror keeps up to date: its owner's own index of the prefix. */
export interface MirrorTarget {
  put(kv: KeyValue): void
  remove(key: string): void
  clear(): void
}

export class StoreMirror {
  private readonly backend: Backend
  private readonly prefix: string
  private readonly target: MirrorTarget
  private readonly maxBuffered: number | undefined
  private watcher: Watcher | undefined

  /** `maxBuffered`: events the watch may hold between two lookups before it fails (store default: 10,000). */
  constructor (options: { backend: Backend, prefix: string, target: MirrorTarget, maxBuffered?: number }) {
    this.backend = options.backend
    this.prefix = options.prefix
    this.target = options.target
    this.maxBuffered = options.maxBuffered
  }

  /** (Re)load the prefix into the target and follow it from there. */
  async start (): Promise<void> {
    this.watcher?.close()
    const r = await this.backend.range({ key: this.prefix, rangeEnd: prefixEnd(this.prefix) })
    this.target.clear()
    for (const kv of r.kvs) this.target.put(kv)
    this.watcher = this.backend.watch({ key: this.prefix, rangeEnd: prefixEnd(this.prefix), startRevision: r.revision + 1, maxBuffered: this.maxBuffered })
  }

  /** Apply the events delivered since the last call; false when the watch is gone. */
  catchUp (): boolean {
    const w = this.watcher
    if (w === undefined || w.closed) return false
    try {
      for (const e of w.takeBuffered()) {
        if (e.type === 'delete') this.target.remove(e.kv.key)
        else this.target.put(e.kv)
      }
      return true
    } catch {
      w.close()
      return false
    }
  }

  stop (): void { this.watcher?.close() }
}
