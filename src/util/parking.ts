// Work parked on the cluster clock. A kubelet's pod sync that awaits a fake runtime's pull,
// start or graceful stop is waiting for a clock timer, not working: on a virtual clock the time
// only moves once everything is quiet, so such a sync must count as quiet (settle() would wait
// for it forever otherwise). The sync runs `withParking(spot, fn)`; a clock wait made or awaited
// anywhere below it (same async context) calls `parkHere()`, and the spot hears park/unpark — once
// per sync however many waits it has at a time (a pod's containers stopping together). Waits on
// real I/O (the Docker runtime) never park: settle() waits for them.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface ParkingSpot {
  park(): void
  unpark(): void
}

/** One sync's parking: its spot, and how many of its clock waits are pending. */
interface Ticket { spot: ParkingSpot, waits: number }

const tickets = new AsyncLocalStorage<Ticket>()

/** Run `fn` so that clock waits it makes (parkHere) are reported to `spot`, as one sync. */
export function withParking<T> (spot: ParkingSpot, fn: () => Promise<T>): Promise<T> {
  return tickets.run({ spot, waits: 0 }, fn)
}

/**
 * Called when a clock wait starts (or an existing one is awaited): the surrounding sync (if run
 * withParking) is parked until every such wait of it has ended. The returned function ends this
 * one; calling it again does nothing.
 */
export function parkHere (): () => void {
  const ticket = tickets.getStore()
  if (ticket === undefined) return () => {}
  if (ticket.waits++ === 0) ticket.spot.park()
  let pending = true
  return () => {
    if (!pending) return
    pending = false
    if (--ticket.waits === 0) ticket.spot.unpark()
  }
}
