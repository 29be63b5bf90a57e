// The nodes of a cluster: one kubelet and one runtime each, named as k3d names them
// (k3sim-<cluster>-server-0, k3sim-<cluster>-agent-0), sized like this host unless told.
import { availableParallelism, release, totalmem } from 'node:os'
import { statfsSync } from 'node:fs'
import type { KubeObject } from '../api/object.ts'
import type { Client } from '../client/client.ts'
import { Informer } from '../client/informer.ts'
import { parseQuantity } from '../api/quantity.ts'
import { Kubelet, type KubeletOptions, type KubeletState } from '../kubelet/kubelet.ts'
import type { NodeIdentity } from '../kubelet/node-object.ts'
import { FakeRuntime } from '../runtime/fake/fake-runtime.ts'
import type { ProfileRegistry } from '../runtime/profiles/index.ts'
import type { Runtime } from '../runtime/runtime.ts'
import type { Clock } from '../util/clock.ts'
import type { Ids } from '../util/random.ts'

export interface NodeSize { cpu?: string, memory?: string, pods?: number }

export interface NodeSpec extends NodeSize { name: string, role?: 'server' | 'agent' }

/** Why a node operation was refused: a bad spec, a name taken, or no such node. */
export class NodeError extends Error {
  readonly reason: 'Invalid' | 'AlreadyExists' | 'NotFound'
  constructor (reason: NodeError['reason'], message: string) { super(message); this.reason = reason }
}

/**
 * The nodes a previous run of this cluster registered, from their stored Node objects (as a
 * restarted k3s finds its nodes in its datastore): name, role, size and registration index (from
 * spec.podCIDR 10.42.<index>.0/24), in registration order.
 */
export async function storedNodeSpecs (client: Client): Promise<Array<NodeSpec & { index: number }>> {
  const out: Array<NodeSpec & { index: number }> = []
  for (const node of (await client.list('v1', 'Node')).items) {
    const spec = (node.spec ?? {}) as { podCIDR?: string }
    const capacity = ((node.status ?? {}) as { capacity?: Record<string, string> }).capacity ?? {}
    const m = /^10\.42\.(\d+)\.0\/24$/.exec(spec.podCIDR ?? '')
    if (m === null) continue // not registered by a k3sim kubelet
    const labels = node.metadata.labels ?? {}
    out.push({
      name: node.metadata.name!,
      role: labels['node-role.kubernetes.io/control-plane'] === 'true' ? 'server' : 'agent',
      cpu: capacity.cpu,
      memory: capacity.memory,
      pods: capacity.pods === undefined ? undefined : Number(capacity.pods),
      index: Number(m[1]),
    })
  }
  return out.sort((a, b) => a.index - b.index)
}

export interface NodeState { name: string, role: 'server' | 'agent', running: boolean }

export interface ClusterNode {
  name: string
  role: 'server' | 'agent'
  identity: NodeIdentity
  runtime: Runtime
  kubelet: Kubelet
  state: KubeletState
  running: boolean
}

/** This host's size as a k3d node sees it (cpu count, memory in Ki, the root disk). */
export function hostSize (): { cpu: string, memory: string, ephemeralStorage: number } {
  let disk = 64 * 1024 ** 3
  try { const s = statfsSync('/'); disk = Number(s.blocks) * Number(s.bsize) } catch {}
  return { cpu: String(availableParallelism()), memory: `${Math.floor(totalmem() / 1024)}Ki`, ephemeralStorage: disk }
}

export class NodePool {
  readonly nodes = new Map<string, ClusterNode>()
  private nextIndex = 0
  /** The current kubelets with work in hand (told by each kubelet, not asked). */
  private readonly busyKubelets = new Set<Kubelet>()
  /**
   * One watch of the Nodes for every kubelet (each reads its own Node, as a kubelet's node
   * lister does): a changed Node is handed to its kubelet, not polled for by thousands of them.
   */
  private nodeInformer: Informer | undefined
  private readonly o: {
    client: Client, clock: Clock, ids: Ids, profiles: ProfileRegistry, defaults: NodeSize, log?: (m: string) => void
    /** The node's runtime (default: a FakeRuntime). */
    newRuntime?: (nodeName: string) => Runtime
  }

  constructor (options: NodePool['o']) { this.o = options }

  /** Whether any node's kubelet has pod work queued or running; O(1) (settle asks every turn). */
  get anyKubeletBusy (): boolean { return this.busyKubelets.size > 0 }

  private newKubelet (name: string, options: Omit<KubeletOptions, 'client' | 'clock' | 'log' | 'onBusyChange'>): Kubelet {
    const kubelet: Kubelet = new Kubelet({
      ...options,
      client: this.o.client,
      clock: this.o.clock,
      log: this.o.log,
      onBusyChange: busy => {
        // A replaced or removed kubelet finishing its last sync no longer counts.
        if (busy && this.nodes.get(name)?.kubelet === kubelet) this.busyKubelets.add(kubelet)
        else this.busyKubelets.delete(kubelet)
      },
    })
    return kubelet
  }

