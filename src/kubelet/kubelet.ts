// One node's kubelet, through the Client only: registers the Node (k3s's labels, annotations,
// capacity, nodeInfo), renews its Lease every 10 s, posts node status on change and every 5 min,
// and runs the pods bound to it through the Runtime (pod-sync.ts), one sync per pod at a time.
import { rfc3339, type KubeObject } from '../api/object.ts'
import { simulatedUsage, type NodeUsageSample, type PodUsageSample } from '../api/resource-usage.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from '../client/client.ts'
import { EventRecorder } from '../client/events.ts'
import { Informer } from '../client/informer.ts'
import { WorkQueue } from '../client/workqueue.ts'
import type { PortDialer, Runtime, StreamOptions, StreamOutput, StreamSession } from '../runtime/runtime.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'
import { withParking, type ParkingSpot } from '../util/parking.ts'
import { nodeConditions, nodeImages, nodeInternalIP, nodeObject, nodePodCIDR, type NodeIdentity } from './node-object.ts'
import { LeaseController, nodeLeaseOptions } from '../client/lease-controller.ts'
import { serveKubeletHttp, type KubeletHttpReply } from './http-endpoints.ts'
import { removePod, syncPod, type SyncContext } from './pod-sync.ts'
import { newPodRecord, PodIPs, restoredPodRecord, type PodRecord } from './pod-state.ts'

const LEASE_RENEW_MS = 10_000
const STATUS_CHECK_MS = 10_000
const STATUS_REPORT_MS = 5 * 60_000
const WORKERS = 4
/** What a node's own processes use besides its pods (a k3s agent and containerd, at rest). */
export const NODE_SYSTEM_USAGE = Object.freeze({ cpuNanoCores: 10_000_000, memoryBytes: 128 * 1024 * 1024 })

/** What survives a kubelet restart on the same node: the pods it ran and their IPs. */
export interface KubeletState {
  pods: Map<string, PodRecord>
  ips: PodIPs
}

export function newKubeletState (identity: NodeIdentity): KubeletState {
  return { pods: new Map(), ips: new PodIPs(nodePodCIDR(identity.index)) }
}

export interface KubeletOptions {
  identity: NodeIdentity
  /** State of a previous kubelet on this node (startNode after stopNode). */
  state?: KubeletState
  client: Client
  runtime: Runtime
  clock: Clock
  log?: (msg: string) => void
  /** Told whenever busy() flips (the node pool counts busy kubelets instead of asking each). */
  onBusyChange?: (busy: boolean) => void
}

export class Kubelet {
  readonly name: string
  private readonly o: KubeletOptions
  private readonly recorder: EventRecorder
  private readonly queue: WorkQueue<string>
  readonly state: KubeletState
  private readonly pods: Map<string, PodRecord>
  private readonly ips: PodIPs
  private readonly wakeups = new Map<string, TimerHandle>()
  private informer: Informer | undefined
  private timers: TimerHandle[] = []
  private unsubscribe: (() => void) | undefined
  private running = false
  /** Worker loops running, and syncs among them parked on the clock. */
  private workers = 0
  private parked = 0
  private spawnScheduled = false
  private wasBusy = false
  private lastStatusReport = 0
  /** An image was pulled (or found) since the last check: the next check lists the images. */
  private imagesChanged = false
  /** The images last written to the Node's status (JSON). */
  private postedImages = '[]'
  private nodeUid = ''
  /** spec.unschedulable as last seen, and as last announced (recordNodeSchedulableEvent). */
  private nodeUnschedulable = false
  private announcedUnschedulable = false
  private readonly lease: LeaseController
  /** When this kubelet started (its node's boot time, as the stats report it). */
  private bootedAt = 0

