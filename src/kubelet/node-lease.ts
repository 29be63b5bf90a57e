// The kubelet's Lease in kube-node-lease, kept as upstream's lease controller keeps it
// (k8s.io/component-helpers/apimachinery/lease): each renewal is an Update of the Lease it last
// wrote, with a new renewTime (no read first); when that fails (first renewal, someone else
// wrote it, it was deleted), it gets the Lease or creates it, and updates that.
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

export class NodeLease {
  private readonly o: NodeLeaseOptions
  private latest: KubeObject | undefined

  constructor (options: NodeLeaseOptions) { this.o = options }

  async renew (): Promise<void> {
    if (this.latest !== undefined) {
      try {
        this.latest = await this.update(this.latest)
        return
      } catch (err) {
        if (!isStatusError(err, 409) && !isStatusError(err, 404)) this.o.log?.(`${this.o.node}: lease: ${String(err)}`)
      }
    }
    try {
      const existing = await this.o.client.get('coordination.k8s.io/v1', 'Lease', NODE_LEASE_NAMESPACE, this.o.node).catch(err => {
        if (isStatusError(err, 404)) return undefined
        throw err
      })
      this.latest = existing === undefined
        ? await this.o.client.create(this.renewed(this.newLease()), { fieldManager: MANAGER })
        : await this.update(existing)
    } catch (err) {
      this.latest = undefined
      this.o.log?.(`${this.o.node}: lease: ${String(err)}`)
    }
  }

  private async update (base: KubeObject): Promise<KubeObject> {
    return await this.o.client.update(this.renewed(base), { fieldManager: MANAGER })
  }

  /** `base` with renewTime now, holder and duration set, and the Node as owner if it has none. */
  private renewed (base: KubeObject): KubeObject {
    const { metadata } = base
    const owned = (metadata.ownerReferences ?? []).length > 0 || this.o.nodeUid() === ''
    return {
      ...base,
      metadata: owned ? metadata : { ...metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.node, uid: this.o.nodeUid() }] },
      spec: { ...(base.spec as object), holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(this.o.clock.now()) },
    }
  }

  private newLease (): KubeObject {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.node, namespace: NODE_LEASE_NAMESPACE } }
  }
}
