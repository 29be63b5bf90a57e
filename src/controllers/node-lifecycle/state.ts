// What the node lifecycle controller remembers between syncs (upstream keeps the same in its
// Controller struct), its configuration, and the context its passes run with.
import { objectKey, type KubeObject } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { Clock } from '../../util/clock.ts'
import type { Lister } from '../types.ts'
import type { HealthConfig, NodeHealth } from './health.ts'
import type { Node, Pod } from './types.ts'
import type { ZoneState, ZoneTainter } from './zones.ts'

export interface LifecycleConfig extends HealthConfig {
  monitorPeriodMs: number
  /** --node-eviction-rate: NoExecute taints per second per zone. */
  evictionQps: number
  /** --secondary-node-eviction-rate: for partially disrupted large zones. */
  secondaryEvictionQps: number
  /** --large-cluster-size-threshold. */
  largeClusterThreshold: number
  /** --unhealthy-zone-threshold. */
  unhealthyZoneThreshold: number
}

export class LifecycleState {
  /** Nodes the monitor has seen (RegisteredNode was recorded), by name. */
  readonly knownNodes = new Map<string, Node>()
  readonly health = new Map<string, NodeHealth>()
  /** Nodes whose pods could not all be marked NotReady; retried next pass. */
  readonly nodesToRetry = new Set<string>()
  readonly zoneStates = new Map<string, ZoneState>()
  readonly tainters = new Map<string, ZoneTainter>()
  readonly pods = new PodIndex()
}

/** The pod informer's spec.nodeName index (upstream's nodeNameKeyIndex), fed by informer events. */
export class PodIndex {
  private readonly byNode = new Map<string, Set<string>>()
  private readonly nodeOf = new Map<string, string>()

  /** Record the pod's current node (undefined: deleted). */
  set (pod: KubeObject, deleted: boolean): void {
    const key = objectKey(pod)
    const node = deleted ? undefined : (pod as Pod).spec?.nodeName || undefined
    const old = this.nodeOf.get(key)
    if (old === node) return
    if (old !== undefined) {
      const keys = this.byNode.get(old)
      keys?.delete(key)
      if (keys?.size === 0) this.byNode.delete(old)
    }
    if (node === undefined) {
      this.nodeOf.delete(key)
      return
    }
    this.nodeOf.set(key, node)
    let keys = this.byNode.get(node)
    if (keys === undefined) this.byNode.set(node, keys = new Set())
    keys.add(key)
  }

  /** Keys ("<namespace>/<name>") of the pods bound to `node`, sorted for a stable order. */
  keys (node: string): string[] {
    return [...(this.byNode.get(node) ?? [])].sort()
  }
}

export interface LifecycleContext {
  readonly client: Client
  readonly clock: Clock
  readonly config: LifecycleConfig
  readonly state: LifecycleState
  readonly nodes: Lister
  readonly leases: Lister
  readonly podLister: Lister
  /** Recorder with source component `node-controller`. */
  readonly recorder: EventRecorder
  /** Ask for a doNoExecuteTaintingPass (the `tainters` key). */
  runTainters(): void
}

/** The cached pods bound to `node` (never mutate them). */
export function podsOnNode (ctx: LifecycleContext, node: string): Pod[] {
  const pods: Pod[] = []
  for (const key of ctx.state.pods.keys(node)) {
    const pod = ctx.podLister.get(key) as Pod | undefined
    if (pod !== undefined) pods.push(pod)
  }
  return pods
}

/** A node as an event's involved object: upstream's ObjectReference carries no resourceVersion. */
export function nodeRef (node: Node): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } }
}