  constructor (options: KubeletOptions) {
    this.o = options
    this.name = options.identity.name
    this.recorder = new EventRecorder({ client: options.client, clock: options.clock, source: { component: 'kubelet', host: this.name } })
    // A running sync holds its key in the queue's processing set; see busy().
    this.queue = new WorkQueue({ clock: options.clock, onChange: () => { this.busyChanged(); this.spawnSoon() } })
    this.state = options.state ?? newKubeletState(options.identity)
    this.pods = this.state.pods
    this.ips = this.state.ips
    this.lease = new LeaseController(nodeLeaseOptions({ client: options.client, clock: options.clock, node: this.name, nodeUid: () => this.nodeUid, log: options.log }))
  }

  /**
   * Work in hand: queued pod syncs, or running ones not parked on the clock (a fake runtime's
   * pull, start or graceful stop waiting for its delay: util/parking). Timers are the clock's.
   */
  busy (): boolean { return this.running && (this.queue.length > 0 || this.queue.processingCount > this.parked) }

  private busyChanged (): void {
    const busy = this.busy()
    if (busy === this.wasBusy) return
    this.wasBusy = busy
    this.o.onBusyChange?.(busy)
  }

  /** Syncs parked on the clock hold no worker: WORKERS syncs at a time still make progress. */
  private readonly parking: ParkingSpot = {
    // spawnSoon: a worker starts its first sync at once, and must not inside the parking one's wait.
    park: () => { this.parked++; this.busyChanged(); this.spawnSoon() },
    unpark: () => { this.parked--; this.busyChanged() },
  }

  /**
   * Workers for the queued keys, up to WORKERS working at once. A worker ends when the queue is
   * empty: an idle node holds no suspended loops (4 per node were 6 MB at 1,000 nodes).
   */
  private spawnWorkers (): void {
    while (this.running && this.queue.length > 0 && this.workers - this.parked < WORKERS) {
      this.workers++
      void this.worker()
    }
  }

  /** After a queue change or a park (not inside it: a worker's first take() changes the queue again). */
  private spawnSoon (): void {
    if (this.spawnScheduled || this.queue.length === 0) return
    this.spawnScheduled = true
    queueMicrotask(() => { this.spawnScheduled = false; this.spawnWorkers() })
  }

  get hostIP (): string { return nodeInternalIP(this.o.identity.index) }

  async start (): Promise<void> {
    this.running = true
    this.bootedAt = this.o.clock.now()
    await this.register()
    await Promise.all([this.renewLease(), this.startPodInformer()])
    this.timers.push(this.o.clock.setInterval(() => { void this.renewLease() }, LEASE_RENEW_MS))
    this.timers.push(this.o.clock.setInterval(() => { void this.recordSchedulable(); void this.postStatus(false) }, STATUS_CHECK_MS))
    this.spawnWorkers()
  }

  private async startPodInformer (): Promise<void> {
    this.unsubscribe = this.o.runtime.onEvent(e => { const rec = [...this.pods.values()].find(p => p.uid === e.pod.uid); if (rec !== undefined) this.queue.add(rec.key) })
    this.informer = new Informer({ client: this.o.client, apiVersion: 'v1', kind: 'Pod', fieldSelector: `spec.nodeName=${this.name}` })
    this.informer.addHandlers({
      add: p => this.queue.add(key(p)),
      update: (_o, p) => this.queue.add(key(p)),
      delete: p => this.queue.add(key(p)),
    })
    await this.informer.start()
  }

  /** The node loses power: no more heartbeats, status or pod work. Runtime state is kept. */
  stop (): void {
    this.running = false
    for (const t of this.timers) t.cancel()
    for (const t of this.wakeups.values()) t.cancel()
    this.timers = []
    this.wakeups.clear()
    this.unsubscribe?.()
    this.informer?.stop()
    this.queue.shutDown()
    this.busyChanged()
  }

  /** pods/log follow: new output of the current attempt until it stops. */
  followLogs (pod: KubeObject, container: string, onData: (chunk: string) => void, onEnd: () => void): () => void {
    const id = this.pods.get(key(pod))?.containers.get(container)?.status?.id
    if (id === undefined) { onEnd(); return () => {} }
    return this.o.runtime.followLogs(id, onData, { tailLines: 0, onEnd })
  }

