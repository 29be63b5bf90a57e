// ControllerExpectations (pkg/controller/controller_utils.go, UIDTrackingControllerExpectations):
// after a sync asks for N creations or a set of deletions, the owner is not synced again until
// the informer has observed them, so a stale cache cannot make it create or delete twice.
// Expectations older than five minutes are considered satisfied (upstream's ExpectationsTimeout).
import type { Clock } from '../../util/clock.ts'

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000

interface Expectation { adds: number, dels: Set<string>, at: number }

export class Expectations {
  private readonly clock: Clock
  private readonly byKey = new Map<string, Expectation>()

  constructor (clock: Clock) { this.clock = clock }

  /** True when nothing is in flight for `key` (or the expectation expired). */
  satisfied (key: string): boolean {
    const e = this.byKey.get(key)
    if (e === undefined) return true
    if (e.adds <= 0 && e.dels.size === 0) return true
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS
  }

  expectCreations (key: string, n: number): void {
    this.byKey.set(key, { adds: n, dels: new Set(), at: this.clock.now() })
  }

  /** `podKeys` are "<namespace>/<name>" of the pods being deleted. */
  expectDeletions (key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, dels: new Set(podKeys), at: this.clock.now() })
  }

  creationObserved (key: string): void {
    const e = this.byKey.get(key)
    if (e !== undefined) e.adds--
  }

  deletionObserved (key: string, podKey: string): void {
    this.byKey.get(key)?.dels.delete(podKey)
  }

  delete (key: string): void { this.byKey.delete(key) }
}
