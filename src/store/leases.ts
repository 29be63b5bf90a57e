// Leases as etcd keeps them: an id, a TTL, the keys attached, and an expiry timer on the
// injected clock (a virtual clock expires them on `advance`). When a lease expires or is revoked,
// the backend deletes its keys, each as an ordinary delete event.
import type { Clock, TimerHandle } from '../util/clock.ts'
import { StoreError } from './errors.ts'

/** etcd's MaxLeaseTTL (9,000,000,000 s). */
export const MAX_LEASE_TTL = 9_000_000_000

interface LeaseState {
  id: number
  ttl: number
  expiresAt: number
  timer: TimerHandle
  keys: Set<string>
}

export class LeaseTable {
  private readonly leases = new Map<number, LeaseState>()
  private readonly clock: Clock
  private readonly onExpire: (id: number) => void

  constructor (options: { clock: Clock, onExpire: (id: number) => void }) {
    this.clock = options.clock
    this.onExpire = options.onExpire
  }

  has (id: number): boolean { return this.leases.has(id) }

  get (id: number): LeaseState | undefined { return this.leases.get(id) }

  ids (): number[] { return [...this.leases.keys()] }

  /** A fresh id: random, positive, and exact as a JS number (etcd's are 63-bit). */
  newId (): number {
    for (;;) {
      const id = Math.floor(Math.random() * 2 ** 52) + 1
      if (!this.leases.has(id)) return id
    }
  }

  add (id: number, ttl: number): void {
    const existing = this.leases.get(id)
    existing?.timer.cancel()
    const state: LeaseState = { id, ttl, expiresAt: 0, timer: { cancel () {} }, keys: existing?.keys ?? new Set() }
    this.leases.set(id, state)
    this.restart(state)
  }

  /** Restart the TTL (keep-alive). */
  renew (id: number): LeaseState {
    const state = this.leases.get(id)
    if (state === undefined) throw new StoreError('lease-not-found')
    this.restart(state)
    return state
  }

  remove (id: number): LeaseState | undefined {
    const state = this.leases.get(id)
    if (state === undefined) return undefined
    state.timer.cancel()
    this.leases.delete(id)
    return state
  }

  /** Seconds left, rounded up; -1 once expired. */
  remaining (state: LeaseState): number {
    const ms = state.expiresAt - this.clock.now()
    return ms <= 0 ? -1 : Math.ceil(ms / 1000)
  }

  /** Move `key` from lease `from` to lease `to` (0 = none) after a committed write. */
  move (key: string, from: number, to: number): void {
    if (from === to) return
    if (from !== 0) this.leases.get(from)?.keys.delete(key)
    if (to !== 0) this.leases.get(to)?.keys.add(key)
  }

  cancelAll (): void {
    for (const s of this.leases.values()) s.timer.cancel()
  }

  private restart (state: LeaseState): void {
    state.timer.cancel()
    state.expiresAt = this.clock.now() + state.ttl * 1000
    state.timer = this.clock.setTimeout(() => this.onExpire(state.id), state.ttl * 1000)
  }
}