  /** pods/log: the named container's current or previous attempt, from the runtime. */
  async logs (pod: KubeObject, container: string, options: Record<string, string>): Promise<string> {
    const rec = this.pods.get(key(pod))?.containers.get(container)
    const target = options.previous === 'true' ? rec?.previous : rec?.status
    if (target === undefined) {
      throw Object.assign(new Error(options.previous === 'true'
        ? `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`
        : `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${rec?.waiting?.reason ?? 'ContainerCreating'}`), { badRequest: true })
    }
    return this.o.runtime.containerLogs(target.id, {
      tailLines: options.tailLines === undefined ? undefined : Number(options.tailLines),
      timestamps: options.timestamps === 'true',
      sinceTime: options.sinceSeconds === undefined ? undefined : this.o.clock.now() - Number(options.sinceSeconds) * 1000,
      limitBytes: options.limitBytes === undefined ? undefined : Number(options.limitBytes),
    })
  }

  /** pods/exec: the command in the container's running attempt, through the runtime. */
  async exec (pod: KubeObject, container: string, command: string[], options: StreamOptions, output: StreamOutput): Promise<StreamSession> {
    return this.o.runtime.exec(this.runningContainer(pod, container), command, options, output)
  }

  /**
   * pods/attach: the container's running attempt. Whether it is a TTY is the container spec's,
   * not the request's (a process's terminal cannot change once it runs), as the kubelet's GetAttach.
   */
  async attach (pod: KubeObject, container: string, options: StreamOptions, output: StreamOutput): Promise<StreamSession> {
    const id = this.runningContainer(pod, container)
    const spec = pod.spec as Partial<Record<'containers' | 'initContainers' | 'ephemeralContainers', Array<{ name?: string, tty?: boolean }>>> | undefined
    const c = [...spec?.containers ?? [], ...spec?.initContainers ?? [], ...spec?.ephemeralContainers ?? []].find(x => x.name === container)
    return this.o.runtime.attach(id, { ...options, tty: c?.tty === true }, output)
  }

  /** pods/portforward: connections into the pod's sandbox (the kubelet's GetPortForward). */
  async portForward (pod: KubeObject): Promise<PortDialer> {
    const rec = this.streamingPod(pod)
    if (rec.sandboxId === undefined || rec.killed) throw refusal(500, `pod not found ("${pod.metadata.name}_${pod.metadata.namespace}")`)
    return this.o.runtime.portForward(rec.sandboxId)
  }

  /** The kubelet's HTTPS server as nodes/proxy reaches it (http-endpoints.ts); nobody listens while it is stopped. */
  async serveHttp (method: string, path: string, query: URLSearchParams, options: { readOnly?: boolean } = {}): Promise<KubeletHttpReply> {
    if (!this.running) throw Object.assign(new Error(`dial tcp ${this.hostIP}:10250: connect: connection refused`), { backendUnavailable: true })
    const view = { identity: this.o.identity, now: () => this.o.clock.now(), bootedAt: this.bootedAt, pods: () => [...this.informer?.list() ?? []], usage: () => this.resourceUsage() }
    return serveKubeletHttp(view, method, path, query, options.readOnly === true)
  }

  /** The kubelet's server answers 404 for a pod it does not run (GetPodByName). */
  private streamingPod (pod: KubeObject): PodRecord {
    const rec = this.pods.get(key(pod))
    if (!this.running || rec === undefined || rec.uid !== pod.metadata.uid) throw refusal(404, 'pod does not exist')
    return rec
  }

  /** findContainer: only a running container is found (GetPods(all=false)). */
  private runningContainer (pod: KubeObject, container: string): string {
    const status = this.streamingPod(pod).containers.get(container)?.status
    if (status?.state !== 'running') throw refusal(500, `container not found ("${container}")`)
    return status.id
  }

