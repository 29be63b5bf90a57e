// FakeRuntime: containers are records in memory whose lives follow their pod's lifecycle profile
// (KWOK's idea, as data), driven by timers on the cluster clock. IDs come from the seeded Ids,
// so a seeded cluster gets the same container IDs every run. Like cri-api's FakeRuntimeService,
// it records every call (`calls`) and fails on request (`failNext`).
//
// Timing (all on the injected clock; a VirtualClock's advance() runs it):
// - pullImage resolves after pullDelay; startContainer after startDelay (then 'container-started'
//   is emitted); stopContainer once the container has exited (stopDelay, or the grace period).
// - A container's own exit (exitAfter, crashLoop, oomAfter, KWOK's run-to-completion) emits
//   'container-exited'; exits the kubelet caused (stop, remove, close) emit nothing.
import { type Clock, RealClock } from '../../util/clock.ts'
import { Ids } from '../../util/random.ts'
import { imageRef, imageSize, parseImage } from '../images.ts'
import { containerSpec, type LifecycleProfile } from '../profiles/types.ts'
import { ProfileError } from '../profiles/validate.ts'
import { ProfileRegistry } from '../profiles/registry.ts'
import {
  type ContainerConfig, type ContainerStatus, type ContainerUsage, type LogOptions, type PodRef, type ProbeKind, type PullOptions, type PullResult,
  type PortDialer, type Runtime, RuntimeError, type RuntimeEvent, type SandboxConfig, type StreamOptions, type StreamSession, type NodeImage,
} from '../runtime.ts'
import { CallLog, type RecordedCall, type RuntimeMethod } from './calls.ts'
import { ImageStore } from './image-store.ts'
import { KILLED, probeAnswer, statsOf } from './lifecycle.ts'
import { LogBuffer, renderLogs } from './logs.ts'
import { Processes } from './process.ts'
import { type ContainerRecord, type SandboxRecord, statusOf, stripScheme, Waits } from './records.ts'

export interface FakeRuntimeOptions {
  /** The cluster clock (default: real time). */
  clock?: Clock
  /** Seeded for deterministic sandbox and container IDs (default: crypto random). */
  ids?: Ids
  /** Where pods' profiles come from (default: only the built-in "default" profile). */
  profiles?: ProfileRegistry
  /** The node this runtime belongs to: `{node}` in log lines. */
  nodeName?: string
  /** Images already on the node (k3s's airgap images), as given in pod specs. */
  images?: string[]
  /**
   * Keep the newest calls for `calls` and `callNames()` (tests of the runtime). Default false: a
   * cluster's nodes keep none (their ~60 calls per node were 8.5 MB at 1,000 nodes).
   */
  recordCalls?: boolean
}

export type FakeLogOptions = LogOptions & { onEnd?: () => void }

/** Why a streaming call fails here: what a user sees after kubectl's `error: …` prefix. */
export const noProcesses = (what: string, more = ''): string =>
  `the fake runtime (k3sim's default) runs no processes${more === '' ? '' : ` ${more}`}: ${what} needs the Docker runtime ` +
  "(k3sim server --runtime docker, or Cluster.start({ runtime: 'docker' }))"

