// The container runtime as the kubelet sees it: CRI's role interfaces (images, sandboxes,
// containers, logs, probes, stats) composed into one. Two implementations pass one contract
// suite (test/runtime/contract.ts): fake/ (lifecycle profiles as data) and, later, docker/.
// Times are milliseconds since the epoch on the cluster clock.
import type { Usage } from '../api/resource-usage.ts'

export interface PodRef {
  uid: string
  namespace: string
  name: string
}

export interface SandboxConfig {
  pod: PodRef
  /** The pod IP the kubelet allocated from its node's CIDR. */
  ip: string
  hostname: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  /** The node's namespaces instead of the pod's own (hostNetwork, hostPID, hostIPC); `ip` is then the node's. */
  host?: { network?: boolean, pid?: boolean, ipc?: boolean }
  /** shareProcessNamespace: the pod's containers see one another's processes (CRI's NamespaceMode POD). */
  shareProcessNamespace?: boolean
}

export interface ContainerConfig {
  /** Container name in the pod spec. */
  name: string
  image: string
  command?: string[]
  args?: string[]
  env?: Array<{ name: string, value: string }>
  workingDir?: string
  /** Init container (runs to completion before the next one starts). */
  init: boolean
  /** 0 for the first start, +1 for each restart (CRI's attempt). */
  attempt: number
  /** The pod spec's restartPolicy: Always, OnFailure or Never. */
  restartPolicy: string
  probes?: { readiness?: boolean, liveness?: boolean, startup?: boolean }
  /** The probes' handlers as in the pod spec (exec, httpGet, tcpSocket), for runtimes that run them. */
  probeHandlers?: Partial<Record<ProbeKind, ProbeHandler>>
  /** Container ports; a hostPort is published on the node (CNI portmap). */
  ports?: ContainerPort[]
  /** Resource limits and requests (cpu in millicores, memory in bytes). */
  resources?: { cpuLimitMillis?: number, memoryLimitBytes?: number, cpuRequestMillis?: number, memoryRequestBytes?: number }
  /** Volumes mounted into the container, with their sources resolved by the kubelet. */
  mounts?: Mount[]
  /** The spec's stdin, stdinOnce and tty (CRI's): an open stdin for attach, closed when the first attach ends with stdinOnce; a terminal. */
  stdin?: boolean
  stdinOnce?: boolean
  tty?: boolean
  /** An ephemeral container's targetContainerName, as the runtime's ID of that container: it joins its process namespace (CRI's NamespaceMode TARGET). */
  targetContainerId?: string
}

export interface ContainerPort { containerPort: number, hostPort?: number, hostIP?: string, protocol?: string, name?: string }

/** exec / httpGet / tcpSocket, as in the pod spec (grpc is not run). */
export interface ProbeHandler {
  exec?: { command?: string[] }
  httpGet?: { path?: string, port: number | string, host?: string, scheme?: string, httpHeaders?: Array<{ name: string, value: string }> }
  tcpSocket?: { port: number | string, host?: string }
  timeoutSeconds?: number
}

/**
 * A file the kubelet projects into a volume (configMap, secret, downwardAPI, a service account
 * token). A function is called only by a runtime that writes the file: a token is requested
 * from the API server then, not for every pod of the fake runtime, which writes no files. Text
 * (a ConfigMap's data) stays the object's string, shared, until a runtime writes it.
 */
export interface VolumeFile { path: string, content: Buffer | string | (() => Promise<Buffer>), mode: number }

/** The file's bytes (made now if they are made on demand; a string is UTF-8). */
export async function fileContent (f: VolumeFile): Promise<Buffer> {
  return typeof f.content === 'function' ? await f.content() : typeof f.content === 'string' ? Buffer.from(f.content) : f.content
}

export type VolumeSource =
  | { type: 'emptyDir', medium?: string }
  | { type: 'hostPath', path: string, hostPathType?: string }
  | { type: 'files', files: VolumeFile[] }
  /** A volume kind k3sim cannot mount (the fake runtime ignores mounts; docker refuses it). */
  | { type: 'unsupported', message: string }

export interface Mount {
  /** The pod's volume name (volumes are per pod: two mounts of one emptyDir share it). */
  volume: string
  containerPath: string
  readOnly: boolean
  subPath?: string
  source: VolumeSource
}

export type ContainerState = 'created' | 'running' | 'exited'

export interface ContainerStatus {
  /** `containerd://<64 hex>` */
  id: string
  sandboxId: string
  name: string
  attempt: number
  state: ContainerState
  createdAt: number
  startedAt?: number
  finishedAt?: number
  exitCode?: number
  /** Completed, Error, OOMKilled (terminated). */
  reason?: string
  message?: string
  /** Normalised image, e.g. docker.io/library/nginx:1.27 */
  image: string
  /** e.g. docker.io/library/nginx@sha256:<64 hex> */
  imageRef: string
}

export interface PullResult {
  imageRef: string
  /** Bytes, for the Pulled event. */
  size: number
  /** How long the pull took on the cluster clock (0 if cached). */
  durationMs: number
  /** True when the image was already present (no pull happened). */
  cached: boolean
}

export interface PullOptions {
  pod: PodRef
  /** Always, IfNotPresent, Never. */
  pullPolicy: string
  container?: string
  /** Called when a pull from the registry begins (never for an image already present): the
   * kubelet's Pulling event comes then, before the pull's delay. */
  onPull?: () => void
}

