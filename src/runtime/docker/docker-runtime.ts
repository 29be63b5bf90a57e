// DockerRuntime: one node's containers as real Docker containers (CRI through the Engine API).
// A sandbox is a pause container on the cluster's bridge network with the pod IP the kubelet
// chose; the pod's containers join its network and IPC namespaces. Everything the runtime needs
// to answer is on the Docker objects (labels, state), so a status is one inspect and the
// runtime holds no state a crash could lose; only kubelet-initiated stops (whose exits raise no
// event), host-port forwarders and klipper-lb processes live in memory.
import { parseImage } from '../images.ts'
import {
  type ContainerConfig, type ContainerStatus, type ContainerUsage, type LogOptions, type PodRef, type ProbeKind, type NodeImage, type PullOptions, type PullResult,
  type PortDialer, type Runtime, RuntimeError, type RuntimeEvent, type SandboxConfig, type StreamOptions, type StreamOutput, type StreamSession,
} from '../runtime.ts'
import { createBody, filesArchive } from './container-spec.ts'
import type { ContainerInfo, DockerEngine } from './engine.ts'
import { sandboxDialer, dockerAttach, dockerExec, runningContainer } from './exec.ts'
import { imageRefOf, NodeImages } from './image-pull.ts'
import { isKlipperImage, KlipperProcess } from './klipper.ts'
import type { ServiceResolver } from './kube-proxy.ts'
import { containerName, LABEL, podLabels, podRefOf, volumeName } from './labels.ts'
import { dockerLogs, followDockerLogs } from './logs.ts'
import { sandboxBody } from './sandbox-spec.ts'
import { type HostPorts, PublishedPorts } from './port-forward.ts'
import { runProbe } from './probes.ts'

export interface DockerNodeContext {
  engine: DockerEngine
  cluster: string
  network: string
  ports: HostPorts
  services: ServiceResolver
  now: () => number
}

