// Fixtures for the node lifecycle tests: a runner with the controller over the in-process API
// and a virtual clock, and a stand-in for kubelets that registers nodes, renews their Leases every
// 10 s on the clock and posts Ready, so tests can stop and restart "kubelets".
import type { KubeObject } from '../../../src/api/object.ts'
import { rfc3339, rfc3339Micro } from '../../../src/api/object.ts'
import type { ControllerError } from '../../../src/controllers/controller.ts'
import { garbageCollector } from '../../../src/controllers/garbage-collector/index.ts'
import { nodeLifecycleController, type NodeLifecycleController } from '../../../src/controllers/node-lifecycle/index.ts'
import type { Node, Pod, Toleration } from '../../../src/controllers/node-lifecycle/types.ts'
import { ControllerRunner } from '../../../src/controllers/runner.ts'
import type { TimerHandle } from '../../../src/util/clock.ts'
import { startApi, type Api } from '../support.ts'

export interface Harness {
  api: Api
  controller: NodeLifecycleController
  runner: ControllerRunner
  kubelets: Kubelets
  errors: ControllerError[]
  /** Move the virtual clock, finishing kubelet writes and controller work after each timer. */
  advance(duration: string | number): Promise<void>
  settle(): Promise<void>
  node(name: string): Promise<Node>
  pod(name: string): Promise<Pod>
  events(filter?: { reason?: string, name?: string }): Promise<Array<KubeObject & Record<string, any>>>
  stop(): Promise<void>
}

export async function startHarness (options: { withGarbageCollector?: boolean } = {}): Promise<Harness> {
  const api = await startApi()
  const controller = nodeLifecycleController()
  const errors: ControllerError[] = []
  const controllers = options.withGarbageCollector === true ? [controller, garbageCollector({ resources: api.resources })] : [controller]
  const runner = new ControllerRunner({ client: api.client, clock: api.clock, controllers, onError: e => errors.push(e) })
  const kubelets = new Kubelets(api)
  const settle = async (): Promise<void> => {
    await kubelets.flush()
    await runner.idle()
    await kubelets.flush()
    await runner.idle()
  }
  return {
    api,
    controller,
    runner,
    kubelets,
    errors,
    settle,
    advance: d => api.clock.advance(d, settle),
    node: name => api.client.get<Node>('v1', 'Node', undefined, name),
    pod: name => api.client.get<Pod>('v1', 'Pod', 'default', name),
    async events (filter = {}) {
      const items = (await api.client.list('v1', 'Event', {})).items as Array<KubeObject & Record<string, any>>
      return items.filter(e => (filter.reason === undefined || e.reason === filter.reason) &&
        (filter.name === undefined || e.involvedObject?.name === filter.name))
    },
    async stop () {
      kubelets.stopAll()
      await runner.stop()
      controller.stop()
    },
  }
}

const KUBELET_CONDITIONS = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
] as const

/** Just enough of a kubelet: node registration, Lease renewal, Ready posts. */
export class Kubelets {
  private readonly api: Api
  private readonly inflight = new Set<Promise<unknown>>()
  private readonly timers = new Map<string, TimerHandle>()

  constructor (api: Api) { this.api = api }

  /** Create the node with the kubelet's conditions (heartbeat now) and its Lease. */
  async register (name: string, options: { conditions?: boolean, lease?: boolean, labels?: Record<string, string> } = {}): Promise<void> {
    const now = rfc3339(this.api.clock.now())
    const conditions = options.conditions === false
      ? undefined
      : KUBELET_CONDITIONS.map(([type, status, reason, message]) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now }))
    const node = await this.api.client.create<Node>({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'amd64', ...options.labels } },
      spec: { podCIDR: '10.42.0.0/24', providerID: `k3s://${name}` },
    })
    if (conditions !== undefined) await this.api.client.update({ ...node, status: { conditions } }, { subresource: 'status' })
    if (options.lease === false) return
    await this.api.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }] },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(this.api.clock.now()) },
    })
  }

  /** Renew the node's Lease every 10 s from now on. */
  start (name: string): void {
    this.timers.get(name)?.cancel()
    this.timers.set(name, this.api.clock.setInterval(() => this.track(this.renew(name)), 10_000))
  }

  /** The kubelet dies: no more renewals. */
  stop (name: string): void {
    this.timers.get(name)?.cancel()
    this.timers.delete(name)
  }

  stopAll (): void { for (const name of [...this.timers.keys()]) this.stop(name) }

  /** The kubelet is back: renew now, post its conditions with a new heartbeat, keep renewing. */
  async recover (name: string): Promise<void> {
    await this.renew(name)
    await this.postReady(name, { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' })
    this.start(name)
  }

  /** Post the kubelet's conditions (heartbeat now), with Ready as given. */
  async postReady (name: string, ready: { status: string, reason: string, message: string }): Promise<void> {
    const now = rfc3339(this.api.clock.now())
    const node = await this.api.client.get<Node>('v1', 'Node', undefined, name)
    const conditions = (node.status?.conditions ?? []).map(c => {
      const kubelet = KUBELET_CONDITIONS.find(k => k[0] === c.type)
      if (kubelet === undefined) return c
      const [, status, reason, message] = kubelet
      const next = c.type === 'Ready' ? ready : { status, reason, message }
      return { ...c, ...next, lastHeartbeatTime: now, lastTransitionTime: c.status === next.status ? c.lastTransitionTime : now }
    })
    await this.api.client.update({ ...node, status: { ...node.status, conditions } }, { subresource: 'status' })
  }

  async renew (name: string): Promise<void> {
    const lease = await this.api.client.get('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', name)
    await this.api.client.update({ ...lease, spec: { ...(lease.spec as object), renewTime: rfc3339Micro(this.api.clock.now()) } })
  }

  /** Wait for the writes started by timers. */
  async flush (): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight])
  }

  private track (p: Promise<unknown>): void {
    const tracked = p.finally(() => this.inflight.delete(tracked))
    this.inflight.add(tracked)
  }
}

/** A pod bound to `node` ('' = unbound), running and Ready (as its kubelet would have reported it). */
export async function runningPod (api: Api, name: string, node: string, tolerations?: Toleration[]): Promise<Pod> {
  const now = rfc3339(api.clock.now())
  const pod = await api.client.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...(node === '' ? {} : { nodeName: node }), containers: [{ name: 'app', image: 'nginx' }], ...(tolerations === undefined ? {} : { tolerations }) },
  })
  const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']
    .map(type => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }))
  return api.client.update<Pod>({ ...pod, status: { ...pod.status, phase: 'Running', conditions } }, { subresource: 'status' })
}

/** A DaemonSet pod's NoExecute tolerations: Exists, no seconds. */
export const DAEMONSET_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
]

export const T0 = Date.UTC(2025, 0, 1)
export const at = (seconds: number): string => rfc3339(T0 + seconds * 1000)
