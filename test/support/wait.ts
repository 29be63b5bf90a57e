// Waiting on a condition that no event announces (another process's state: kubectl output, the
// Docker CLI, a port): poll `check` until it returns a value, with a generous deadline. Only for
// readiness, never to assert how fast something is.
import { setTimeout as sleep } from 'node:timers/promises'

/** Poll `check` until it returns a value (not undefined); a throw counts as "not yet". */
export async function waitFor<T> (what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, detail?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch (err) { last = err }
    if (Date.now() > deadline) {
      const seen = detail?.() ?? (last === undefined ? undefined : String(last))
      throw new Error(`timed out waiting for ${what}${seen === undefined ? '' : `: ${seen}`}`)
    }
    await sleep(100)
  }
}
