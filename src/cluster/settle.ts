// Quiescence: a cluster has settled when no component has work in hand for a few event-loop
// turns in a row and, on a virtual clock, no timer is due now. Components report `busy()`;
// timers belong to the clock. A bound turns a livelock into an error naming who was busy.
import type { VirtualClock } from '../util/clock.ts'

/** What settle() asks each turn (`anyBusy`, without allocating: it runs every event-loop turn
 * over every kubelet) and, when it gives up, who was busy. */
export interface Quiescence { anyBusy(): boolean, busyNames(): string[] }

const QUIET_TURNS = 4
const turn = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

export async function settle (q: Quiescence, clock: VirtualClock | undefined, options: { maxTurns?: number } = {}): Promise<void> {
  const maxTurns = options.maxTurns ?? 200_000
  let quiet = 0
  for (let turns = 0; ; turns++) {
    if (turns >= maxTurns) {
      const busy = q.busyNames()
      throw new Error(`cluster did not settle within ${maxTurns} event-loop turns; still busy: ${busy.length > 0 ? busy.join(', ') : 'timers due now'}`)
    }
    await turn()
    if (q.anyBusy()) { quiet = 0; continue }
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
