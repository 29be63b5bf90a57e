// What a kubelet remembers about each pod it runs, between syncs: the sandbox and pod IP, and per
// container the current attempt, the previous termination, restarts and back-off.
import type { ContainerStatus } from '../runtime/runtime.ts'

export interface ContainerRecord {
  /** The runtime id of the current attempt. */
  id?: string
  /** The current attempt's last known status (refreshed each sync). */
  status?: ContainerStatus
  /** The previous attempt's termination (lastState). */
  previous?: ContainerStatus
  restartCount: number
  /** No restart before this time (CrashLoopBackOff / ImagePullBackOff). */
  backoffUntil?: number
  /**
   * The kubelet's back-off entry for this container: 0 before the first failure (the first
   * restart is immediate), then 10 s doubling to 5 min for each following one.
   */
  backoffMs: number
  waiting?: { reason: string, message?: string }
  ready: boolean
  /** When readiness began failing/succeeding matters to probes; the time it started running. */
  runningSince?: number
}

export interface PodRecord {
  uid: string
  key: string
  sandboxId?: string
  ip?: string
  startTime?: string
  containers: Map<string, ContainerRecord>
  /** Set once the pod's containers were stopped for deletion. */
  killed: boolean
  /** activeDeadlineSeconds ran out. */
  deadlineExceeded: boolean
}

export const INITIAL_BACKOFF_MS = 10_000
export const MAX_BACKOFF_MS = 300_000

export function newPodRecord (uid: string, key: string): PodRecord {
  return { uid, key, containers: new Map(), killed: false, deadlineExceeded: false }
}

export function containerRecord (pod: PodRecord, name: string): ContainerRecord {
  let c = pod.containers.get(name)
  if (c === undefined) {
    c = { restartCount: 0, backoffMs: 0, ready: false }
    pod.containers.set(name, c)
  }
  return c
}

/** Pod IPs from the node's /24: .1 is the bridge (cni0), pods get .2, .3, … and freed ones again. */
export class PodIPs {
  private readonly prefix: string
  private readonly used = new Set<number>()

  constructor (podCIDR: string) { this.prefix = podCIDR.split('.').slice(0, 3).join('.') }

  allocate (): string {
    for (let host = 2; host < 255; host++) {
      if (!this.used.has(host)) { this.used.add(host); return `${this.prefix}.${host}` }
    }
    throw new Error(`no free pod IP left in ${this.prefix}.0/24`)
  }

  release (ip: string | undefined): void {
    if (ip?.startsWith(this.prefix + '.')) this.used.delete(Number(ip.slice(this.prefix.length + 1)))
  }
}