const CRI_STATE = { created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED' } as const
const PROBES_LABEL = 'io.k3sim.probes'
const PORTS_LABEL = 'io.k3sim.ports'

const stripScheme = (id: string): string => id.startsWith('containerd://') ? id.slice('containerd://'.length) : id
const ms = (t: string): number | undefined => (t === '' || t.startsWith('0001-') ? undefined : Date.parse(t))

export class DockerRuntime implements Runtime {
  readonly version = 'containerd://1.7.23-k3s2'
  readonly nodeName: string
  private readonly ctx: DockerNodeContext
  private readonly listeners = new Set<(e: RuntimeEvent) => void>()
  /** Containers the kubelet is stopping: their exit is not news. */
  private readonly stopping = new Set<string>()
  /** Host ports held per running container. */
  private readonly hostPorts: PublishedPorts
  private readonly klipper = new Map<string, KlipperProcess>()
  /** Each running container's last CPU sample, for the rate between two. */
  private readonly cpuSamples = new Map<string, { totalNs: number, at: number }>()
  private readonly followers = new Set<() => void>()
  private readonly images: NodeImages
  private closed = false

  constructor (ctx: DockerNodeContext, nodeName: string) {
    this.ctx = ctx
    this.nodeName = nodeName
    this.images = new NodeImages({ engine: ctx.engine, cluster: ctx.cluster, now: ctx.now })
    this.hostPorts = new PublishedPorts(ctx.ports)
  }

  onEvent (listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** The cluster saw a container of this node die (Docker's `die` event). */
  containerDied (id: string, labels: Record<string, string>): void {
    this.hostPorts.release(id)
    if (this.stopping.delete(id) || labels[LABEL.kind] !== 'container' || this.closed) return
    this.emit({ type: 'container-exited', containerId: `containerd://${id}`, pod: podRefOf(labels) })
  }

  // --- images -----------------------------------------------------------------------------

  async pullImage (image: string, options: PullOptions): Promise<PullResult> {
    this.check()
    return await this.images.pull(image, options.pullPolicy, options.onPull)
  }

  async listImages (): Promise<NodeImage[]> {
    this.check()
    return await this.images.list()
  }

  // --- sandboxes --------------------------------------------------------------------------

  async runPodSandbox (config: SandboxConfig): Promise<string> {
    this.check()
    const name = containerName(this.ctx.cluster, 'POD', config.pod, config.ip)
    try {
      const id = await this.ctx.engine.createContainer(name, sandboxBody(config, this.ctx.network, podLabels(this.ctx.cluster, this.nodeName, config.pod)))
      try {
        await this.ctx.engine.startContainer(id)
      } catch (err) {
        await this.ctx.engine.removeContainer(id)
        throw err
      }
      return id
    } catch (err) {
      throw new RuntimeError('CreatePodSandboxError', `failed to start sandbox container for pod "${config.pod.name}": ${(err as Error).message}`)
    }
  }

  async stopPodSandbox (sandboxId: string, gracePeriodSeconds: number): Promise<void> {
    this.check()
    const members = await this.members(sandboxId)
    await Promise.all(members.map(id => this.stopContainer(`containerd://${id}`, gracePeriodSeconds)))
    for (const k of [...this.klipper.values()].filter(k => k.sandboxId === sandboxId)) k.stop()
    await this.ctx.engine.stopContainer(sandboxId, 0)
  }

  async removePodSandbox (sandboxId: string): Promise<void> {
    this.check()
    const sandbox = await this.ctx.engine.inspectContainer(sandboxId)
    await Promise.all((await this.members(sandboxId)).map(id => this.removeContainer(`containerd://${id}`)))
    for (const k of [...this.klipper.values()].filter(k => k.sandboxId === sandboxId)) this.klipper.delete(k.hex)
    await this.ctx.engine.removeContainer(sandboxId)
    if (sandbox !== undefined) await this.removePodVolumes(sandbox.labels[LABEL.podUid])
  }

  // --- containers -------------------------------------------------------------------------

  async createContainer (sandboxId: string, config: ContainerConfig, pod: PodRef): Promise<string> {
    this.check()
    const fail = (message: string): RuntimeError => new RuntimeError('CreateContainerError', message)
    const sandbox = await this.ctx.engine.inspectContainer(sandboxId)
    if (sandbox === undefined || sandbox.labels[LABEL.kind] !== 'sandbox') throw fail(`failed to get sandbox "${sandboxId}": not found`)
    if (!sandbox.state.running) throw fail(`sandbox "${sandboxId}" is not running`)
    const name = containerName(this.ctx.cluster, config.name, pod, config.attempt)
    if (isKlipperImage(config.image)) return this.createKlipper(sandboxId, config, pod, name)
    const image = parseImage(config.image)
    if (await this.ctx.engine.inspectImage(image.normalized) === undefined) {
      throw fail(`failed to get image "${image.normalized}": not found (pull it before creating the container)`)
    }
    for (const m of config.mounts ?? []) {
      if (m.source.type === 'emptyDir') await this.ensureVolume(pod.uid, m.volume, m.source.medium === 'Memory')
    }
    const labels = {
      ...podLabels(this.ctx.cluster, this.nodeName, pod),
      [LABEL.kind]: 'container', [LABEL.container]: config.name, [LABEL.sandbox]: sandboxId, [LABEL.attempt]: String(config.attempt),
      [LABEL.image]: image.normalized, [LABEL.podIP]: sandbox.labels[LABEL.podIP] ?? '', [LABEL.sandboxNetwork]: sandbox.labels[LABEL.podIP] === '127.0.0.1' ? 'node' : 'pod',
      [PROBES_LABEL]: JSON.stringify(config.probeHandlers ?? {}), [PORTS_LABEL]: JSON.stringify(config.ports ?? []),
    }
    let id: string
    try {
      id = await this.ctx.engine.createContainer(name, createBody({
        config, image: image.normalized, sandboxId, labels, volumeName: v => volumeName(this.ctx.cluster, pod.uid, v),
        pidMode: sandbox.labels[LABEL.pidMode], ipcMode: sandbox.labels[LABEL.ipcMode],
      }))
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 409) {
        const holder = (await this.ctx.engine.inspectContainer(name))?.id ?? 'another container'
        throw fail(`failed to reserve container name "${name}": name "${name}" is reserved for "${holder}"`)
      }
      throw fail(`failed to create container "${config.name}": ${(err as Error).message}`)
    }
    const files = await filesArchive(config.mounts ?? [])
    if (files !== undefined) await this.ctx.engine.putArchive(id, '/', files)
    return `containerd://${id}`
  }

  async startContainer (containerId: string): Promise<void> {
    this.check()
    const id = stripScheme(containerId)
    const k = this.klipper.get(id)
    const refuse = (why: string): RuntimeError => new RuntimeError('RunContainerError', `failed to start container "${id}": ${why}`)
    if (k !== undefined) {
      if (k.state !== 'created') throw refuse(`container is in ${CRI_STATE[k.state]} state`)
      return k.start()
    }
    const info = await this.inspect(containerId)
    const state = stateOf(info)
    if (state !== 'created') throw refuse(`container is in ${CRI_STATE[state]} state`)
    const sandbox = await this.ctx.engine.inspectContainer(info.labels[LABEL.sandbox])
    if (sandbox?.state.running !== true) throw refuse(`sandbox "${info.labels[LABEL.sandbox]}" is not running`)
    try {
      await this.ctx.engine.startContainer(id)
    } catch (err) {
      throw refuse((err as Error).message)
    }
    await this.publishHostPorts(id, info)
  }

  async stopContainer (containerId: string, gracePeriodSeconds: number): Promise<void> {
    this.check()
    const id = stripScheme(containerId)
    const k = this.klipper.get(id)
    if (k !== undefined) { k.stop(); return }
    const info = await this.inspect(containerId)
    if (!info.state.running) return
    this.stopping.add(id)
    await this.ctx.engine.stopContainer(id, gracePeriodSeconds)
    this.hostPorts.release(id)
  }

  async removeContainer (containerId: string): Promise<void> {
    this.check()
    const id = stripScheme(containerId)
    const k = this.klipper.get(id)
    if (k !== undefined) { k.stop(); this.klipper.delete(id); return }
    if ((await this.ctx.engine.inspectContainer(id))?.state.running === true) this.stopping.add(id)
    await this.ctx.engine.removeContainer(id)
    this.hostPorts.release(id)
    this.cpuSamples.delete(id)
  }

  async containerStatus (containerId: string): Promise<ContainerStatus> {
    this.check()
    const k = this.klipper.get(stripScheme(containerId))
    if (k !== undefined) return k.status()
    return this.statusOf(await this.inspect(containerId))
  }

  async listContainers (filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    this.check()
    const labels = [`${LABEL.cluster}=${this.ctx.cluster}`, `${LABEL.node}=${this.nodeName}`, `${LABEL.kind}=container`]
    if (filter.sandboxId !== undefined) labels.push(`${LABEL.sandbox}=${filter.sandboxId}`)
    const out: ContainerStatus[] = []
    for (const c of await this.ctx.engine.listContainers(labels)) {
      const info = await this.ctx.engine.inspectContainer(c.id)
      if (info !== undefined) out.push(await this.statusOf(info))
    }
    for (const k of this.klipper.values()) if (filter.sandboxId === undefined || k.sandboxId === filter.sandboxId) out.push(k.status())
    return out
  }

  // --- logs, probes, stats ----------------------------------------------------------------

  async containerLogs (containerId: string, options: LogOptions = {}): Promise<string> {
    this.check()
    const k = this.klipper.get(stripScheme(containerId))
    if (k !== undefined) return (await import('../fake/logs.ts')).renderLogs(k.logs.entries, options)
    await this.inspect(containerId)
    return dockerLogs(this.ctx.engine, stripScheme(containerId), options)
  }

  followLogs (containerId: string, onData: (chunk: string) => void, options: LogOptions & { onEnd?: () => void } = {}): () => void {
    this.check()
    const k = this.klipper.get(stripScheme(containerId))
    if (k !== undefined) return k.logs.follow(onData, options, options.onEnd)
    const stop = followDockerLogs(this.ctx.engine, stripScheme(containerId), onData, options)
    const tracked = (): void => { this.followers.delete(tracked); stop() }
    this.followers.add(tracked)
    return tracked
  }

  async probe (containerId: string, kind: ProbeKind): Promise<{ success: boolean, message?: string }> {
    this.check()
    const k = this.klipper.get(stripScheme(containerId))
    if (k !== undefined) return k.state === 'running' ? { success: true } : { success: false, message: `container is in ${CRI_STATE[k.state]} state` }
    const info = await this.inspect(containerId)
    const state = stateOf(info)
    if (state !== 'running') return { success: false, message: `container is in ${CRI_STATE[state]} state` }
    const handlers = JSON.parse(info.labels[PROBES_LABEL] ?? '{}') as ContainerConfig['probeHandlers']
    return runProbe({ engine: this.ctx.engine, containerId: info.id, podIP: info.labels[LABEL.podIP] ?? '', ports: JSON.parse(info.labels[PORTS_LABEL] ?? '[]') }, handlers?.[kind])
  }

  /**
   * Measured by Docker (`simulated` is for the fake runtime): memory as it reads it, CPU as the
   * rate of the cumulative counter since this container's previous sample, as metrics-server
   * derives it from the kubelet's counters (a one-shot read has no previous sample of its own);
   * a container's first sample is its rate since it started.
   */
  async containerStats (containerId: string): Promise<ContainerUsage> {
    this.check()
    if (this.klipper.has(stripScheme(containerId))) return { cpuNanoCores: 0, memoryBytes: 0 }
    const info = await this.inspect(containerId)
    if (!info.state.running) { this.cpuSamples.delete(info.id); return { cpuNanoCores: 0, memoryBytes: 0 } }
    const s = await this.ctx.engine.stats(info.id)
    const at = Number.isFinite(s.readAt) ? s.readAt : this.ctx.now()
    const before = this.cpuSamples.get(info.id)
    this.cpuSamples.set(info.id, { totalNs: s.cpuTotalNs, at })
    // Without an earlier sample, the container's start is the first point (cumulative 0), as
    // metrics-server counts a fresh container's.
    const started = Date.parse(info.state.startedAt)
    const from = before !== undefined && s.cpuTotalNs >= before.totalNs ? before : Number.isFinite(started) ? { totalNs: 0, at: started } : undefined
    const cpuNanoCores = from !== undefined && at > from.at ? Math.round((s.cpuTotalNs - from.totalNs) * 1000 / (at - from.at)) : 0
    return { cpuNanoCores, memoryBytes: s.memoryBytes }
  }

  async exec (containerId: string, command: string[], options: StreamOptions, output: StreamOutput): Promise<StreamSession> {
    return dockerExec(this.ctx.engine, await runningContainer(this.ctx, containerId), command, options, output)
  }

  async attach (containerId: string, options: StreamOptions, output: StreamOutput): Promise<StreamSession> {
    return dockerAttach(this.ctx.engine, await runningContainer(this.ctx, containerId), options, output)
  }

  async portForward (sandboxId: string): Promise<PortDialer> {
    return sandboxDialer(this.ctx, sandboxId)
  }

  /** Remove every container and sandbox of this node (node deleted or cluster stopped). */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const stop of [...this.followers]) stop()
    for (const k of this.klipper.values()) k.stop()
    this.klipper.clear()
    const mine = await this.ctx.engine.listContainers([`${LABEL.cluster}=${this.ctx.cluster}`, `${LABEL.node}=${this.nodeName}`])
    await Promise.all(mine.map(c => this.ctx.engine.removeContainer(c.id)))
    this.hostPorts.releaseAll()
    const pods = new Set(mine.map(c => c.labels[LABEL.podUid]).filter(uid => uid !== undefined))
    for (const uid of pods) await this.removePodVolumes(uid)
    this.listeners.clear()
  }

  // --- internals --------------------------------------------------------------------------

  private check (): void {
    if (this.closed) throw new RuntimeError('RuntimeClosed', 'the runtime is closed')
  }

  private emit (e: RuntimeEvent): void {
    for (const l of this.listeners) l(e)
  }

  private async inspect (containerId: string): Promise<ContainerInfo> {
    const info = await this.ctx.engine.inspectContainer(stripScheme(containerId))
    if (info === undefined || info.labels[LABEL.cluster] !== this.ctx.cluster || info.labels[LABEL.kind] !== 'container') {
      throw new RuntimeError('NotFound', `an error occurred when try to find container "${containerId}": not found`)
    }
    return info
  }

  private async members (sandboxId: string): Promise<string[]> {
    return (await this.ctx.engine.listContainers([`${LABEL.cluster}=${this.ctx.cluster}`, `${LABEL.sandbox}=${sandboxId}`])).map(c => c.id)
  }

  private async statusOf (info: ContainerInfo): Promise<ContainerStatus> {
    const state = stateOf(info)
    const imageName = info.labels[LABEL.image] ?? info.image
    const image = await this.ctx.engine.inspectImage(info.imageId)
    const s: ContainerStatus = {
      id: `containerd://${info.id}`, sandboxId: info.labels[LABEL.sandbox], name: info.labels[LABEL.container],
      attempt: Number(info.labels[LABEL.attempt] ?? 0), state, createdAt: Date.parse(info.created),
      image: imageName, imageRef: image === undefined ? `${parseImage(imageName).repository}@${info.imageId}` : imageRefOf(imageName, image),
    }
    const started = ms(info.state.startedAt)
    if (state !== 'created' && started !== undefined) s.startedAt = started
    if (state === 'exited') {
      s.finishedAt = ms(info.state.finishedAt)
      s.exitCode = info.state.exitCode
      s.reason = info.state.oomKilled ? 'OOMKilled' : info.state.exitCode === 0 ? 'Completed' : 'Error'
      if (info.state.error !== '') s.message = info.state.error
    }
    return s
  }

  private createKlipper (sandboxId: string, config: ContainerConfig, pod: PodRef, name: string): string {
    if ([...this.klipper.values()].some(k => containerName(this.ctx.cluster, k.config.name, k.pod, k.config.attempt) === name)) {
      throw new RuntimeError('CreateContainerError', `failed to reserve container name "${name}": name "${name}" is reserved`)
    }
    const k = new KlipperProcess({
      ports: this.ctx.ports, services: this.ctx.services, now: this.ctx.now,
      onExit: p => this.emit({ type: 'container-exited', containerId: `containerd://${p.hex}`, pod: p.pod }),
    }, sandboxId, config, pod)
    this.klipper.set(k.hex, k)
    return `containerd://${k.hex}`
  }

  /** CNI portmap: each hostPort on 127.0.0.1 forwards to the pod IP's containerPort. */
  private async publishHostPorts (id: string, info: ContainerInfo): Promise<void> {
    // On the host's network the container's own ports are the host's: nothing to forward.
    if (info.labels[LABEL.sandboxNetwork] === 'node') return
    const ports = JSON.parse(info.labels[PORTS_LABEL] ?? '[]') as NonNullable<ContainerConfig['ports']>
    try {
      await this.hostPorts.publish(id, info.labels[LABEL.podIP] ?? '', ports)
    } catch (err) {
      throw new RuntimeError('RunContainerError', (err as Error).message)
    }
  }

  private async ensureVolume (podUid: string, volume: string, memory: boolean): Promise<void> {
    const name = volumeName(this.ctx.cluster, podUid, volume)
    await this.ctx.engine.createVolume(name, { [LABEL.cluster]: this.ctx.cluster, [LABEL.node]: this.nodeName, [LABEL.podUid]: podUid, [LABEL.kind]: 'volume' }, memory)
  }

  private async removePodVolumes (podUid: string | undefined): Promise<void> {
    if (podUid === undefined) return
    for (const v of await this.ctx.engine.listVolumes([`${LABEL.cluster}=${this.ctx.cluster}`, `${LABEL.podUid}=${podUid}`])) await this.ctx.engine.removeVolume(v)
  }
}

function stateOf (info: ContainerInfo): ContainerStatus['state'] {
  if (info.state.status === 'created') return 'created'
  if (info.state.running || info.state.status === 'restarting' || info.state.status === 'paused') return 'running'
  return 'exited'
}
