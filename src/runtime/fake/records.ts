// The fake runtime's state: sandboxes and containers as plain records, and waits on the cluster
// clock that close() (or a stop) can cancel so no caller is left hanging.
import type { Clock, TimerHandle } from '../../util/clock.ts'
import type { LifecycleProfile, LifecycleSpec } from '../profiles/types.ts'
import type { ContainerConfig, ContainerState, PodRef, SandboxConfig } from '../runtime.ts'
import type { LogBuffer } from './logs.ts'

export interface SandboxRecord {
  /** 64 hex, as CRI sandbox IDs are (no scheme prefix). */
  id: string
  config: SandboxConfig
  profile: LifecycleProfile
  state: 'ready' | 'notready'
  createdAt: number
}

export interface ContainerRecord {
  /** 64 hex; the ID callers see is `containerd://` + hex. */
  hex: string
  sandboxId: string
  config: ContainerConfig
  pod: PodRef
  /** The pod's profile merged with this container's overrides. */
  spec: LifecycleSpec
  /** containerd's reserved name `<name>_<pod>_<namespace>_<uid>_<attempt>`. */
  reservedName: string
  state: ContainerState
  createdAt: number
  startedAt?: number
  finishedAt?: number
  exitCode?: number
  reason?: string
  image: string
  imageRef: string
  logs: LogBuffer
  /** Exit and log timers of the current run. */
  timers: TimerHandle[]
  /** A start still waiting for startDelay. */
  starting?: Wait
  /** A stop in progress (SIGTERM sent, waiting for exit or grace). */
  stopping?: Promise<void>
  logCounter: number
}

export interface Wait {
  promise: Promise<void>
  /** Reject the wait now (the timer is cancelled). */
  cancel (error: Error): void
}

/** Waits on the clock, all cancellable at once. A zero wait resolves without a timer. */
export class Waits {
  private readonly pending = new Set<Wait>()

  constructor (private readonly clock: Clock) {}

  wait (ms: number): Wait {
    if (ms <= 0) return { promise: Promise.resolve(), cancel: () => {} }
    let timer: TimerHandle | undefined
    let rejectIt: (error: Error) => void = () => {}
    const w: Wait = {
      promise: new Promise<void>((resolve, reject) => {
        rejectIt = reject
        timer = this.clock.setTimeout(() => { this.pending.delete(w); resolve() }, ms)
      }),
      cancel: (error: Error) => {
        if (!this.pending.delete(w)) return
        timer?.cancel()
        rejectIt(error)
      },
    }
    this.pending.add(w)
    return w
  }

  cancelAll (error: Error): void {
    for (const w of [...this.pending]) w.cancel(error)
  }
}
