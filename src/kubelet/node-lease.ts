// The kubelet's Lease in kube-node-lease, kept as upstream's lease controller keeps it
// (k8s.io/component-helpers/apimachinery/lease): each renewal is an Update of the Lease it last
// wrote with a new renewTime (no read first), up to 5 tries, reading it again after a conflict;
// when there is none yet or it was deleted, it gets the Lease or creates it. Only renewTime
// changes (and the Node is made the owner if it is not): holder and duration are set at creation.
import { rfc3339Micro, type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from '../client/client.ts'
import type { Clock } from '../util/clock.ts'

export const NODE_LEASE_NAMESPACE = 'kube-node-lease'
export const LEASE_DURATION_SECONDS = 40
/** The kubelet's field manager in k3s (the agent's user agent is k3s/<version>). */
const MANAGER = 'k3s'

export interface NodeLeaseOptions {
  client: Client
  clock: Clock
  node: string
  /** The Node's uid, for the Lease's owner reference (known once the node has registered). */
  nodeUid: () => string
  log?: (line: string) => void
}

/** Upstream's maxUpdateRetries. */
const MAX_UPDATE_RETRIES = 5

export class NodeLease {
  private readonly o: NodeLeaseOptions
  private latest: KubeObject | undefined
  private renewing = false

  constructor (options: NodeLeaseOptions) { this.o = options }

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
        this.latest = await this.o.client.update(this.renewed(base), { fieldManager: MANAGER })
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
      const existing = await this.o.client.get('coordination.k8s.io/v1', 'Lease', NODE_LEASE_NAMESPACE, this.o.node).catch(err => {
        if (isStatusError(err, 404)) return undefined
        throw err
      })
      if (existing !== undefined) return { lease: existing, created: false }
      return { lease: await this.o.client.create(this.renewed(this.newLease()), { fieldManager: MANAGER }), created: true }
    } catch (err) {
      this.log(err)
      return { created: false }
    }
  }

  /** newLease(base): a copy with renewTime now, and the Node as owner if it has none (setNodeOwnerFunc). */
  private renewed (base: KubeObject): KubeObject {
    const { metadata } = base
    const owned = (metadata.ownerReferences ?? []).length > 0 || this.o.nodeUid() === ''
    return {
      ...base,
      metadata: owned ? metadata : { ...metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.node, uid: this.o.nodeUid() }] },
      spec: { ...(base.spec as object), renewTime: rfc3339Micro(this.o.clock.now()) },
    }
  }

  private newLease (): KubeObject {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.node, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_SECONDS },
    }
  }

  private log (err: unknown): void { this.o.log?.(`${this.o.node}: lease: ${String(err)}`) }
}
