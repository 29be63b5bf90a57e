// Memory back to the OS once the process goes quiet. After a burst (a 10,000-pod Deployment) V8
// keeps the heap it grew to, about twice what stays in use, for good: its idle-time collections
// shrink the heap's limit but keep the freed pages pooled, so RSS stays at the burst's high-water
// mark. Go's runtime, which k3s runs on, returns such memory in the background (its scavenger). We
// do the same at rest: one full collection of V8's "last resort" flavour, the one that also gives
// pooled pages back, when a check finds the process idle and holding much more heap than it uses;
// then none until the heap has grown again. Caches that only speed up a burst (the API server's
// decoded objects) are emptied first, by the trims of those holding the releaser.
//
// K3SIM_RELEASE_MEMORY_AT_REST=0 turns it off (the collection pauses the process: 0.7 s for a
// 223 MB heap on our 2-core machine, once per burst).
//
// There is no public API for it: the collector is V8's `gc` function, exposed with --expose-gc and
// taken from a new context (as jest's leak detector does), so the flag changes nothing else.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export interface MemorySample {
  /** CPU time of the process so far (user + system), microseconds. */
  cpuMicros: number
  /** Wall-clock time of the sample, milliseconds. */
  at: number
  heapTotal: number
  heapUsed: number
}

export interface IdleReleaseOptions {
  /** How often to check (real time): default 10 s. */
  intervalMs?: number
  /** For tests: the process's numbers now, and the collection to run. */
  sample?: () => MemorySample
  collect?: () => void
}

/** Idle: at most this share of one core used since the last check (V8's own idle-time GCs after a burst take a few %). */
export const IDLE_CPU_SHARE = 0.1
/** Worth a collection: the heap's high-water this much beyond what is in use, and a quarter more. */
export const MIN_SLACK_BYTES = 64 * 2 ** 20
/** After a release, the heap's high-water must grow this much before the next one. */
export const REGROWTH_BYTES = 64 * 2 ** 20

export class IdleMemoryRelease {
  private readonly sample: () => MemorySample
  private readonly collect: () => void
  private readonly intervalMs: number
  private last: MemorySample | undefined
  private heapAfterRelease = 0
  private peak = 0
  private timer: NodeJS.Timeout | undefined
  /** Called before each collection: caches of the burst let go of what only they hold. */
  readonly trims = new Set<() => void>()
  /** Collections run so far. */
  releases = 0
  /** The releaser stopped after a failure. */
  failed = false

  constructor (options: IdleReleaseOptions = {}) {
    this.sample = options.sample ?? processSample
    this.collect = options.collect ?? lastResortCollection
    this.intervalMs = options.intervalMs ?? 10_000
  }

  /**
   * Check once (the timer calls this): collect if idle and holding a lot unused. A failure (a
   * runtime without V8's gc, a trim that throws) stops the releaser rather than the process.
   */
  tick (): boolean {
    try {
      return this.check()
    } catch {
      this.stop()
      this.failed = true
      return false
    }
  }

  private check (): boolean {
    const now = this.sample()
    const last = this.last
    this.last = now
    // The heap's high-water since the last release: V8's idle-time GCs shrink heapTotal soon
    // after a burst, but the pages they free stay pooled (resident) until a last-resort collection.
    this.peak = Math.max(this.peak, now.heapTotal)
    if (last === undefined || now.at <= last.at) return false
    const cpuShare = (now.cpuMicros - last.cpuMicros) / 1000 / (now.at - last.at)
    if (cpuShare > IDLE_CPU_SHARE) return false
    const slack = this.peak - now.heapUsed
    if (slack < MIN_SLACK_BYTES || this.peak < 1.25 * now.heapUsed) return false
    if (this.heapAfterRelease > 0 && this.peak < this.heapAfterRelease + REGROWTH_BYTES) return false
    for (const trim of this.trims) trim()
    this.collect()
    this.releases++
    const after = this.sample()
    this.heapAfterRelease = after.heapTotal
    this.peak = after.heapTotal
    // The collection's own CPU does not count against the next check.
    this.last = after
    return true
  }

  start (): void {
    if (this.timer !== undefined || this.failed) return
    this.last = this.sample()
    this.timer = setInterval(() => { this.tick() }, this.intervalMs)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }
}

function processSample (): MemorySample {
  const cpu = process.cpuUsage()
  const { heapTotal, heapUsed } = process.memoryUsage()
  return { cpuMicros: cpu.user + cpu.system, at: performance.now(), heapTotal, heapUsed }
}

type V8Collect = (options?: { type?: string, execution?: string, flavor?: string }) => void
let v8Collect: V8Collect | undefined

function lastResortCollection (): void {
  if (v8Collect === undefined) {
    setFlagsFromString('--expose-gc')
    v8Collect = runInNewContext('gc') as V8Collect
  }
  v8Collect({ type: 'major', execution: 'sync', flavor: 'last-resort' })
}

let shared: { release: IdleMemoryRelease, users: number } | undefined
let releasedBefore = 0

/** Collections the process's releaser has run (for benchmarks: RSS at rest is after one). */
export function idleMemoryReleases (): number {
  return releasedBefore + (shared?.release.releases ?? 0)
}

/**
 * The process's one releaser, started while anyone holds it, with `trim` run before each of its
 * collections; call the returned function to let go.
 */
export function holdIdleMemoryRelease (trim?: () => void): () => void {
  if (process.env.K3SIM_RELEASE_MEMORY_AT_REST === '0') return () => {}
  shared ??= { release: new IdleMemoryRelease(), users: 0 }
  const s = shared
  const own = trim === undefined ? undefined : (): void => trim()
  if (own !== undefined) s.release.trims.add(own)
  if (s.users++ === 0) s.release.start()
  let held = true
  return () => {
    if (!held) return
    held = false
    if (own !== undefined) s.release.trims.delete(own)
    if (--s.users === 0) {
      s.release.stop()
      if (shared === s) { releasedBefore += s.release.releases; shared = undefined }
    }
  }
}
