// Leader election on a Lease as client-go's tools/leaderelection does it (LeaseLock): every
// retry period, tryAcquireOrRenew — the leader renews with one Update of the Lease it last wrote;
// anyone else reads the Lease and takes it only once the holder has let it lapse, measured from
// when this elector first saw that record (not from its renewTime: clocks may differ), or when it
// is free. Taking it over counts a transition; the holder keeps its acquireTime. The control
// plane runs on it only for the record it leaves: k3sim has one server, which always leads.
import { rfc3339Micro, type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from './client.ts'
import type { EventRecorder } from './events.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'

export interface LeaderElectorOptions {
  client: Client
  clock: Clock
  namespace: string
  name: string
  /** The candidate's identity (kube-controller-manager's `<hostname>_<uuid>`). */
  identity: string
  leaseDurationSeconds: number
  /** How often it tries to acquire or renew (client-go's RetryPeriod). */
  retryPeriodMs: number
  /** Records `<identity> became leader` (reason LeaderElection) on the Lease, when given. */
  recorder?: EventRecorder
  /** ReleaseOnCancel: at stop, the leader leaves the Lease free (no holder, 1 s). */
  releaseOnStop?: boolean
  /** The field manager (the writer's user agent). */
  manager: string
  log?: (line: string) => void
}

type LeaseSpec = { holderIdentity?: string, leaseDurationSeconds?: number, acquireTime?: string, renewTime?: string, leaseTransitions?: number }

export class LeaderElector {
  private readonly o: LeaderElectorOptions
  private lease: KubeObject | undefined
  /** The record last seen, and when it was first seen (observedTime). */
  private observed: { raw: string, at: number } | undefined
  private timer: TimerHandle | undefined
  private running: Promise<void> | undefined
  /** The LeaderElection event being written (stop() waits for it). */
  private recording: Promise<void> | undefined
  leading = false

  constructor (options: LeaderElectorOptions) { this.o = options }

  start (): void {
    if (this.timer !== undefined) return
    this.tick()
    this.timer = this.o.clock.setInterval(() => this.tick(), this.o.retryPeriodMs)
  }

  /** Resolves when the attempt under way, if any, has finished. */
  async settled (): Promise<void> { await this.running }

  async stop (): Promise<void> {
    this.timer?.cancel()
    this.timer = undefined
    await this.running
    await this.recording
    if (this.leading && this.o.releaseOnStop === true && this.lease !== undefined) {
      // client-go's release: no holder, 1 s, the transitions kept.
      const now = rfc3339Micro(this.o.clock.now())
      const spec = this.lease.spec as LeaseSpec
      await this.o.client.update({ ...this.lease, spec: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: spec.leaseTransitions } }, { fieldManager: this.o.manager })
        .catch(err => this.log(err))
    }
    this.leading = false
  }

  /** One attempt; skipped while the previous one runs. */
  private tick (): void {
    if (this.running !== undefined) return
    this.running = this.tryAcquireOrRenew().catch(err => this.log(err)).finally(() => { this.running = undefined })
  }

  private async tryAcquireOrRenew (): Promise<void> {
    const now = this.o.clock.now()
    const record = { holderIdentity: this.o.identity, leaseDurationSeconds: this.o.leaseDurationSeconds, acquireTime: rfc3339Micro(now), renewTime: rfc3339Micro(now) }
    // The leader's fast path: update what it wrote last, without reading (on failure, the slow
    // path below; it stays the leader until it finds another holder).
    if (this.leading && this.lease !== undefined && this.valid(now)) {
      const spec = this.lease.spec as LeaseSpec
      if (await this.write({ ...this.lease, spec: { ...record, acquireTime: spec.acquireTime, leaseTransitions: spec.leaseTransitions } })) return
    }
    let current: KubeObject | undefined
    try {
      current = await this.o.client.get('coordination.k8s.io/v1', 'Lease', this.o.namespace, this.o.name)
    } catch (err) {
      if (!isStatusError(err, 404)) throw err
      const created = await this.o.client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: this.o.namespace }, spec: { ...record, leaseTransitions: 0 } }, { fieldManager: this.o.manager })
      this.became(created, now)
      return
    }
    const old = (current.spec ?? {}) as LeaseSpec
    const raw = JSON.stringify(old)
    if (this.observed?.raw !== raw) this.observed = { raw, at: now }
    this.lease = current
    const holder = old.holderIdentity ?? ''
    const mine = holder === this.o.identity
    if (holder !== '' && !mine && this.valid(now)) { this.leading = false; return }
    // The whole spec is the record (LeaderElectionRecordToLeaseSpec).
    const spec = mine
      ? { ...record, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions }
      : { ...record, leaseTransitions: (old.leaseTransitions ?? 0) + 1 }
    if (await this.write({ ...current, spec })) this.became(this.lease, now)
  }

  /** isLeaseValid: the observed record's duration has not passed since it was first seen. */
  private valid (now: number): boolean {
    const duration = ((this.lease?.spec as LeaseSpec | undefined)?.leaseDurationSeconds ?? this.o.leaseDurationSeconds) * 1000
    return this.observed !== undefined && this.observed.at + duration > now
  }

  private async write (lease: KubeObject): Promise<boolean> {
    try {
      this.lease = await this.o.client.update(lease, { fieldManager: this.o.manager })
      this.observed = { raw: JSON.stringify(this.lease.spec), at: this.o.clock.now() }
      return true
    } catch (err) {
      if (!isStatusError(err, 409) && !isStatusError(err, 404)) this.log(err)
      return false
    }
  }

  /** It holds the Lease; the event only when it was not leading (client-go records it in acquire, not in renew). */
  private became (lease: KubeObject, now: number): void {
    this.lease = lease
    this.observed = { raw: JSON.stringify(lease.spec), at: now }
    if (this.leading) return
    this.leading = true
    const recorded = this.o.recorder?.record(lease, { type: 'Normal', reason: 'LeaderElection', message: `${this.o.identity} became leader` })
    if (recorded !== undefined) this.recording = recorded.then(() => undefined)
  }

  private log (err: unknown): void { this.o.log?.(`leader election ${this.o.namespace}/${this.o.name}: ${String(err)}`) }
}
