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
  /** While a volume cannot be set up: the current retry back-off, and when to try again. */
  mountBackoffMs?: number
  mountRetryAt?: number
}

export const INITIAL_BACKOFF_MS = 10_000
export const MAX_BACKOFF_MS = 300_000

export function newPodRecord (uid: string, key: string): PodRecord {
  return { uid, key, containers: new Map(), killed: false, deadlineExceeded: false }
}

interface StoredContainerStatus {
  name: string
  containerID?: string
  restartCount?: number
  image?: string
  imageID?: string
  state?: { running?: { startedAt?: string }, terminated?: { startedAt?: string, finishedAt?: string, exitCode?: number, reason?: string } }
}

/**
 * A pod this node ran before it went down (the cluster process stopped or was killed): its stored
 * status names containers, but this kubelet has no record of them. As a kubelet after a reboot
 * finds its sandboxes gone, each container that ran is counted as one more restart, with
 * lastState terminated `Unknown`, exit code 255 (what k3s shows after `k3d cluster stop/start`),
 * and the pod gets a new sandbox. Undefined for a pod that never ran or has finished.
 */
export function restoredPodRecord (pod: { metadata: { uid?: string }, status?: unknown }, key: string, now: number): PodRecord | undefined {
  const status = (pod.status ?? {}) as { phase?: string, initContainerStatuses?: StoredContainerStatus[], containerStatuses?: StoredContainerStatus[], ephemeralContainerStatuses?: StoredContainerStatus[] }
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return undefined
  const stored = [...status.initContainerStatuses ?? [], ...status.containerStatuses ?? []]
  if (!stored.some(c => c.containerID !== undefined && c.containerID !== '')) return undefined
  const rec = newPodRecord(pod.metadata.uid!, key)
  for (const c of status.ephemeralContainerStatuses ?? []) {
    // The runtime still has the container, exited with the node: an ephemeral one is never run
    // again (the kubelet finds its status), so it stays as it ended.
    const ended = exitedWithNode(c, now)
    const t = c.state?.terminated
    if (ended !== undefined) containerRecord(rec, c.name).status = t === undefined ? ended : { ...ended, exitCode: t.exitCode ?? ended.exitCode, reason: t.reason ?? ended.reason }
  }
  for (const c of stored) {
    const r = containerRecord(rec, c.name)
    r.restartCount = c.restartCount ?? 0
    const ended = exitedWithNode(c, now)
    if (ended === undefined) continue
    r.restartCount++
    r.previous = ended
  }
  return rec
}

/** A container that ran before the node went down, as the runtime finds it after: exited, 255, Unknown. */
function exitedWithNode (c: StoredContainerStatus, now: number): ContainerStatus | undefined {
  const ran = c.state?.running ?? c.state?.terminated
  if (c.containerID === undefined || c.containerID === '' || ran === undefined) return undefined
  const startedAt = ran.startedAt === undefined ? undefined : Date.parse(ran.startedAt)
  return {
    id: c.containerID,
    sandboxId: '',
    name: c.name,
    attempt: c.restartCount ?? 0,
    state: 'exited',
    createdAt: startedAt ?? now,
    startedAt,
    finishedAt: c.state?.terminated?.finishedAt === undefined ? now : Date.parse(c.state.terminated.finishedAt),
    exitCode: 255,
    reason: 'Unknown',
    image: c.image ?? '',
    imageRef: c.imageID ?? '',
  }
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