  /**
   * What /metrics/resource reports: every running container of this node's pods, and the node:
   * their sum plus the node's own system (k3s and containerd: NODE_SYSTEM_USAGE), so an empty node
   * has metrics too. A stopped kubelet cannot be scraped; a pod whose stats fail is left out.
   */
  async resourceUsage (): Promise<NodeUsageSample> {
    if (!this.running) throw new Error(`node ${this.name} is not running`)
    const timestamp = this.o.clock.now()
    const pods = await Promise.all([...this.pods.values()].map(rec => this.podUsage(rec).catch(() => undefined)))
    const sample: NodeUsageSample = { node: this.name, timestamp, usage: { ...NODE_SYSTEM_USAGE }, pods: [] }
    for (const p of pods) {
      if (p === undefined) continue
      sample.pods.push(p)
      for (const c of p.containers) { sample.usage.cpuNanoCores += c.usage.cpuNanoCores; sample.usage.memoryBytes += c.usage.memoryBytes }
    }
    return sample
  }

  private async podUsage (rec: PodRecord): Promise<PodUsageSample | undefined> {
    const pod = this.informer?.get(rec.key)
    if (pod === undefined || rec.killed || pod.metadata.uid !== rec.uid) return undefined
    const simulated = simulatedUsage(pod)
    const running = [...rec.containers].filter(([, c]) => c.status?.state === 'running')
    if (running.length === 0) return undefined
    const containers = await Promise.all(running.map(async ([name, c]) => ({
      name,
      startedAt: c.status!.startedAt ?? c.runningSince ?? this.o.clock.now(),
      usage: await this.o.runtime.containerStats(c.status!.id, simulated),
    })))
    return { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: rec.uid, labels: pod.metadata.labels, containers }
  }