const CRI_STATE = { created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED' } as const

export class FakeRuntime implements Runtime {
  readonly version = 'containerd://1.7.23-k3s2'
  readonly clock: Clock
  readonly nodeName: string
  private readonly ids: Ids
  private readonly profiles: ProfileRegistry
  private readonly log: CallLog
  private readonly waits: Waits
  private readonly images: ImageStore
  private readonly sandboxes = new Map<string, SandboxRecord>()
  private readonly containers = new Map<string, ContainerRecord>()
  /** containerd's name reservations: reserved name → container hex. */
  private readonly reserved = new Map<string, string>()
  /** Pod UID → its latest sandbox (whose profile its pulls follow). */
  private readonly podSandbox = new Map<string, string>()
  private readonly processes: Processes
  private readonly listeners = new Set<(e: RuntimeEvent) => void>()
  private closed = false

  constructor (options: FakeRuntimeOptions = {}) {
    this.clock = options.clock ?? new RealClock()
    this.ids = options.ids ?? new Ids()
    this.profiles = options.profiles ?? new ProfileRegistry()
    this.nodeName = options.nodeName ?? 'node'
    this.log = new CallLog({ record: options.recordCalls === true })
    this.waits = new Waits(this.clock)
    this.images = new ImageStore(this.waits, options.images)
    this.processes = new Processes({ clock: this.clock, waits: this.waits, nodeName: this.nodeName, emit: (t, rec) => this.emit(t, rec) })
  }

  /** The newest calls, in order, when `recordCalls` is on (tests assert on these). */
  get calls (): readonly RecordedCall[] { return this.log.calls }
  callNames (): RuntimeMethod[] { return this.log.methods() }
  clearCalls (): void { this.log.clear() }

  /** The next call of `method` fails with `error` (after being recorded). */
  failNext (method: RuntimeMethod, error: Error = new RuntimeError('InjectedError', `injected failure of ${method}`)): void {
    this.log.failNext(method, error)
  }

  /** Normalised names of the images present on this node. */
  imageList (): string[] { return this.images.list() }

  async listImages (): Promise<NodeImage[]> {
    return this.images.list().map(name => ({ repoDigests: [imageRef(name)], repoTags: [name], size: imageSize(name) }))
  }

  onEvent (listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  // --- images -----------------------------------------------------------------------------

  async pullImage (image: string, options: PullOptions): Promise<PullResult> {
    this.enter('pullImage', [image, options])
    // Per-container settings apply when the caller names the container (not in ImageService yet).
    return this.images.pull(image, options.pullPolicy, containerSpec(this.profileOfPod(options.pod.uid), options.container), options.onPull)
  }

  // --- sandboxes --------------------------------------------------------------------------

  async runPodSandbox (config: SandboxConfig): Promise<string> {
    this.enter('runPodSandbox', [config])
    let profile: LifecycleProfile
    try {
      profile = this.profiles.resolve(config.annotations)
    } catch (err) {
      // The kubelet reports this as FailedCreatePodSandBox, visible in `kubectl describe pod`.
      if (err instanceof ProfileError) throw new RuntimeError('CreatePodSandboxError', err.message)
      throw err
    }
    const id = this.newHex()
    this.sandboxes.set(id, { id, config, profile, state: 'ready', createdAt: this.clock.now(), containers: new Set() })
    this.podSandbox.set(config.pod.uid, id)
    return id
  }

  /** CRI: idempotent; an unknown sandbox is already stopped. */
  async stopPodSandbox (sandboxId: string, gracePeriodSeconds: number): Promise<void> {
    this.enter('stopPodSandbox', [sandboxId, gracePeriodSeconds])
    const sandbox = this.sandboxes.get(sandboxId)
    if (sandbox === undefined) return
    await Promise.all(this.inSandbox(sandboxId).map(rec => this.processes.stop(rec, gracePeriodSeconds)))
    sandbox.state = 'notready'
  }

  /** CRI: idempotent; running containers are killed and removed with the sandbox. */
  async removePodSandbox (sandboxId: string): Promise<void> {
    this.enter('removePodSandbox', [sandboxId])
    for (const rec of this.inSandbox(sandboxId)) this.removeRecord(rec)
    const sandbox = this.sandboxes.get(sandboxId)
    if (sandbox !== undefined && this.podSandbox.get(sandbox.config.pod.uid) === sandboxId) this.podSandbox.delete(sandbox.config.pod.uid)
    this.sandboxes.delete(sandboxId)
  }

  // --- containers -------------------------------------------------------------------------

  async createContainer (sandboxId: string, config: ContainerConfig, pod: PodRef): Promise<string> {
    this.enter('createContainer', [sandboxId, config, pod])
    const sandbox = this.sandboxes.get(sandboxId)
    if (sandbox === undefined) throw new RuntimeError('CreateContainerError', `failed to get sandbox "${sandboxId}": not found`)
    if (sandbox.state !== 'ready') throw new RuntimeError('CreateContainerError', `sandbox "${sandboxId}" is not running`)
    const name = parseImage(config.image)
    // containerd resolves the image locally; the kubelet must have pulled it first.
    if (!this.images.has(name.normalized)) {
      throw new RuntimeError('CreateContainerError', `failed to get image "${name.normalized}": not found (pull it before creating the container)`)
    }
    const reservedName = `${config.name}_${pod.name}_${pod.namespace}_${pod.uid}_${config.attempt}`
    const holder = this.reserved.get(reservedName)
    if (holder !== undefined) {
      throw new RuntimeError('CreateContainerError', `failed to reserve container name "${reservedName}": name "${reservedName}" is reserved for "${holder}"`)
    }
    const hex = this.newHex()
    this.reserved.set(reservedName, hex)
    sandbox.containers.add(hex)
    this.containers.set(hex, {
      hex, sandboxId, pod, reservedName, spec: containerSpec(sandbox.profile, config.name),
      config: { name: config.name, image: config.image, init: config.init, attempt: config.attempt, restartPolicy: config.restartPolicy },
      state: 'created', createdAt: this.clock.now(), image: name.normalized, imageRef: imageRef(config.image),
      logs: new LogBuffer(), timers: [], logCounter: 0,
    })
    return `containerd://${hex}`
  }

  async startContainer (containerId: string): Promise<void> {
    this.enter('startContainer', [containerId])
    const rec = this.record(containerId)
    const refuse = (why: string): RuntimeError => new RuntimeError('RunContainerError', `failed to start container "${rec.hex}": ${why}`)
    if (rec.starting !== undefined) throw refuse('container is already starting')
    if (rec.state !== 'created') throw refuse(`container is in ${CRI_STATE[rec.state]} state`)
    if (this.sandboxes.get(rec.sandboxId)?.state !== 'ready') throw refuse(`sandbox "${rec.sandboxId}" is not running`)
    const delay = rec.spec.startDelay ?? 0
    if (delay === 0) return this.processes.run(rec)
    rec.starting = this.waits.wait(delay)
    try {
      await rec.starting.promise
    } finally {
      rec.starting = undefined
    }
    this.processes.run(rec)
    this.emit('container-started', rec)
  }

  async stopContainer (containerId: string, gracePeriodSeconds: number): Promise<void> {
    this.enter('stopContainer', [containerId, gracePeriodSeconds])
    await this.processes.stop(this.record(containerId), gracePeriodSeconds)
  }

  /** CRI: idempotent; a running container is killed first. */
  async removeContainer (containerId: string): Promise<void> {
    this.enter('removeContainer', [containerId])
    const rec = this.containers.get(stripScheme(containerId))
    if (rec !== undefined) this.removeRecord(rec)
  }

  async containerStatus (containerId: string): Promise<ContainerStatus> {
    this.enter('containerStatus', [containerId])
    return statusOf(this.record(containerId))
  }

  async listContainers (filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    this.enter('listContainers', [filter])
    const all = [...this.containers.values()]
    return (filter.sandboxId === undefined ? all : all.filter(c => c.sandboxId === filter.sandboxId)).map(statusOf)
  }

  // --- logs, probes, stats ----------------------------------------------------------------

  async containerLogs (containerId: string, options: LogOptions = {}): Promise<string> {
    this.enter('containerLogs', [containerId, options])
    return renderLogs(this.record(containerId).logs.entries, options)
  }

  /** Streams until stopped or the container exits; `onEnd` (not in LogService yet) says which. */
  followLogs (containerId: string, onData: (chunk: string) => void, options: FakeLogOptions = {}): () => void {
    this.enter('followLogs', [containerId, options])
    const { onEnd, ...logOptions } = options
    return this.record(containerId).logs.follow(onData, logOptions, onEnd)
  }

  async probe (containerId: string, kind: ProbeKind): Promise<{ success: boolean, message?: string }> {
    this.enter('probe', [containerId, kind])
    const rec = this.record(containerId)
    if (rec.state !== 'running') return { success: false, message: `container is in ${CRI_STATE[rec.state]} state` }
    return probeAnswer(rec.spec, kind, this.clock.now() - rec.startedAt!)
  }

  async containerStats (containerId: string, simulated?: Partial<ContainerUsage>): Promise<ContainerUsage> {
    this.enter('containerStats', [containerId])
    const rec = this.record(containerId)
    return statsOf(rec.hex, rec.state === 'running', simulated)
  }

  // --- exec, attach, port-forward: refused, there are no processes -------------------------

  async exec (containerId: string, command: string[], options: StreamOptions): Promise<StreamSession> {
    this.enter('exec', [containerId, command, options])
    this.record(containerId)
    throw new RuntimeError('Unsupported', noProcesses('exec'))
  }

  async attach (containerId: string, options: StreamOptions): Promise<StreamSession> {
    this.enter('attach', [containerId, options])
    this.record(containerId)
    throw new RuntimeError('Unsupported', noProcesses('attach'))
  }

  async portForward (sandboxId: string): Promise<PortDialer> {
    this.enter('portForward', [sandboxId])
    throw new RuntimeError('Unsupported', noProcesses('port-forward', 'and listens on no ports'))
  }

  /** Kill everything without events, cancel every timer, end log streams; later calls fail. */
  async close (): Promise<void> {
    if (this.closed) return
    this.log.record('close', [], this.clock.now())
    this.closed = true
    this.waits.cancelAll(new RuntimeError('RuntimeClosed', 'the runtime is closed'))
    for (const rec of [...this.containers.values()]) this.removeRecord(rec)
    this.reserved.clear()
    this.sandboxes.clear()
    this.podSandbox.clear()
    this.listeners.clear()
  }

  // --- internals --------------------------------------------------------------------------

  /** Record the call, then refuse it if closed or an error was injected for it. */
  private enter (method: RuntimeMethod, args: unknown[]): void {
    this.log.record(method, args, this.clock.now())
    if (this.closed) throw new RuntimeError('RuntimeClosed', 'the runtime is closed')
    const injected = this.log.take(method)
    if (injected !== undefined) throw injected
  }

  private record (containerId: string): ContainerRecord {
    const rec = this.containers.get(stripScheme(containerId))
    if (rec === undefined) {
      throw new RuntimeError('NotFound', `an error occurred when try to find container "${containerId}": not found`)
    }
    return rec
  }

  private inSandbox (sandboxId: string): ContainerRecord[] {
    return [...this.sandboxes.get(sandboxId)?.containers ?? []].map(hex => this.containers.get(hex)!)
  }

  private profileOfPod (uid: string): LifecycleProfile {
    const sandbox = this.sandboxes.get(this.podSandbox.get(uid) ?? '')
    return sandbox?.profile ?? this.profiles.get('default')
  }

  private newHex (): string {
    return Buffer.from(this.ids.bytes(32)).toString('hex')
  }

  private removeRecord (rec: ContainerRecord): void {
    this.processes.finish(rec, KILLED, false)
    rec.logs.end()
    this.containers.delete(rec.hex)
    this.reserved.delete(rec.reservedName)
    this.sandboxes.get(rec.sandboxId)?.containers.delete(rec.hex)
  }

  private emit (type: RuntimeEvent['type'], rec: ContainerRecord): void {
    const event: RuntimeEvent = { type, containerId: `containerd://${rec.hex}`, pod: rec.pod }
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (err) {
        // A listener's bug must not stop the runtime's timers (or the other listeners).
        console.error(`FakeRuntime: onEvent listener failed on ${type}:`, err)
      }
    }
  }
}
