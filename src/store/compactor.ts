// Periodic compaction as kine runs it: every `interval` (5m), compact to `revision - retain`
// (the newest 1000 revisions are kept), on the injected clock. Watches and reads below the
// compact revision then fail with `compacted`, which makes Kubernetes clients relist.
// Also by volume, as etcd's revision-based auto-compaction: when more than `maxUncompacted`
// revisions pile up between two timer runs (thousands of pods created in seconds, or a virtual
// clock that is not advanced), compaction runs then, so the history does not grow unbounded.
import type { Clock, TimerHandle } from '../util/clock.ts'
import type { Backend } from './backend.ts'

export interface CompactorOptions {
  backend: Backend
  clock: Clock
  /** Milliseconds between compactions; default 5 minutes. */
  interval?: number
  /** Revisions kept below the current one; default 1000. */
  retain?: number
  /** Compact at once when the history holds more revisions than this; default 10,000 (0: only on the timer). */
  maxUncompacted?: number
  onError?: (err: unknown) => void
}

export class Compactor {
  private readonly timer: TimerHandle
  private readonly options: CompactorOptions
  private readonly unsubscribe: () => void
  private running: Promise<unknown> | undefined

  constructor (options: CompactorOptions) {
    this.options = options
    this.timer = options.clock.setInterval(() => { this.runOnce().catch(err => options.onError?.(err)) }, options.interval ?? 5 * 60_000)
    const max = options.maxUncompacted ?? 10_000
    this.unsubscribe = max > 0
      ? options.backend.onCommit(revision => {
        if (this.running !== undefined || revision - options.backend.compactRevision <= max) return
        this.running = this.runOnce().catch(err => options.onError?.(err)).finally(() => { this.running = undefined })
      })
      : () => {}
  }

  /** Compact once if enough revisions have piled up; returns the compact revision. */
  async runOnce (): Promise<number> {
    const { backend } = this.options
    const target = backend.revision - (this.options.retain ?? 1000)
    if (target <= backend.compactRevision) return backend.compactRevision
    return (await backend.compact(target)).revision && target
  }

  stop (): void {
    this.timer.cancel()
    this.unsubscribe()
  }
}
