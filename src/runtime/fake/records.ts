// The fake runtime's state: sandboxes and containers as plain records, and waits on the cluster
// clock that close() (or a stop) can cancel so no caller is left hanging.
import type { Clock, TimerHandle } from '../../util/clock.ts'
import { parkHere } from '../../util/parking.ts'
import type { LifecycleProfile, LifecycleSpec } from '../profiles/types.ts'
import type { ContainerConfig, ContainerState, ContainerStatus, PodRef, SandboxConfig } from '../runtime.ts'
import type { LogBuffer } from './logs.ts'

export interface SandboxRecord {
  /** 64 hex, as CRI sandbox IDs are (no scheme prefix). */
  id: string
  config: SandboxConfig
  profile: LifecycleProfile
  state: 'ready' | 'notready'
  createdAt: number
  /** Hex IDs of its containers. */
  containers: Set<string>
}

/**
 * What the fake runtime reads of a container's config after creating it. The rest (mounts with
 * their projected files, env, probes) is for runtimes that run processes; kept per container it
 * was ~0.7 KB each, 7 MB at 10,000 pods.
 */
export type KeptConfig = Pick<ContainerConfig, 'name' | 'image' | 'init' | 'attempt' | 'restartPolicy'>

export interface ContainerRecord {
  /** 64 hex; the ID callers see is `containerd://` + hex. */
  hex: string
  sandboxId: string
  config: KeptConfig
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
  message?: string
  image: string
  imageRef: string
  logs: LogBuffer
  /** Exit and log timers of the current run. */
  timers: TimerHandle[]
  /** A start still waiting for startDelay. */
  starting?: Wait
  /** A stop in progress (SIGTERM sent, waiting for exit or grace). */
  stopping?: Promise<void>
  /** The wait behind `stopping`, cancelled when the container dies another way first. */
  stopWait?: Wait
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

  private readonly clock: Clock

  constructor (clock: Clock) { this.clock = clock }

  /** A wait on the clock; the kubelet sync that made it counts as parked meanwhile (util/parking). */
  wait (ms: number): Wait {
    if (ms <= 0) return { promise: Promise.resolve(), cancel: () => {} }
    let timer: TimerHandle | undefined
    let rejectIt: (error: Error) => void = () => {}
    const unpark = parkHere()
    const w: Wait = {
      promise: new Promise<void>((resolve, reject) => {
        rejectIt = reject
        timer = this.clock.setTimeout(() => { this.pending.delete(w); unpark(); resolve() }, ms)
      }),
      cancel: (error: Error) => {
        if (!this.pending.delete(w)) return
        timer?.cancel()
        unpark()
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

/** Callers may pass `containerd://<hex>` (what statuses show) or the bare hex. */
export function stripScheme (containerId: string): string {
  return containerId.startsWith('containerd://') ? containerId.slice('containerd://'.length) : containerId
}

export function statusOf (rec: ContainerRecord): ContainerStatus {
  const s: ContainerStatus = {
    id: `containerd://${rec.hex}`, sandboxId: rec.sandboxId, name: rec.config.name, attempt: rec.config.attempt,
    state: rec.state, createdAt: rec.createdAt, image: rec.image, imageRef: rec.imageRef,
  }
  if (rec.startedAt !== undefined) s.startedAt = rec.startedAt
  if (rec.finishedAt !== undefined) s.finishedAt = rec.finishedAt
  if (rec.exitCode !== undefined) s.exitCode = rec.exitCode
  if (rec.reason !== undefined) s.reason = rec.reason
  if (rec.message !== undefined) s.message = rec.message
  return s
}
