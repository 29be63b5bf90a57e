// kube-scheduler's scheduling queue: activeQ (a heap in QueueSort order), backoffQ (1 s doubling
// to 10 s per attempt) and the unschedulable pods, which go back when a cluster event may make
// them fit and at the latest after 5 minutes. All time from the cluster clock.
import { objectKey, type KubeObject } from '../api/object.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'
import type { QueuedPodInfo } from './types.ts'

const INITIAL_BACKOFF_MS = 1_000
const MAX_BACKOFF_MS = 10_000
const UNSCHEDULABLE_MAX_MS = 5 * 60_000
const FLUSH_INTERVAL_MS = 30_000

export class SchedulingQueue {
  private readonly heap: QueuedPodInfo[] = []
  /** Each heap entry's index, so that a pod deleted while queued leaves in O(log n). */
  private readonly position = new Map<QueuedPodInfo, number>()
  private readonly inActive = new Map<string, QueuedPodInfo>()
  private readonly backoff = new Map<string, { info: QueuedPodInfo, timer: TimerHandle }>()
  private readonly unschedulable = new Map<string, { info: QueuedPodInfo, since: number }>()
  private readonly waiters: Array<(p: QueuedPodInfo | undefined) => void> = []
  private readonly clock: Clock
  private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean
  private readonly flushTimer: TimerHandle
  /** Cluster events since a pod was popped: its failure then goes to backoff, not unschedulable. */
  private moveRequestCycle = 0
  private schedulingCycle = 0
  private closed = false

  constructor (options: { clock: Clock, less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean }) {
    this.clock = options.clock
    this.less = options.less
    this.flushTimer = this.clock.setInterval(() => this.flushUnschedulable(), FLUSH_INTERVAL_MS)
  }

  get activeLength (): number { return this.heap.length }
  get pendingLength (): number { return this.heap.length + this.backoff.size + this.unschedulable.size }

  /** A new pending pod (or one that changed): to the active queue. */
  add (pod: KubeObject): void {
    const key = objectKey(pod)
    const existing = this.inActive.get(key)
    if (existing !== undefined) { existing.pod = pod; return }
    const waiting = this.backoff.get(key)
    if (waiting !== undefined) { waiting.info.pod = pod; return }
    const parked = this.unschedulable.get(key)
    this.unschedulable.delete(key)
    this.push(parked?.info !== undefined ? { ...parked.info, pod, timestamp: this.clock.now() } : { pod, timestamp: this.clock.now(), attempts: 0 })
  }

  /**
   * A parked pod's object, replaced where it waits (true), when the change could not make it fit:
   * upstream's Update keeps a pod in unschedulablePods unless isPodUpdated (more than its status,
   * resourceVersion, generation, managedFields or finalizers changed).
   */
  updateParked (pod: KubeObject): boolean {
    const parked = this.unschedulable.get(objectKey(pod))
    if (parked === undefined) return false
    parked.info.pod = pod
    return true
  }

  delete (key: string): void {
    const active = this.inActive.get(key)
    if (active !== undefined) {
      this.inActive.delete(key)
      const i = this.position.get(active)
      if (i !== undefined) this.removeAt(i)
    }
    this.backoff.get(key)?.timer.cancel()
    this.backoff.delete(key)
    this.unschedulable.delete(key)
  }

  /** The next pod to schedule; waits for one. */
  pop (): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined)
    const next = this.popNow()
    if (next !== undefined) return Promise.resolve(next)
    return new Promise(resolve => this.waiters.push(resolve))
  }

  /** A pod that failed: back off if a cluster event came meanwhile, else park it. */
  addUnschedulable (info: QueuedPodInfo, cycle: number): void {
    const key = objectKey(info.pod)
    // Queued again during its cycle (its spec changed): it waits there, not in two places.
    if (this.inActive.has(key) || this.backoff.has(key)) return
    if (this.moveRequestCycle >= cycle) this.toBackoff(key, info)
    else this.unschedulable.set(key, { info, since: this.clock.now() })
  }

  /** A scheduling error (not a fit failure): retry after the back-off. */
  addBackoff (info: QueuedPodInfo): void { this.toBackoff(objectKey(info.pod), info) }

  /** A cluster event that may make parked pods fit (node added or changed, pod gone, …). */
  moveAllToActiveOrBackoff (): void {
    this.moveRequestCycle = this.schedulingCycle
    for (const [key, { info }] of [...this.unschedulable]) {
      this.unschedulable.delete(key)
      this.toBackoff(key, info)
    }
  }

  /** The cycle number handed to the pod being scheduled now. */
  nextCycle (): number { return ++this.schedulingCycle }

  close (): void {
    this.closed = true
    this.flushTimer.cancel()
    for (const { timer } of this.backoff.values()) timer.cancel()
    for (const w of this.waiters.splice(0)) w(undefined)
  }

  private backoffMs (attempts: number): number {
    return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS)
  }

  private toBackoff (key: string, info: QueuedPodInfo): void {
    if (this.backoff.has(key) || this.closed) return
    const wait = this.backoffMs(info.attempts) - (this.clock.now() - info.timestamp)
    if (wait <= 0) { this.push({ ...info, timestamp: this.clock.now() }); return }
    const timer = this.clock.setTimeout(() => {
      this.backoff.delete(key)
      this.push({ ...info, timestamp: this.clock.now() })
    }, wait)
    this.backoff.set(key, { info, timer })
  }

  private flushUnschedulable (): void {
    const now = this.clock.now()
    for (const [key, { info, since }] of [...this.unschedulable]) {
      if (now - since >= UNSCHEDULABLE_MAX_MS) { this.unschedulable.delete(key); this.toBackoff(key, info) }
    }
  }

  private push (info: QueuedPodInfo): void {
    const key = objectKey(info.pod)
    if (this.inActive.has(key)) return
    const waiter = this.waiters.shift()
    if (waiter !== undefined) { waiter(info); return }
    this.inActive.set(key, info)
    this.place(this.heap.length, info)
    this.up(this.heap.length - 1)
  }

  private popNow (): QueuedPodInfo | undefined {
    if (this.heap.length === 0) return undefined
    const top = this.heap[0]
    this.removeAt(0)
    this.inActive.delete(objectKey(top.pod))
    return top
  }

  private removeAt (i: number): void {
    this.position.delete(this.heap[i])
    const last = this.heap.pop()!
    if (i === this.heap.length) return
    this.place(i, last)
    this.down(i)
    this.up(i)
  }

  private place (i: number, info: QueuedPodInfo): void {
    this.heap[i] = info
    this.position.set(info, i)
  }

  private swap (i: number, j: number): void {
    const a = this.heap[i]
    this.place(i, this.heap[j])
    this.place(j, a)
  }

  private up (i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(this.heap[i], this.heap[parent])) break
      this.swap(i, parent)
      i = parent
    }
  }

  private down (i: number): void {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.heap.length && this.less(this.heap[l], this.heap[m])) m = l
      if (r < this.heap.length && this.less(this.heap[r], this.heap[m])) m = r
      if (m === i) return
      this.swap(i, m)
      i = m
    }
  }
}
