// The Leases a k3s v1.32 server keeps in kube-system (SQLite datastore, so no k3s-etcd):
// - kube-controller-manager, kube-scheduler and k3s-cloud-controller-manager: client-go leader
//   election with the upstream defaults k3s keeps (15 s, a try every 2 s), held by
//   `<hostname>_<uuid>`, each recording `<identity> became leader` (sources
//   kube-controller-manager, default-scheduler, cloud-controller-manager);
// - k3s: its own leader-elected controllers (wrangler's leader package: the hostname, 45 s, every
//   2 s, released at a clean stop);
// - apiserver-<hash>: each server's kube-apiserver identity, renewed every 10 s for 3600 s,
//   labelled apiserver.kubernetes.io/identity=kube-apiserver and kubernetes.io/hostname.
// The first server runs the leader-elected components, so it holds the elections.
// Every component in the one k3s binary writes as user agent `k3s/…`: field manager `k3s`.
import { createHash } from 'node:crypto'
import type { Client } from '../client/client.ts'
import { EventRecorder } from '../client/events.ts'
import { LeaderElector } from '../client/leader-election.ts'
import { LeaseController } from '../client/lease-controller.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'
import { base32 } from '../util/base32.ts'

const NAMESPACE = 'kube-system'
const MANAGER = 'k3s'
const RETRY_PERIOD_MS = 2_000
const IDENTITY_RENEW_MS = 10_000
const IDENTITY_LEASE_SECONDS = 3600

/**
 * kube-apiserver's identity (genericapiserver.NewConfig): `apiserver-` and the lowercased base32
 * of the first 16 bytes of sha256 over the hostname and "kube-apiserver", each uint16-length-prefixed.
 */
export function apiServerIdentity (hostname: string): string {
  const prefixed = (s: string): Buffer => { const b = Buffer.from(s); const len = Buffer.alloc(2); len.writeUInt16BE(b.length); return Buffer.concat([len, b]) }
  const hash = createHash('sha256').update(Buffer.concat([prefixed(hostname), prefixed('kube-apiserver')])).digest()
  return `apiserver-${base32(hash.subarray(0, 16)).toLowerCase()}`
}

export interface ControlPlaneLeasesOptions {
  client: Client
  clock: Clock
  /** The servers' hostnames (their node names, as in k3d containers); the first one leads. */
  servers: string[]
  /** Whether kube-scheduler runs (and so holds its Lease). */
  scheduler: boolean
  /** A new UUID for each identity (a restart is a new holder). */
  uuid: () => string
  log?: (line: string) => void
}

export class ControlPlaneLeases {
  private readonly electors: LeaderElector[]
  private readonly identities: LeaseController[]
  private timer: TimerHandle | undefined
  /** The identity renewals under way (stop() waits for them). */
  private renewals: Promise<unknown> = Promise.resolve()
  private readonly o: ControlPlaneLeasesOptions

  constructor (o: ControlPlaneLeasesOptions) {
    this.o = o
    const elector = (name: string, identity: string, leaseDurationSeconds: number, extra: { component?: string, releaseOnStop?: boolean } = {}): LeaderElector => new LeaderElector({
      client: o.client,
      clock: o.clock,
      namespace: NAMESPACE,
      name,
      identity,
      leaseDurationSeconds,
      retryPeriodMs: RETRY_PERIOD_MS,
      recorder: extra.component === undefined ? undefined : new EventRecorder({ client: o.client, clock: o.clock, source: { component: extra.component } }),
      releaseOnStop: extra.releaseOnStop,
      manager: MANAGER,
      log: o.log,
    })
    const leader = o.servers[0]
    this.electors = [
      elector('kube-controller-manager', `${leader}_${o.uuid()}`, 15, { component: 'kube-controller-manager' }),
      ...(o.scheduler ? [elector('kube-scheduler', `${leader}_${o.uuid()}`, 15, { component: 'default-scheduler' })] : []),
      elector('k3s-cloud-controller-manager', `${leader}_${o.uuid()}`, 15, { component: 'cloud-controller-manager' }),
      elector('k3s', leader, 45, { releaseOnStop: true }),
    ]
    this.identities = o.servers.map(hostname => {
      const name = apiServerIdentity(hostname)
      return new LeaseController({
        client: o.client,
        clock: o.clock,
        namespace: NAMESPACE,
        name,
        holderIdentity: `${name}_${o.uuid()}`,
        leaseDurationSeconds: IDENTITY_LEASE_SECONDS,
        labels: { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': hostname },
        claim: true,
        manager: MANAGER,
        log: o.log,
      })
    })
  }

  /** The first round now (awaited: the Leases exist when this returns), then on the clock. */
  async start (): Promise<void> {
    await this.renewIdentities()
    for (const e of this.electors) e.start()
    this.timer = this.o.clock.setInterval(() => { void this.renewIdentities() }, IDENTITY_RENEW_MS)
    await Promise.all(this.electors.map(e => e.settled()))
  }

  async stop (): Promise<void> {
    this.timer?.cancel()
    this.timer = undefined
    await Promise.all([this.renewals, ...this.electors.map(e => e.stop())])
  }

  private renewIdentities (): Promise<unknown> {
    this.renewals = Promise.all(this.identities.map(l => l.renew()))
    return this.renewals
  }
}
