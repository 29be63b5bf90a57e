// In-process fan-out of committed events to watchers: no polling. Each watcher has its own
// bounded buffer; one that falls too far behind is cut off with `watcher-slow` (as kine closes
// slow watchers) instead of stalling writers or other watchers.
import type { KeyValue, WatchEvent, Watcher, WatchOptions } from './backend.ts'
import { StoreError, storeClosed } from './errors.ts'
import { inRange, prefixEnd } from './keys.ts'

const DEFAULT_MAX_BUFFERED = 10_000

/**
 * Watchers of a prefix range ([p, prefixEnd(p)) with p ending in '/') are indexed by the prefix,
 * so an event is offered only to the watchers of the prefixes of its key: thousands of kubelets
 * watching pods cost nothing when a Lease changes. Other ranges are checked one by one.
 */
interface TriggerIndex {
  of: (kv: KeyValue) => string | undefined
  byValue: Map<string, Set<BufferedWatcher>>
}

export class WatchHub {
  private readonly byPrefix = new Map<string, Set<BufferedWatcher>>()
  /** Prefix → trigger index name → watchers by trigger value. */
  private readonly byTrigger = new Map<string, Map<string, TriggerIndex>>()
  private readonly others = new Set<BufferedWatcher>()
  private count = 0

  /** Start a watcher; `replay` holds the historic events (revision >= start) to deliver first. */
  subscribe (options: WatchOptions, replay: WatchEvent[]): Watcher {
    const prefix = prefixOf(options)
    const trigger = prefix === undefined ? undefined : options.trigger
    const w: BufferedWatcher = new BufferedWatcher(options, options.maxBuffered ?? DEFAULT_MAX_BUFFERED, () => {
      this.count--
      if (prefix === undefined) { this.others.delete(w); return }
      if (trigger !== undefined) { this.untrigger(prefix, trigger.index, trigger.value, w); return }
      const set = this.byPrefix.get(prefix)
      set?.delete(w)
      if (set?.size === 0) this.byPrefix.delete(prefix)
    })
    this.count++
    if (prefix === undefined) this.others.add(w)
    else if (trigger !== undefined) {
      let indexes = this.byTrigger.get(prefix)
      if (indexes === undefined) this.byTrigger.set(prefix, indexes = new Map())
      let index = indexes.get(trigger.index)
      if (index === undefined) indexes.set(trigger.index, index = { of: trigger.of, byValue: new Map() })
      let set = index.byValue.get(trigger.value)
      if (set === undefined) index.byValue.set(trigger.value, set = new Set())
      set.add(w)
    } else {
      let set = this.byPrefix.get(prefix)
      if (set === undefined) { set = new Set(); this.byPrefix.set(prefix, set) }
      set.add(w)
    }
    if (replay.length > 0) w.push(replay, true)
    return w
  }

