// exec and attach over a WebSocket: Kubernetes' channel protocol (k8s.io/apimachinery
// wsstream). Every binary message starts with its channel: 0 stdin (in), 1 stdout, 2 stderr,
// 3 error (out: the final Status), 4 resize (in: {"Width":…,"Height":…}), and with
// v5.channel.k8s.io 255 (in: [255, channel] closes that stream, so stdin can end).
//
// Which protocol answers is what kube-apiserver v1.32 does: a client offering v5 is served by
// the apiserver's StreamTranslatorHandler (its statuses wrap what the kubelet reported); older
// ones (v4, v3, v2, channel.k8s.io) go through to the kubelet's own WebSocket server, whose
// error channel carries a JSON Status from v4 on and plain text before.
import type { WebSocket } from './websocket.ts'
import { backendUnavailable, type Session, type SessionOutput, type SessionStreams, upgradeRefusal } from './options.ts'

export const V5 = 'v5.channel.k8s.io'
export const V4 = 'v4.channel.k8s.io'
/** The binary channel protocols served, newest first ('' is a client that named none). */
export const CHANNEL_PROTOCOLS = [V5, V4, 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']

const STDIN = 0
const STDOUT = 1
const STDERR = 2
const ERROR = 3
const RESIZE = 4
const CLOSE = 255

/** The protocol to answer with: v5 if offered (the apiserver's translator), else the kubelet's pick. */
export function chooseChannelProtocol (offered: string[]): string | undefined {
  if (offered.includes(V5)) return V5
  if (offered.length === 0) return ''
  return offered.find(p => CHANNEL_PROTOCOLS.includes(p))
}

/** metav1.Status as the error channel carries it (marshalled without kind/apiVersion). */
export type ChannelStatus = Record<string, unknown>

const SUCCESS: ChannelStatus = { metadata: {}, status: 'Success' }

const internalError = (message: string): ChannelStatus =>
  ({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 })

function exitStatus (protocol: string, exitCode: number, command: string[]): ChannelStatus {
  // The kubelet words containerd's CodeExitError; the translator words the one its SPDY client decoded.
  const inner = protocol === V5 ? `command terminated with exit code ${exitCode}` : `error executing command [${command.join(' ')}], exit code ${exitCode}`
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${inner}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  }
}

/** An exec or attach request, whatever carries it (WebSocket here, SPDY in spdy-remote-command). */
export interface RemoteCommandRequest {
  protocol: string
  kind: 'exec' | 'attach'
  command: string[]
  streams: SessionStreams
  /** The session the kubelet started (or is starting), and its output so far and to come. */
  started: Promise<Session>
  output: OutputBuffer
}

export interface RemoteCommand extends RemoteCommandRequest {
  ws: WebSocket
}

/** A session's output, kept until the WebSocket is there to take it (the kubelet may start first). */
export class OutputBuffer {
  private held: Array<[stream: 'stdout' | 'stderr', data: Buffer]> | undefined = []
  private sink: SessionOutput | undefined
  readonly write: SessionOutput = (stream, data) => {
    if (this.sink !== undefined) this.sink(stream, data)
    else this.held?.push([stream, data])
  }

  connect (sink: SessionOutput): void {
    for (const [stream, data] of this.held ?? []) sink(stream, data)
    this.held = undefined
    this.sink = sink
  }

  /** Nobody will take the output (the client is gone): drop what is held and what comes. */
  discard (): void {
    this.held = undefined
    this.sink = () => {}
  }
}

/**
 * A session nobody will serve (the client left, or its upgrade failed): close it once it has
 * started, and let neither its start nor its end be an unhandled rejection.
 */
export function abandon (started: Promise<Session>, output?: OutputBuffer): void {
  output?.discard()
  started.then(s => { s.done.catch(() => {}); s.close() }, () => {})
}

