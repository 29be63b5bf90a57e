// Quiescence: a cluster has settled when no component has work in hand for a few event-loop
// turns in a row and, on a virtual clock, no timer is due now. Components report `busy()`;
// timers belong to the clock. A bound turns a livelock into an error naming who was busy.
import type { VirtualClock } from '../util/clock.ts'

/** What settle() asks each turn (`anyBusy`, without allocating: it runs every event-loop turn
 * over every kubelet) and, when it gives up, who was busy. */
export interface Quiescence { anyBusy(): boolean, busyNames(): string[] }

const QUIET_TURNS = 4
/** On a real clock: busy turns in a row before settle() waits 1 ms per turn instead of spinning. */
const SPIN_TURNS = 100
const turn = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
const pause = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 1))

/**
 * Resolves once nothing is busy for a few turns in a row and, on a virtual clock, no timer is due.
 * The bound: on a virtual clock `maxTurns` event-loop turns (a livelock; all work is in memory);
 * on a real clock `maxWaitMs` of wall time, since a busy component may be waiting on real I/O
 * (a container runtime pulling and starting containers), however few turns that takes.
 */
export async function settle (q: Quiescence, clock: VirtualClock | undefined, options: { maxTurns?: number, maxWaitMs?: number } = {}): Promise<void> {
  const maxTurns = options.maxTurns ?? 200_000
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000
  const started = Date.now()
  let quiet = 0
  let busyTurns = 0
  for (let turns = 0; ; turns++) {
    const over = clock !== undefined ? turns >= maxTurns : Date.now() - started >= maxWaitMs
    if (over) {
      const busy = q.busyNames()
      const bound = clock !== undefined ? `${maxTurns} event-loop turns` : `${Math.round(maxWaitMs / 1000)} s`
      throw new Error(`cluster did not settle within ${bound}; still busy: ${busy.length > 0 ? busy.join(', ') : 'timers due now'}`)
    }
    await (clock === undefined && busyTurns >= SPIN_TURNS ? pause() : turn())
    if (q.anyBusy()) { quiet = 0; busyTurns++; continue }
    busyTurns = 0
    if (++quiet < QUIET_TURNS) continue
    const due = clock?.nextDue()
    if (clock !== undefined && due !== undefined && due <= clock.now()) {
      await clock.advance(0, turn)
      quiet = 0
      continue
    }
    return
  }
}
