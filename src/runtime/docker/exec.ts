// exec, attach and port-forward for the docker runtime, as containerd's streaming server serves
// them to the kubelet: `docker exec` / `docker attach` over a hijacked connection, Docker's
// multiplexed stdout/stderr frames split back into the two streams, the TTY resized on request,
// and port-forward as a TCP connection to the pod IP on the cluster's bridge network (which the
// k3sim process reaches, as the probes do).
import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { type PortConnection, type PortDialer, RuntimeError, type StreamOptions, type StreamOutput, type StreamSession } from '../runtime.ts'
import type { DockerEngine } from './engine.ts'
import { LABEL } from './labels.ts'

/**
 * Splits Docker's multiplexed stream (an 8-byte header per frame: stream type 1 stdout or 2
 * stderr, three zero bytes, the payload size big-endian) into the two outputs, chunk by chunk.
 */
export class DockerDemuxer {
  private pending: Buffer = Buffer.alloc(0)
  private readonly output: StreamOutput

  constructor (output: StreamOutput) { this.output = output }

  push (chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4)
      if (this.pending.length < 8 + size) return
      const payload = this.pending.subarray(8, 8 + size)
      if (size > 0) this.output(this.pending[0] === 2 ? 'stderr' : 'stdout', Buffer.from(payload))
      this.pending = this.pending.subarray(8 + size)
    }
  }
}

/** Resolves when the hijacked stream has ended (or failed); the output went to `onData` before. */
function pump (stream: Duplex, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', onData)
    stream.once('end', () => resolve())
    stream.once('close', () => resolve())
    stream.once('error', reject)
  })
}

export async function dockerExec (engine: DockerEngine, containerId: string, command: string[], o: StreamOptions, output: StreamOutput): Promise<StreamSession> {
  const exec = await engine.execStart(containerId, command, { stdin: o.stdin, stdout: o.stdout, stderr: o.stderr && !o.tty, tty: o.tty })
  const { stream } = exec
  // Docker reports a process that cannot start (no such executable) as text on the stream and
  // exit code 126 or 127; containerd fails the exec instead. Output that starts so is held until
  // the exit code says which it was.
  let held: Array<[stream: 'stdout' | 'stderr', data: Buffer]> | undefined
  let first = true
  const forward: StreamOutput = (name, data) => {
    if (first) { first = false; if (data.toString('utf8', 0, START_FAILED.length) === START_FAILED) held = [] }
    if (held !== undefined) held.push([name, data])
    else output(name, data)
  }
  const demux = new DockerDemuxer(forward)
  let closed = false
  const done = pump(stream, chunk => { if (!closed) { if (o.tty) forward('stdout', chunk); else demux.push(chunk) } })
    .then(async () => {
      if (closed) return {}
      const exitCode = await exec.exitCode()
      if (held !== undefined && (exitCode === 126 || exitCode === 127)) {
        const text = Buffer.concat(held.map(([, d]) => d)).toString('utf8').trim()
        throw new RuntimeError('RunContainerError', `failed to exec in container: failed to start exec "${exec.id}": ${text}`)
      }
      for (const [name, data] of held ?? []) output(name, data)
      return exitCode === null ? {} : { exitCode }
    })
  return {
    write: data => { if (o.stdin && !stream.writableEnded) stream.write(data) },
    // Half-close: Docker reads it as the end of the process's stdin.
    closeStdin: () => { if (o.stdin && !stream.writableEnded) stream.end() },
    resize: size => { if (o.tty) exec.resize(size.width, size.height).catch(() => {}) },
    done,
    close: () => { closed = true; stream.destroy() },
  }
}

const START_FAILED = 'OCI runtime exec failed'

export async function dockerAttach (engine: DockerEngine, containerId: string, o: StreamOptions, output: StreamOutput): Promise<StreamSession> {
  // The container's own settings decide, as the kubelet takes the TTY from the spec: stdin
  // reaches the process only if it was created with an open stdin (the spec's `stdin`), and a
  // TTY's output is raw bytes, one stream; otherwise multiplexed frames.
  const info = await engine.inspectContainer(containerId)
  const tty = info?.tty === true
  const stdin = o.stdin && info?.openStdin === true
  const stream = await engine.attachStream(containerId, { stdin, stdout: o.stdout, stderr: o.stderr && !tty })
  const demux = new DockerDemuxer(output)
  let closed = false
  const done = pump(stream, chunk => { if (!closed) { if (tty) output('stdout', chunk); else demux.push(chunk) } }).then(() => ({}))
  return {
    write: data => { if (stdin && !stream.writableEnded) stream.write(data) },
    // Half-close: the end of this client's input (a stdinOnce container's stdin closes then).
    closeStdin: () => { if (stdin && !stream.writableEnded) stream.end() },
    resize: size => { if (tty) engine.resizeContainer(containerId, size.width, size.height).catch(() => {}) },
    done,
    close: () => { closed = true; stream.destroy() },
  }
}

interface Owner { engine: DockerEngine, cluster: string }

/** The Docker ID of a running pod container of this cluster (the runtime's `exec` target). */
export async function runningContainer (owner: Owner, containerId: string): Promise<string> {
  const info = await owner.engine.inspectContainer(containerId.replace(/^containerd:\/\//, ''))
  if (info === undefined || info.labels[LABEL.cluster] !== owner.cluster || info.labels[LABEL.kind] !== 'container') {
    throw new RuntimeError('NotFound', `an error occurred when try to find container "${containerId}": not found`)
  }
  if (!info.state.running) throw new RuntimeError('NotRunning', `container ${info.id} is not running`)
  return info.id
}

/** Connections to ports of the sandbox's pod IP. */
export async function sandboxDialer (owner: Owner, sandboxId: string): Promise<PortDialer> {
  const sandbox = await owner.engine.inspectContainer(sandboxId)
  const ip = sandbox?.labels[LABEL.podIP]
  if (sandbox === undefined || sandbox.labels[LABEL.cluster] !== owner.cluster || ip === undefined || !sandbox.state.running) {
    throw new RuntimeError('NotFound', `failed to find sandbox "${sandboxId}": not found`)
  }
  return port => dialPod(ip, port)
}

/** A TCP connection to podIP:port; rejects as the dial fails (connection refused, …). */
export function dialPod (podIP: string, port: number): Promise<PortConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: podIP, port, allowHalfOpen: true })
    const failed = (err: NodeJS.ErrnoException): void => reject(new Error(`dial tcp ${podIP}:${port}: ${describe(err)}`))
    // Once connected, an error ends the connection ('close'), which its users see: not thrown.
    socket.once('connect', () => { socket.off('error', failed); socket.on('error', () => {}); resolve(socket) })
    socket.once('error', failed)
  })
}

const describe = (err: NodeJS.ErrnoException): string => err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.message