  private async register (): Promise<void> {
    const now = rfc3339(this.o.clock.now())
    const node = nodeObject(this.o.identity, now)
    try {
      const created = await this.o.client.create(node, { fieldManager: 'k3s' })
      this.nodeUid = created.metadata.uid!
    } catch (err) {
      if (!isStatusError(err, 409)) throw err
      const existing = await this.o.client.get('v1', 'Node', undefined, this.name)
      this.nodeUid = existing.metadata.uid!
    }
    const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: this.name, uid: this.name } }
    // Written together (one commit); their order is the order of their names' timestamps.
    await Promise.all([
      this.recorder.record(nodeRef, { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' }),
      ...['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'].map(reason =>
        this.recorder.record(nodeRef, { type: 'Normal', reason, message: `Node ${this.name} status is now: ${reason}` })),
      this.recorder.record(nodeRef, { type: 'Normal', reason: 'NodeAllocatableEnforced', message: 'Updated Node Allocatable limit across pods' }),
      this.postStatus(true),
    ])
    await this.recorder.record(nodeRef, { type: 'Normal', reason: 'NodeReady', message: `Node ${this.name} status is now: NodeReady` })
  }

  /** The Node object as it now is (its pool watches Nodes for every kubelet): read at the next status check. */
  observeNode (node: KubeObject): void {
    this.nodeUnschedulable = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true
  }

  /**
   * recordNodeSchedulableEvent, one of the kubelet's node status functions (every 10 s): a
   * cordon or uncordon since the last check is announced as NodeNotSchedulable / NodeSchedulable.
   */
  private async recordSchedulable (): Promise<void> {
    if (!this.running || this.nodeUnschedulable === this.announcedUnschedulable) return
    this.announcedUnschedulable = this.nodeUnschedulable
    const reason = this.nodeUnschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable'
    const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: this.name, uid: this.name } }
    await this.recorder.record(nodeRef, { type: 'Normal', reason, message: `Node ${this.name} status is now: ${reason}` })
      .catch(err => this.o.log?.(`${this.name}: node event: ${String(err)}`))
  }

  private async renewLease (): Promise<void> {
    if (this.running) await this.lease.renew()
  }

  /**
   * Conditions are recomputed every 10 s and written when they change or 5 min have passed; the
   * node's images (the runtime's list) when an image was pulled since the last write.
   */
  private async postStatus (force: boolean): Promise<void> {
    if (!this.running) return
    const nowMs = this.o.clock.now()
    const due = force || nowMs - this.lastStatusReport >= STATUS_REPORT_MS
    if (!due && !this.imagesChanged) return
    this.imagesChanged = false
    try {
      const images = nodeImages(await this.o.runtime.listImages())
      const listed = JSON.stringify(images)
      if (!due && listed === this.postedImages) return
      const node = await this.o.client.get('v1', 'Node', undefined, this.name)
      const status = (node.status ?? {}) as Record<string, any>
      const transitions: Record<string, string> = {}
      for (const c of status.conditions ?? []) if (c.status === (c.type === 'Ready' ? 'True' : 'False')) transitions[c.type] = c.lastTransitionTime
      status.conditions = nodeConditions(rfc3339(nowMs), transitions)
      if (images.length > 0) status.images = images
      else delete status.images
      await this.o.client.update({ ...node, status }, { subresource: 'status', fieldManager: 'k3s' })
      this.postedImages = listed
      this.lastStatusReport = nowMs
    } catch (err) {
      this.imagesChanged = true // the next check tries the images again
      this.o.log?.(`${this.name}: node status: ${String(err)}`)
    }
  }

  /** Takes keys while any are queued, or until a parked sync it made room for is working again. */
  private async worker (): Promise<void> {
    for (let k = this.queue.take(); k !== undefined; k = this.queue.take()) {
      // A stopped kubelet (the node lost power) does no more pod work: what is queued is dropped.
      if (!this.running) { this.queue.done(k); continue }
      try {
        await withParking(this.parking, () => this.sync(k))
        this.queue.forget(k)
      } catch (err) {
        this.o.log?.(`${this.name}: sync ${k}: ${err instanceof Error ? err.message : String(err)}`)
        if (this.running) this.queue.addRateLimited(k)
      } finally {
        this.queue.done(k)
      }
      if (this.workers - this.parked > WORKERS) break
    }
    this.workers--
  }

  private async sync (k: string): Promise<void> {
    const pod = this.informer?.get(k)
    let rec = this.pods.get(k)
    const ctx: SyncContext = { client: this.o.client, runtime: this.o.runtime, recorder: this.recorder, now: () => this.o.clock.now(), hostIP: this.hostIP, ips: this.ips, pulled: () => { this.imagesChanged = true } }
    if (pod === undefined || (rec !== undefined && rec.uid !== pod.metadata.uid)) {
      if (rec !== undefined) { await removePod(ctx, rec); this.pods.delete(k) }
      if (pod === undefined) return
      rec = undefined
    }
    if (rec === undefined) {
      rec = restoredPodRecord(pod, k, this.o.clock.now())
      // Ran on this node before it went down: the kubelet re-creates the sandbox, as upstream's.
      if (rec !== undefined) await this.recorder.record(pod, { type: 'Normal', reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.' })
    }
    rec ??= newPodRecord(pod.metadata.uid!, k)
    this.pods.set(k, rec)
    const result = await syncPod(ctx, pod, rec)
    this.wakeups.get(k)?.cancel()
    this.wakeups.delete(k)
    if (result.wakeAt !== undefined && this.running) {
      this.wakeups.set(k, this.o.clock.setTimeout(() => { this.wakeups.delete(k); this.queue.add(k) }, Math.max(0, result.wakeAt - this.o.clock.now())))
    }
  }
}

const key = (p: KubeObject): string => `${p.metadata.namespace}/${p.metadata.name}`

/**
 * The kubelet refusing a streaming request before any stream is open (its HTTP answer, which the
 * API server's proxy passes on): `unable to upgrade connection: …` to the client.
 */
const refusal = (code: number, message: string): Error => Object.assign(new Error(message), { upgradeRefusal: code })
