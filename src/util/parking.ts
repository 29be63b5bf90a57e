// Work parked on the cluster clock. A kubelet's pod sync that awaits a fake runtime's pull,
// start or graceful stop is waiting for a clock timer, not working: on a virtual clock the time
// only moves once everything is quiet, so such a sync must count as quiet (settle() would wait
// for it forever otherwise). The sync runs `withParking(spot, fn)`; a clock wait made anywhere
// below it (same async context) calls `parkHere()`, and the spot hears park/unpark. Waits on real
// I/O (the Docker runtime) never park: settle() waits for them.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface ParkingSpot {
  park(): void
  unpark(): void
}

const spots = new AsyncLocalStorage<ParkingSpot>()

/** Run `fn` so that clock waits it makes (parkHere) are reported to `spot`. */
export function withParking<T> (spot: ParkingSpot, fn: () => Promise<T>): Promise<T> {
  return spots.run(spot, fn)
}

/**
 * Called when a clock wait starts: the surrounding work (if run withParking) is parked until the
 * returned function is called, once, when the wait ends (resolved or cancelled).
 */
export function parkHere (): () => void {
  const spot = spots.getStore()
  if (spot === undefined) return () => {}
  spot.park()
  let parked = true
  return () => {
    if (!parked) return
    parked = false
    spot.unpark()
  }
}
