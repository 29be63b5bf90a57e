// A Lease kept as upstream's lease controller keeps it (k8s.io/component-helpers/apimachinery/
// lease): each renewal is an Update of the Lease it last wrote with a new renewTime (no read
// first), up to 5 tries, reading it again after a conflict; when there is none yet or it was
// deleted, it gets the Lease or creates it. Only renewTime changes (and the owner is set if the
// Lease has none): holder, duration and labels are set at creation. The kubelets' node Leases
// (kube-node-lease, renewed every 10 s) and kube-apiserver's identity Lease use it.
import { rfc3339Micro, type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from './client.ts'
import type { Clock } from '../util/clock.ts'

export const NODE_LEASE_NAMESPACE = 'kube-node-lease'
export const LEASE_DURATION_SECONDS = 40

export interface LeaseControllerOptions {
  client: Client
  clock: Clock
  namespace: string
  name: string
  holderIdentity: string
  leaseDurationSeconds: number
  labels?: Record<string, string>
  /** The owner to set when the Lease has none (the kubelet's: its Node, once registered). */
  owner?: () => { apiVersion: string, kind: string, name: string, uid: string } | undefined
  /**
   * Write this holder at every renewal, not only at creation: kube-apiserver's identity Lease
   * names the running server (a restarted one takes it over; upstream's apiserver_identity e2e
   * test expects the holder to change).
   */
  claim?: boolean
  /** The field manager (the writer's user agent). */
  manager: string
  log?: (line: string) => void
}

/** The kubelet's node Lease: named after the node, held by it, owned by its Node (k3s's manager `k3s`). */
export function nodeLeaseOptions (o: { client: Client, clock: Clock, node: string, nodeUid: () => string, log?: (line: string) => void }): LeaseControllerOptions {
  return {
    client: o.client,
    clock: o.clock,
    namespace: NODE_LEASE_NAMESPACE,
    name: o.node,
    holderIdentity: o.node,
    leaseDurationSeconds: LEASE_DURATION_SECONDS,
    owner: () => o.nodeUid() === '' ? undefined : { apiVersion: 'v1', kind: 'Node', name: o.node, uid: o.nodeUid() },
    manager: 'k3s',
    log: o.log,
  }
}

/** Upstream's maxUpdateRetries. */
const MAX_UPDATE_RETRIES = 5

export class LeaseController {
  private readonly o: LeaseControllerOptions
  private latest: KubeObject | undefined
  private renewing = false

  constructor (options: LeaseControllerOptions) { this.o = options }

  /** One renewal (upstream's sync); skipped while the previous one is still running. */
  async renew (): Promise<void> {
    if (this.renewing) return
    this.renewing = true
    try {
      if (this.latest !== undefined && await this.retryUpdate(this.latest)) return
      const { lease, created } = await this.ensure()
      this.latest = lease
      if (lease !== undefined && !created) await this.retryUpdate(lease)
    } finally {
      this.renewing = false
    }
  }

  /** retryUpdateLease: updates of `base` renewed; a conflict reads (or creates) the Lease again. */
  private async retryUpdate (base: KubeObject): Promise<boolean> {
    for (let i = 0; i < MAX_UPDATE_RETRIES; i++) {
      try {
        this.latest = await this.o.client.update(this.renewed(base), { fieldManager: this.o.manager })
        return true
      } catch (err) {
        if (isStatusError(err, 404)) return false // deleted: ensure() creates it again
        if (!isStatusError(err, 409)) { this.log(err); continue }
        const { lease, created } = await this.ensure()
        if (lease === undefined) return false
        if (created) { this.latest = lease; return true }
        base = lease
      }
    }
    return false
  }

  /** ensureLease: the stored Lease, or a new one created now (renewed at creation). */
  private async ensure (): Promise<{ lease?: KubeObject, created: boolean }> {
    try {
      const existing = await this.o.client.get('coordination.k8s.io/v1', 'Lease', this.o.namespace, this.o.name).catch(err => {
        if (isStatusError(err, 404)) return undefined
        throw err
      })
      if (existing !== undefined) return { lease: existing, created: false }
      return { lease: await this.o.client.create(this.renewed(this.newLease()), { fieldManager: this.o.manager }), created: true }
    } catch (err) {
      this.log(err)
      return { created: false }
    }
  }

  /** newLease(base): a copy with renewTime now, and the owner if it has none (setNodeOwnerFunc). */
  private renewed (base: KubeObject): KubeObject {
    let { metadata } = base
    const owner = (metadata.ownerReferences ?? []).length > 0 ? undefined : this.o.owner?.()
    if (owner !== undefined) metadata = { ...metadata, ownerReferences: [owner] }
    // The labels, set again at every renewal (kube-apiserver's labelAPIServerHeartbeatFunc).
    if (this.o.labels !== undefined && Object.entries(this.o.labels).some(([k, v]) => metadata.labels?.[k] !== v)) metadata = { ...metadata, labels: { ...metadata.labels, ...this.o.labels } }
    return {
      ...base,
      metadata,
      spec: { ...(base.spec as object), ...(this.o.claim === true ? { holderIdentity: this.o.holderIdentity } : {}), renewTime: rfc3339Micro(this.o.clock.now()) },
    }
  }

  private newLease (): KubeObject {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.name, namespace: this.o.namespace, ...(this.o.labels === undefined ? {} : { labels: this.o.labels }) },
      spec: { holderIdentity: this.o.holderIdentity, leaseDurationSeconds: this.o.leaseDurationSeconds },
    }
  }

  private log (err: unknown): void { this.o.log?.(`lease ${this.o.namespace}/${this.o.name}: ${String(err)}`) }
}
