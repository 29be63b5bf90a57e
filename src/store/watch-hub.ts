// In-process fan-out of committed events to watchers: no polling. Each watcher has its own
// bounded buffer; one that falls too far behind is cut off with `watcher-slow` (as kine closes
// slow watchers) instead of stalling writers or other watchers.
import type { WatchEvent, Watcher, WatchOptions } from './backend.ts'
import { StoreError, storeClosed } from './errors.ts'
import { inRange } from './keys.ts'

const DEFAULT_MAX_BUFFERED = 10_000

export class WatchHub {
  private readonly watchers = new Set<BufferedWatcher>()

  /** Start a watcher; `replay` holds the historic events (revision >= start) to deliver first. */
  subscribe (options: WatchOptions, replay: WatchEvent[]): Watcher {
    const w = new BufferedWatcher(options, options.maxBuffered ?? DEFAULT_MAX_BUFFERED, () => this.watchers.delete(w))
    this.watchers.add(w)
    if (replay.length > 0) w.push(replay, true)
    return w
  }

  /** Hand committed events (in revision order) to every watcher whose range they touch. */
  publish (events: WatchEvent[]): void {
    if (events.length === 0) return
    for (const w of this.watchers) {
      const mine = events.filter(e => w.matches(e.kv.key))
      if (mine.length > 0) w.push(mine, false)
    }
  }

  get size (): number { return this.watchers.size }

  /** End every watcher with `err` (default: the store closed). */
  closeAll (err: StoreError = storeClosed()): void {
    for (const w of [...this.watchers]) w.fail(err)
  }
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
