// Periodic compaction as kine runs it: every `interval` (5m), compact to `revision - retain`
// (the newest 1000 revisions are kept), on the injected clock. Watches and reads below the
// compact revision then fail with `compacted`, which makes Kubernetes clients relist.
import type { Clock, TimerHandle } from '../util/clock.ts'
import type { Backend } from './backend.ts'

export interface CompactorOptions {
  backend: Backend
  clock: Clock
  /** Milliseconds between compactions; default 5 minutes. */
  interval?: number
  /** Revisions kept below the current one; default 1000. */
  retain?: number
  onError?: (err: unknown) => void
}

export class Compactor {
  private readonly timer: TimerHandle
  private readonly options: CompactorOptions

  constructor (options: CompactorOptions) {
    this.options = options
    this.timer = options.clock.setInterval(() => { this.runOnce().catch(err => options.onError?.(err)) }, options.interval ?? 5 * 60_000)
  }

  /** Compact once if enough revisions have piled up; returns the compact revision. */
  async runOnce (): Promise<number> {
    const { backend } = this.options
    const target = backend.revision - (this.options.retain ?? 1000)
    if (target <= backend.compactRevision) return backend.compactRevision
    return (await backend.compact(target)).revision && target
  }

  stop (): void { this.timer.cancel() }
}
