// client-go's workqueue: a key is queued at most once, is never handed to two workers at once
// (re-added while processing = queued again after done()), and failures back off per key
// (5 ms doubling up to 1000 s, client-go's default) on the cluster clock.
import type { Clock, TimerHandle } from '../util/clock.ts'

export class WorkQueue<K = string> {
  private readonly queue: K[] = []
  private readonly dirty = new Set<K>()
  private readonly processing = new Set<K>()
  private readonly failures = new Map<K, number>()
  private readonly delayed = new Map<K, { due: number, timer: TimerHandle }>()
  private readonly waiters: Array<(k: K | undefined) => void> = []
  private readonly clock: Clock
  private shuttingDown = false
  private readonly base: number
  private readonly max: number
  private readonly onBusyChange: ((busy: boolean) => void) | undefined
  private readonly onChange: (() => void) | undefined
  private wasBusy = false

  /**
   * `onBusyChange`: told whenever `busy` flips, so an owner of many queues need not ask each.
   * `onChange`: told after every change of the queued or processing keys.
   */
  constructor (options: { clock: Clock, baseDelayMs?: number, maxDelayMs?: number, onBusyChange?: (busy: boolean) => void, onChange?: () => void }) {
    this.clock = options.clock
    this.base = options.baseDelayMs ?? 5
    this.max = options.maxDelayMs ?? 1_000_000
    this.onBusyChange = options.onBusyChange
    this.onChange = options.onChange
  }

  add (key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return
    this.dirty.add(key)
    if (this.processing.has(key)) return
    const w = this.waiters.shift()
    if (w !== undefined) { this.dirty.delete(key); this.processing.add(key); this.changed(); w(key); return }
    this.queue.push(key)
    this.changed()
  }

  private changed (): void {
    this.onChange?.()
    if (this.onBusyChange === undefined || this.busy === this.wasBusy) return
    this.wasBusy = !this.wasBusy
    this.onBusyChange(this.wasBusy)
  }

  addAfter (key: K, ms: number): void {
    if (this.shuttingDown) return
    if (ms <= 0) { this.add(key); return }
    const due = this.clock.now() + ms
    const waiting = this.delayed.get(key)
    // client-go's delaying queue: a second add moves the key earlier, never later.
    if (waiting !== undefined) {
      if (waiting.due <= due) return
      waiting.timer.cancel()
    }
    this.delayed.set(key, { due, timer: this.clock.setTimeout(() => { this.delayed.delete(key); this.add(key) }, ms) })
  }

  /** Requeue after this key's next backoff step. */
  addRateLimited (key: K): void {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    this.addAfter(key, Math.min(this.base * 2 ** n, this.max))
  }

  /** Reset the key's backoff (after a successful sync). */
  forget (key: K): void { this.failures.delete(key) }

  numRequeues (key: K): number { return this.failures.get(key) ?? 0 }

  /** The next key; resolves undefined once shut down. */
  get (): Promise<K | undefined> {
    const key = this.take()
    if (key !== undefined) return Promise.resolve(key)
    if (this.shuttingDown) return Promise.resolve(undefined)
    return new Promise(resolve => this.waiters.push(resolve))
  }

  /** The next key now, if one is queued (as get() hands it out), without waiting for one. */
  take (): K | undefined {
    const key = this.queue.shift()
    if (key === undefined) return undefined
    this.dirty.delete(key)
    this.processing.add(key)
    this.changed()
    return key
  }

  done (key: K): void {
    this.processing.delete(key)
    if (this.dirty.has(key)) {
      this.dirty.delete(key)
      this.add(key)
    }
    this.changed()
  }

  /** Keys waiting, being processed or delayed: the queue is idle when all are zero. */
  get length (): number { return this.queue.length }
  get busy (): boolean { return this.queue.length > 0 || this.processing.size > 0 }
  /** Keys being processed (handed out by get(), not yet done()). */
  get processingCount (): number { return this.processing.size }
  get pendingDelayed (): number { return this.delayed.size }

  shutDown (): void {
    this.shuttingDown = true
    for (const t of this.delayed.values()) t.timer.cancel()
    this.delayed.clear()
    for (const w of this.waiters.splice(0)) w(undefined)
  }
}