/** An image on the node, as CRI's ListImages describes it. */
export interface NodeImage {
  repoDigests: string[]
  repoTags: string[]
  /** Bytes. */
  size: number
}

export interface ImageService {
  /** Pull (or find locally) an image; resolves when it is there. */
  pullImage(image: string, options: PullOptions): Promise<PullResult>
  /** The images on the node (the kubelet reports them in the Node's status). */
  listImages(): Promise<NodeImage[]>
}

export interface SandboxService {
  runPodSandbox(config: SandboxConfig): Promise<string>
  /** Stop every container of the sandbox (grace period in seconds), then the sandbox. */
  stopPodSandbox(sandboxId: string, gracePeriodSeconds: number): Promise<void>
  removePodSandbox(sandboxId: string): Promise<void>
}

export interface ContainerService {
  createContainer(sandboxId: string, config: ContainerConfig, pod: PodRef): Promise<string>
  startContainer(containerId: string): Promise<void>
  stopContainer(containerId: string, gracePeriodSeconds: number): Promise<void>
  removeContainer(containerId: string): Promise<void>
  containerStatus(containerId: string): Promise<ContainerStatus>
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>
}

export interface LogOptions {
  tailLines?: number
  timestamps?: boolean
  sinceTime?: number
  limitBytes?: number
}

export interface LogService {
  /** The container's log as text (one line per entry, `\n`-terminated). */
  containerLogs(containerId: string, options?: LogOptions): Promise<string>
  /** Follow: called with each new chunk until the returned function is called or the container exits. */
  followLogs(containerId: string, onData: (chunk: string) => void, options?: LogOptions & { onEnd?: () => void }): () => void
}

export type ProbeKind = 'readiness' | 'liveness' | 'startup'

export interface ProbeService {
  /** Run one probe of a running container. */
  probe(containerId: string, kind: ProbeKind): Promise<{ success: boolean, message?: string }>
}

/** A container's resource usage now: CPU as a rate in nanocores, memory as the working set. */
export type ContainerUsage = Usage

export interface StatsService {
  /**
   * The container's usage. `simulated` is what the pod asks a simulating runtime to report (the
   * `k3sim.io/usage-cpu` / `-memory` annotations); the fake runtime reports it while the container
   * runs, a real runtime measures instead.
   */
  containerStats(containerId: string, simulated?: Partial<ContainerUsage>): Promise<ContainerUsage>
}

/** The streams an exec or attach session opened (PodExecOptions / PodAttachOptions). */
export interface StreamOptions {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

/** Where a session's output goes, as it comes (stderr is merged into stdout with a TTY). */
export type StreamOutput = (stream: 'stdout' | 'stderr', data: Buffer) => void

/** One running exec or attach session (CRI's Exec/Attach and the streaming server behind it). */
export interface StreamSession {
  /** Bytes for the process's stdin (when the session asked for stdin). */
  write(data: Buffer): void
  /** Stdin is at its end. */
  closeStdin(): void
  /** The client's terminal changed size (TTY sessions). */
  resize(size: { width: number, height: number }): void
  /**
   * Resolves once the output has ended: an exec with the command's exit code, an attach when
   * the container stops or the session is closed. Rejects with what failed.
   */
  readonly done: Promise<{ exitCode?: number }>
  /** The client went away: stop streaming (an exec'd process is left to finish, as with containerd). */
  close(): void
}

/** Forwarding to a port of a pod: an open TCP connection in the pod's network namespace. */
export interface PortConnection {
  write(data: Buffer): boolean
  /** No more data from the client (half-close). */
  end(): void
  destroy(): void
  on(event: 'data', listener: (data: Buffer) => void): this
  on(event: 'end' | 'close' | 'drain', listener: () => void): this
  on(event: 'error', listener: (err: Error) => void): this
  /** Flow control toward a slow reader (a net.Socket has them). */
  pause?(): void
  resume?(): void
}

export type PortDialer = (port: number) => Promise<PortConnection>

export interface StreamingService {
  /** Run a command in a running container (`kubectl exec`). */
  exec(containerId: string, command: string[], options: StreamOptions, output: StreamOutput): Promise<StreamSession>
  /** Attach to a running container's main process (`kubectl attach`). */
  attach(containerId: string, options: StreamOptions, output: StreamOutput): Promise<StreamSession>
  /**
   * Forwarding into the sandbox's network namespace (`kubectl port-forward`): refused here if
   * the runtime cannot; each forwarded connection then dials its port (and may fail then).
   */
  portForward(sandboxId: string): Promise<PortDialer>
}

/** Something changed without the kubelet asking (a container exited): the pod needs a sync. */
export interface RuntimeEvent {
  type: 'container-exited' | 'container-started'
  containerId: string
  pod: PodRef
}

export interface Runtime extends ImageService, SandboxService, ContainerService, LogService, ProbeService, StatsService, StreamingService {
  /** `containerd://1.7.23-k3s2` for nodeInfo.containerRuntimeVersion. */
  readonly version: string
  onEvent(listener: (e: RuntimeEvent) => void): () => void
  /** Stop everything this runtime runs (node deleted or cluster stopped). */
  close(): Promise<void>
}

/** Errors the kubelet turns into container waiting reasons. */
export class RuntimeError extends Error {
  /** ErrImagePull, ImagePullBackOff, CreateContainerError, RunContainerError, … */
  readonly reason: string
  constructor (reason: string, message: string) {
    super(message)
    this.name = 'RuntimeError'
    this.reason = reason
  }
}