/** Serve one exec/attach session on an accepted WebSocket until it ends or the client goes. */
export function serveRemoteCommand (rc: RemoteCommand): void {
  const { ws, streams } = rc
  let session: Session | undefined
  let gone = false
  const early: Array<(s: Session) => void> = []
  const toSession = (f: (s: Session) => void): void => { if (session !== undefined) f(session); else early.push(f) }
  let resizeText = ''

  const channel = (ch: number, data: Buffer): void => { ws.send(Buffer.concat([Buffer.from([ch]), data])) }
  // wsstream tells the client the connection is up with an empty message on the lowest writable channel.
  channel(streams.stdout ? STDOUT : streams.stderr ? STDERR : ERROR, Buffer.alloc(0))

  const onMessage = (data: Buffer): void => {
    if (data.length === 0) return
    const payload = data.subarray(1)
    switch (data[0]) {
      case STDIN: if (streams.stdin) toSession(s => s.write(payload)); break
      case RESIZE: {
        resizeText += payload.toString('utf8')
        for (const size of takeJsonObjects(resizeText, rest => { resizeText = rest })) {
          const width = Number((size as { Width?: number }).Width ?? 0)
          const height = Number((size as { Height?: number }).Height ?? 0)
          toSession(s => s.resize({ width, height }))
        }
        break
      }
      case CLOSE: if (rc.protocol === V5 && payload[0] === STDIN) toSession(s => s.closeStdin()); break
    }
  }
  ws.listen({ onMessage, onClose: () => { gone = true; abandon(rc.started, rc.output) } })

  const finish = (status: ChannelStatus): void => {
    if (gone) return
    if (rc.protocol === V5 || rc.protocol === V4) channel(ERROR, Buffer.from(JSON.stringify(status)))
    // Before v4 the error channel carries only a failure's text.
    else if (status.status !== 'Success') channel(ERROR, Buffer.from(String(status.message)))
    ws.close(1000)
  }

  rc.output.connect((stream, data) => {
    if (gone) return
    if (stream === 'stdout' && streams.stdout) channel(STDOUT, data)
    else if (stream === 'stderr' && streams.stderr) channel(STDERR, data)
  })

  rc.started.then(s => {
    session = s
    if (gone) return // abandoned: closed there
    for (const f of early.splice(0)) f(s)
    return s.done.then(r => finish(statusFor(rc.protocol, rc.kind, rc.command, r)), err => finish(statusFor(rc.protocol, rc.kind, rc.command, err)))
  }, err => finish(statusFor(rc.protocol, rc.kind, rc.command, err, true)))
}

/**
 * The session's Status: Success, the command's non-zero exit, or what failed — while it ran
 * (the runtime's error, worded by the kubelet) or at its start (`atStart`: the kubelet refused).
 */
export function statusFor (protocol: string, kind: 'exec' | 'attach', command: string[], outcome: unknown, atStart = false): ChannelStatus {
  if (outcome instanceof Error || atStart) return internalError(atStart ? startFailure(kind, outcome) : runFailure(kind, outcome))
  const { exitCode } = outcome as { exitCode?: number }
  return exitCode === undefined || exitCode === 0 ? SUCCESS : exitStatus(protocol, exitCode, command)
}

/** The kubelet's streaming server: what the runtime reported while running the session. */
function runFailure (kind: 'exec' | 'attach', err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return kind === 'exec' ? `error executing command in container: ${message}` : `error attaching to container: ${message}`
}

/** The session could not start: the kubelet refused (the translator's SPDY upgrade failed), or the runtime did. */
function startFailure (kind: 'exec' | 'attach', err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  if (backendUnavailable(err)) return `error dialing backend: ${message}`
  if (upgradeRefusal(err) !== undefined) return `unable to upgrade connection: ${message}`
  return runFailure(kind, err)
}

/** Complete JSON objects at the start of `text` (a json.Decoder's stream); the rest is kept. */
export function takeJsonObjects (text: string, keep: (rest: string) => void): unknown[] {
  const out: unknown[] = []
  let rest = text.trimStart()
  for (;;) {
    const end = rest.indexOf('}')
    if (end < 0) break
    let parsed: unknown
    try { parsed = JSON.parse(rest.slice(0, end + 1)) } catch { rest = rest.slice(end + 1).trimStart(); continue }
    out.push(parsed)
    rest = rest.slice(end + 1).trimStart()
  }
  keep(rest)
  return out
}
