// What pods/exec, pods/attach and pods/portforward are asked, and who answers: the query as
// PodExecOptions / PodAttachOptions / PodPortForwardOptions (Go's url.Values conversions), the
// checks kube-apiserver makes before it connects to the kubelet (pkg/registry/core/pod's
// streamLocation and validateContainer, with their messages), and the kubelets behind the pods
// (wired by the cluster, as pods/log's LogSource is).
import type { KubeObject } from '../../api/object.ts'
import { badRequest, StatusError } from '../errors.ts'

/** The streams a session opened (stderr is dropped with a TTY, as the kubelet does). */
export interface SessionStreams { stdin: boolean, stdout: boolean, stderr: boolean, tty: boolean }

export type SessionOutput = (stream: 'stdout' | 'stderr', data: Buffer) => void

/** A running exec or attach (the runtime's StreamSession). */
export interface Session {
  write(data: Buffer): void
  closeStdin(): void
  resize(size: { width: number, height: number }): void
  readonly done: Promise<{ exitCode?: number }>
  close(): void
}

/** A forwarded connection (the runtime's PortConnection). */
export interface ForwardedConnection {
  write(data: Buffer): boolean
  end(): void
  destroy(): void
  on(event: 'data', listener: (data: Buffer) => void): this
  on(event: 'end' | 'close' | 'drain', listener: () => void): this
  on(event: 'error', listener: (err: Error) => void): this
  /** Flow control toward a slow reader (a net.Socket has them). */
  pause?(): void
  resume?(): void
}

/**
 * The kubelets, reached for a pod. A rejection with `upgradeRefusal` (an HTTP code) is the
 * kubelet refusing before any stream is open (pod or container not found, the runtime refusing
 * port-forward); `backendUnavailable` is no kubelet to talk to; anything else failed while
 * running (the runtime could not exec).
 */
export interface StreamSource {
  exec(pod: KubeObject, container: string, command: string[], streams: SessionStreams, output: SessionOutput): Promise<Session>
  attach(pod: KubeObject, container: string, streams: SessionStreams, output: SessionOutput): Promise<Session>
  portForward(pod: KubeObject): Promise<(port: number) => Promise<ForwardedConnection>>
}

export const upgradeRefusal = (err: unknown): number | undefined => (err as { upgradeRefusal?: number } | undefined)?.upgradeRefusal
export const backendUnavailable = (err: unknown): boolean => (err as { backendUnavailable?: boolean } | undefined)?.backendUnavailable === true

type Query = Record<string, unknown>

const values = (q: Query, name: string): string[] => {
  const v = q[name]
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String)
}

/** Convert_Slice_string_To_bool: absent is false; "0" and "false" (any case) are false; anything else true. */
const flag = (q: Query, name: string): boolean => {
  const v = values(q, name)[0]
  return v !== undefined && v !== '0' && v.toLowerCase() !== 'false'
}

export interface ExecRequest { container: string, command: string[], streams: SessionStreams }

/** PodExecOptions (command repeats) or PodAttachOptions from the query. */
export function sessionOptions (q: Query): ExecRequest {
  const tty = flag(q, 'tty')
  return {
    container: values(q, 'container')[0] ?? '',
    command: values(q, 'command'),
    streams: { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty },
  }
}

/** Convert_Slice_string_To_Slice_int32 as PodPortForwardOptions.ports reads them: "80,443" or repeated. */
export function forwardedPorts (q: Query): number[] {
  const out: number[] = []
  for (const s of values(q, 'ports')) {
    for (const v of s.split(',')) {
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw badRequest(`cannot convert to []int32: strconv.ParseUint: parsing ${JSON.stringify(v)}: ${/^\d+$/.test(v) ? 'value out of range' : 'invalid syntax'}`)
      out.push(Number(v))
    }
  }
  return out
}

interface PodSpecNames { containers?: Array<{ name: string }>, initContainers?: Array<{ name: string }>, ephemeralContainers?: Array<{ name: string }>, nodeName?: string }

/** validateContainer: the named container (any kind) or the only one; upstream's 400s otherwise. */
export function validateContainer (pod: KubeObject, container: string): string {
  const spec = pod.spec as PodSpecNames
  const all = [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []].map(c => c.name)
  const name = pod.metadata.name!
  if (container === '') {
    const containers = spec.containers ?? []
    if (containers.length === 1) return containers[0].name
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`)
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`)
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`)
  return container
}

/** streamLocation / PortForwardLocation: the pod must be on a node. */
export function requireHost (pod: KubeObject): void {
  if ((pod.spec as PodSpecNames).nodeName === undefined || (pod.spec as PodSpecNames).nodeName === '') {
    throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`)
  }
}

/** UpgradeAwareHandler with upgradeRequired: a plain request is refused. */
export const upgradeRequired = (): StatusError => badRequest('Upgrade request required')
