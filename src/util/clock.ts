// One Clock per cluster. No component calls Date.now(), setTimeout or setInterval directly:
// with the virtual clock, `advance('5m')` fires every timer due in that span, in time order.

export interface TimerHandle { cancel(): void }

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Run `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle
  /** Run `fn` every `ms` milliseconds until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle
}

export class RealClock implements Clock {
  now (): number { return Date.now() }

  setTimeout (fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return { cancel: () => clearTimeout(t) }
  }

  setInterval (fn: () => void, ms: number): TimerHandle {
    const t = setInterval(fn, ms)
    t.unref?.()
    return { cancel: () => clearInterval(t) }
  }
}

interface VirtualTimer { due: number, seq: number, fn: () => void, every?: number, cancelled: boolean }

/**
 * Time that moves only when told. `advance` fires due timers in (due time, creation order) and
 * awaits `settle` between them, so work a timer starts finishes before the next one fires.
 */
export class VirtualClock implements Clock {
  private current: number
  private seq = 0
  private timers: VirtualTimer[] = []

  constructor (options: { start?: number } = {}) {
    this.current = options.start ?? Date.UTC(2025, 0, 1)
  }

  now (): number { return this.current }

  setTimeout (fn: () => void, ms: number): TimerHandle {
    return this.add({ due: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false })
  }

  setInterval (fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms)
    return this.add({ due: this.current + every, seq: this.seq++, fn, every, cancelled: false })
  }

  /** Timers still pending, earliest first (for settle()'s report). */
  pending (): number { return this.timers.length }

  /** Time of the next timer, or undefined. */
  nextDue (): number | undefined { return this.timers[0]?.due }

  /** Move time forward by `duration` (ms or '90s', '5m', '1h'), firing due timers in order. */
  async advance (duration: number | string, settle: () => Promise<void> = tick): Promise<void> {
    const target = this.current + parseDuration(duration)
    for (;;) {
      const next = this.timers[0]
      if (next === undefined || next.due > target) break
      this.timers.shift()
      this.current = Math.max(this.current, next.due)
      if (next.every !== undefined) {
        next.due += next.every
        next.seq = this.seq++
        this.insert(next)
      }
      next.fn()
      await settle()
    }
    this.current = target
  }

  private add (timer: VirtualTimer): TimerHandle {
    this.insert(timer)
    return {
      cancel: () => {
        timer.cancelled = true
        const i = this.timers.indexOf(timer)
        if (i >= 0) this.timers.splice(i, 1)
      },
    }
  }

  private insert (timer: VirtualTimer): void {
    let lo = 0
    let hi = this.timers.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const t = this.timers[mid]
      if (t.due < timer.due || (t.due === timer.due && t.seq < timer.seq)) lo = mid + 1
      else hi = mid
    }
    this.timers.splice(lo, 0, timer)
  }
}

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** '1h30m', '90s', '250ms', '5m' → milliseconds; a number is taken as milliseconds. */
export function parseDuration (duration: number | string): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw new Error(`invalid duration ${duration}`)
    return duration
  }
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(duration); m !== null; m = re.exec(duration)) {
    total += Number(m[1]) * units[m[2]]
    matched = re.lastIndex
  }
  if (duration.length === 0 || matched !== duration.length) {
    throw new Error(`invalid duration "${duration}": use forms like 250ms, 10s, 5m, 1h30m`)
  }
  return total
}
