// A prefix of the store mirrored in memory for lookups on hot paths (admission on every create,
// every kubelet's first list), as upstream's informers and watch cache serve them: a list, then
// the watch's events, applied as the store commits them (WatchOptions.deliver: before the write
// is acknowledged, so a lookup reflects every acknowledged write, and nothing piles up between
// lookups). When the watch is gone (never started, stopped, or its target threw), following() says
// so and the owner reads the store or restarts the mirror.
import type { Backend, KeyValue, WatchEvent, Watcher } from '../../store/backend.ts'
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
  private watcher: Watcher | undefined
  /** The load in progress: lookups that find the watch gone at the same time share one. */
  private starting: Promise<void> | undefined
  private stopped = false

  constructor (options: { backend: Backend, prefix: string, target: MirrorTarget }) {
    this.backend = options.backend
    this.prefix = options.prefix
    this.target = options.target
  }

  /** (Re)load the prefix into the target and follow it from there. */
  start (): Promise<void> {
    this.starting ??= this.load().finally(() => { this.starting = undefined })
    return this.starting
  }

  private async load (): Promise<void> {
    this.watcher?.close()
    const r = await this.backend.range({ key: this.prefix, rangeEnd: prefixEnd(this.prefix) })
    if (this.stopped) return
    this.target.clear()
    for (const kv of r.kvs) this.target.put(kv)
    const apply = (events: WatchEvent[]): void => {
      for (const e of events) {
        if (e.type === 'delete') this.target.remove(e.kv.key)
        else this.target.put(e.kv)
      }
    }
    this.watcher = this.backend.watch({ key: this.prefix, rangeEnd: prefixEnd(this.prefix), startRevision: r.revision + 1, deliver: apply })
  }

  /** Whether the mirror is following the store (false: the owner must read the store or restart it). */
  following (): boolean {
    const w = this.watcher
    return w !== undefined && !w.closed
  }

  stop (): void {
    this.stopped = true
    this.watcher?.close()
  }
}

/**
 * The commonest mirror: a Map from the name under the prefix to what `read` makes of the stored
 * object (an admission cache's few fields). Lookups go through `get`/`values`, which say
 * undefined when the mirror is not following the store (the caller reads the store then).
 */
export class MirroredMap<T> {
  private readonly prefix: string
  private readonly read: (obj: unknown, name: string) => T
  private readonly onRemove: ((name: string) => void) | undefined
  private readonly entries = new Map<string, T>()
  private mirror: StoreMirror | undefined

  /** `onRemove`: told of each name the store deletes (not of a reload's clearing). */
  constructor (options: { prefix: string, read: (obj: unknown, name: string) => T, onRemove?: (name: string) => void }) {
    this.prefix = options.prefix
    this.read = options.read
    this.onRemove = options.onRemove
  }

  async start (backend: Backend): Promise<void> {
    const decoder = new TextDecoder()
    this.mirror = new StoreMirror({
      backend,
      prefix: this.prefix,
      target: {
        put: kv => {
          const name = kv.key.slice(this.prefix.length)
          let value: T
          try {
            value = this.read(JSON.parse(decoder.decode(kv.value)), name)
          } catch {
            // Not an object's JSON (written through etcd): not there, as for an informer.
            this.entries.delete(name)
            return
          }
          this.entries.set(name, value)
        },
        remove: key => {
          const name = key.slice(this.prefix.length)
          this.entries.delete(name)
          this.onRemove?.(name)
        },
        clear: () => { this.entries.clear() },
      },
    })
    await this.mirror.start()
  }

  stop (): void { this.mirror?.stop() }

  /** The entry of `name` (undefined: none, or not known here). */
  get (name: string): T | undefined { return this.following() ? this.entries.get(name) : undefined }

  /** Whether lookups answer from the store's current state (else undefined means "not known"). */
  known (): boolean { return this.following() }

  /** Every entry, or undefined when not known here. */
  values (): Iterable<T> | undefined { return this.following() ? this.entries.values() : undefined }

  /** Every name with its entry, or undefined when not known here. */
  named (): Iterable<[string, T]> | undefined { return this.following() ? this.entries.entries() : undefined }

  private following (): boolean { return this.mirror?.following() === true }
}