  /** Hand committed events (in revision order) to every watcher whose range they touch. */
  publish (events: WatchEvent[]): void {
    if (events.length === 0 || this.count === 0) return
    const batches = new Map<BufferedWatcher, WatchEvent[]>()
    const offer = (w: BufferedWatcher, e: WatchEvent): void => {
      const list = batches.get(w)
      if (list === undefined) batches.set(w, [e])
      else list.push(e)
    }
    for (const e of events) {
      const key = e.kv.key
      for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
        const prefix = key.slice(0, i + 1)
        const set = this.byPrefix.get(prefix)
        if (set !== undefined) for (const w of set) offer(w, e)
        const indexes = this.byTrigger.get(prefix)
        if (indexes !== undefined) {
          for (const index of indexes.values()) {
            const now = e.kv.value.length > 0 ? index.of(e.kv) : undefined
            const before = e.prevKv === undefined ? undefined : index.of(e.prevKv)
            if (now !== undefined) for (const w of index.byValue.get(now) ?? []) offer(w, e)
            if (before !== undefined && before !== now) for (const w of index.byValue.get(before) ?? []) offer(w, e)
          }
        }
      }
      for (const w of this.others) if (w.matches(key)) offer(w, e)
    }
    for (const [w, list] of batches) w.push(list, false)
  }

  get size (): number { return this.count }

  private untrigger (prefix: string, name: string, value: string, w: BufferedWatcher): void {
    const indexes = this.byTrigger.get(prefix)
    const index = indexes?.get(name)
    const set = index?.byValue.get(value)
    if (set === undefined) return
    set.delete(w)
    if (set.size > 0) return
    index!.byValue.delete(value)
    if (index!.byValue.size > 0) return
    indexes!.delete(name)
    if (indexes!.size === 0) this.byTrigger.delete(prefix)
  }

  /** End every watcher with `err` (default: the store closed). */
  closeAll (err: StoreError = storeClosed()): void {
    for (const w of [...this.others]) w.fail(err)
    for (const set of [...this.byPrefix.values()]) for (const w of [...set]) w.fail(err)
    for (const indexes of [...this.byTrigger.values()]) for (const index of [...indexes.values()]) for (const set of [...index.byValue.values()]) for (const w of [...set]) w.fail(err)
  }
}

/** The prefix p if the range is exactly [p, prefixEnd(p)) with p ending in '/'. */
function prefixOf (o: WatchOptions): string | undefined {
  if (o.rangeEnd === undefined || !o.key.endsWith('/')) return undefined
  return o.rangeEnd === prefixEnd(o.key) ? o.key : undefined
}

class BufferedWatcher implements Watcher {
  private buffer: WatchEvent[] = []
  private waiting: { resolve: (v: WatchEvent[] | null) => void, reject: (e: Error) => void } | undefined
  private error: StoreError | undefined
  private done = false

  private readonly options: WatchOptions
  private readonly maxBuffered: number
  private readonly onEnd: () => void

  constructor (options: WatchOptions, maxBuffered: number, onEnd: () => void) {
    this.options = options
    this.maxBuffered = maxBuffered
    this.onEnd = onEnd
  }

  get closed (): boolean { return this.done }

  matches (key: string): boolean { return inRange(key, this.options.key, this.options.rangeEnd) }

  push (events: WatchEvent[], replay: boolean): void {
    if (this.done) return
    const deliver = this.options.deliver
    if (deliver !== undefined) {
      try {
        deliver(events)
      } catch (err) {
        this.fail(new StoreError('watcher-failed', `watch consumer failed: ${err instanceof Error ? err.message : String(err)}`))
      }
      return
    }
    if (this.waiting !== undefined) {
      const { resolve } = this.waiting
      this.waiting = undefined
      resolve(events)
      return
    }
    for (const e of events) this.buffer.push(e)
    // The replay is bounded by the history kept; only live events count against the limit.
    if (!replay && this.buffer.length > this.maxBuffered) {
      this.fail(new StoreError('watcher-slow', `watcher is too slow: more than ${this.maxBuffered} events waiting`))
    }
  }

  fail (err: StoreError): void {
    if (this.done) return
    this.error = err
    this.buffer = []
    this.finish()
  }

  next (): Promise<WatchEvent[] | null> {
    if (this.buffer.length > 0) {
      const batch = this.buffer
      this.buffer = []
      return Promise.resolve(batch)
    }
    if (this.error !== undefined) return Promise.reject(this.error)
    if (this.done) return Promise.resolve(null)
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject } })
  }

  close (): void { this.finish() }

  async * [Symbol.asyncIterator] (): AsyncIterator<WatchEvent[]> {
    for (let batch = await this.next(); batch !== null; batch = await this.next()) yield batch
  }

  private finish (): void {
    if (this.done) return
    this.done = true
    this.onEnd()
    const w = this.waiting
    this.waiting = undefined
    if (w === undefined) return
    if (this.error !== undefined) w.reject(this.error)
    else w.resolve(null)
  }
}