  /** Register a node; `index` (its pod CIDR and IP) is given when a stored node comes back. */
  async add (spec: NodeSpec & { index?: number }): Promise<ClusterNode> {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(spec.name) || spec.name.length > 253) {
      throw new NodeError('Invalid', `invalid node name "${spec.name}": use lower-case letters, digits, '-' and '.' (a DNS-1123 subdomain)`)
    }
    if (this.nodes.has(spec.name)) throw new NodeError('AlreadyExists', `node "${spec.name}" already exists in this cluster; choose another name`)
    if (spec.role !== undefined && spec.role !== 'server' && spec.role !== 'agent') throw new NodeError('Invalid', `invalid node role "${String(spec.role)}": use agent or server`)
    for (const [field, q] of [['cpu', spec.cpu ?? this.o.defaults.cpu], ['memory', spec.memory ?? this.o.defaults.memory]] as const) {
      if (q === undefined) continue
      try { parseQuantity(q) } catch (err) { throw new NodeError('Invalid', `node ${field} "${q}" is not a quantity (${(err as Error).message}); use forms like 2, 500m, 4Gi`) }
    }
    const index = spec.index ?? this.nextIndex
    this.nextIndex = Math.max(this.nextIndex, index + 1)
    const host = hostSize()
    const role = spec.role ?? 'agent'
    const identity: NodeIdentity = {
      name: spec.name,
      role,
      index,
      cpu: spec.cpu ?? this.o.defaults.cpu ?? host.cpu,
      memory: spec.memory ?? this.o.defaults.memory ?? host.memory,
      pods: spec.pods ?? this.o.defaults.pods ?? 110,
      ephemeralStorage: host.ephemeralStorage,
      runtimeVersion: 'containerd://1.7.23-k3s2',
      kernelVersion: release(),
      seed: `${spec.name}/${this.o.ids.suffix(8)}`,
      boot: this.o.ids.suffix(8),
    }
    const runtime = this.o.newRuntime?.(spec.name) ?? new FakeRuntime({ clock: this.o.clock, ids: this.o.ids, profiles: this.o.profiles, nodeName: spec.name })
    // In the pool before it starts: only then does its kubelet's busy state count.
    const kubelet = this.newKubelet(spec.name, { identity, runtime })
    const node: ClusterNode = { name: spec.name, role, identity, runtime, kubelet, state: kubelet.state, running: false }
    this.nodes.set(spec.name, node)
    await kubelet.start()
    node.running = true
    await this.watchNodes(kubelet, spec.name)
    return node
  }

  /** Start the shared Node watch (once), and show the kubelet its Node as it is now. */
  private async watchNodes (kubelet: Kubelet, name: string): Promise<void> {
    if (this.nodeInformer === undefined) {
      const informer = new Informer({ client: this.o.client, apiVersion: 'v1', kind: 'Node' })
      informer.addHandlers({ add: n => this.nodeChanged(n), update: (_old, n) => this.nodeChanged(n) })
      this.nodeInformer = informer
      // A watch that never started is dropped, so the next node tries again.
      await informer.start().catch(err => { if (this.nodeInformer === informer) this.nodeInformer = undefined; throw err })
    }
    const current = this.nodeInformer.get(name)
    if (current !== undefined) kubelet.observeNode(current)
  }

  private nodeChanged (node: KubeObject): void {
    const owner = this.nodes.get(node.metadata.name!)
    if (owner?.running === true) owner.kubelet.observeNode(node)
  }

  /** The node loses power: its kubelet stops (no heartbeat, no pod work); containers are kept. */
  stop (name: string): void {
    const node = this.get(name)
    if (!node.running) return
    node.kubelet.stop()
    node.running = false
  }

  /** Power comes back: a new kubelet (new boot ID) on the same runtime and pods. */
  async start (name: string): Promise<void> {
    const node = this.get(name)
    if (node.running) return
    node.identity = { ...node.identity, boot: this.o.ids.suffix(8) }
    this.busyKubelets.delete(node.kubelet)
    node.kubelet = this.newKubelet(name, { identity: node.identity, state: node.state, runtime: node.runtime })
    await node.kubelet.start()
    node.running = true
    await this.watchNodes(node.kubelet, name)
  }

  /** Stop and forget a node (its Node object is deleted by the caller). */
  async remove (name: string): Promise<void> {
    const node = this.get(name)
    if (node.running) node.kubelet.stop()
    await node.runtime.close()
    this.nodes.delete(name)
    this.busyKubelets.delete(node.kubelet)
  }

  async closeAll (): Promise<void> {
    try {
      for (const name of [...this.nodes.keys()]) await this.remove(name)
    } finally {
      this.nodeInformer?.stop()
      this.nodeInformer = undefined
    }
  }

  get (name: string): ClusterNode {
    const node = this.nodes.get(name)
    if (node === undefined) throw new NodeError('NotFound', `no node "${name}" in this cluster; nodes: ${[...this.nodes.keys()].join(', ') || 'none'}`)
    return node
  }
}
