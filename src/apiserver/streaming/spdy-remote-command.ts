// exec and attach over SPDY/3.1 (`POST`, `Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version:
// v5.channel.k8s.io, v4.channel.k8s.io, …`): what kubectl falls back to when its WebSocket
// attempt is refused (say, RBAC allows `create` on pods/exec but not `get`), and what older
// client-go tools speak. The kubelet's server: the client opens an error stream, then stdin,
// stdout, stderr and (with a TTY) resize streams as asked; once all are there the session runs;
// at its end the Status goes on the error stream (JSON from v4 on, a failure's text before) and
// every stream is closed.
import type { Request } from 'express'
import { RealClock, type Clock } from '../../util/clock.ts'
import { abandon, statusFor, type ChannelStatus, type RemoteCommandRequest, takeJsonObjects } from './remote-command.ts'
import { SpdySession, type SpdyStream } from './spdy.ts'
import type { Upgrade } from './upgrade.ts'

/** The kubelet's SPDY protocols, newest first. */
export const SPDY_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']

/** httpstream.Handshake: the first protocol the client lists that the server has. */
export function negotiateSpdy (req: Request): { protocol?: string, offered: string[] } {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
  return { protocol: offered.find(p => SPDY_PROTOCOLS.includes(p)), offered }
}

/**
 * How long the client has to open its streams once the connection is upgraded: the kubelet's
 * streaming server (and containerd's) use remotecommand's DefaultStreamCreationTimeout, 30 s, and
 * close the connection when it passes. A network timeout, so on the real clock whatever clock
 * the cluster runs on.
 */
export const STREAM_CREATION_TIMEOUT = 30_000

export interface SpdyRemoteCommand extends RemoteCommandRequest {
  upgrade: Upgrade
  /** The clock the stream-creation timeout runs on (default: real time). */
  clock?: Clock
}

export function serveSpdyRemoteCommand (rc: SpdyRemoteCommand): void {
  const { socket, head } = rc.upgrade
  const opened = new Map<string, SpdyStream>()
  const wanted = ['error', ...rc.streams.stdin ? ['stdin'] : [], ...rc.streams.stdout ? ['stdout'] : [],
    ...rc.streams.stderr ? ['stderr'] : [], ...rc.streams.tty && rc.protocol !== 'v2.channel.k8s.io' && rc.protocol !== 'channel.k8s.io' ? ['resize'] : []]
  let gone = false
  let running = false
  let resizeText = ''
  // The SPDY session ends (the client's GOAWAY, a protocol error, or leave() below): so does the connection.
  const spdy = new SpdySession({ write: b => { socket.write(b) }, end: () => leave() }, s => {
    const type = s.headers.get('streamtype') ?? ''
    if (gone || !wanted.includes(type) || opened.has(type)) { s.reset(); return }
    opened.set(type, s)
    if (type === 'stdin') {
      s.onData = d => { void rc.started.then(x => x.write(d), () => {}) }
      s.onEnd = () => { void rc.started.then(x => x.closeStdin(), () => {}) }
    } else if (type === 'resize') {
      s.onData = d => {
        resizeText += d.toString('utf8')
        for (const size of takeJsonObjects(resizeText, rest => { resizeText = rest })) {
          const { Width = 0, Height = 0 } = size as { Width?: number, Height?: number }
          void rc.started.then(x => x.resize({ width: Width, height: Height }), () => {})
        }
      }
    }
    if (opened.size === wanted.length) run()
  })
  // The client left (before its streams were all open, while the session ran, or after it
  // ended), never opened them in time, or the SPDY session ended: the kubelet's session is
  // closed, and the connection (once what was written is flushed; a half-open one is not kept).
  const leave = (): void => {
    if (gone) return
    gone = true
    waiting.cancel()
    abandon(rc.started, rc.output)
    spdy.close()
    if (socket.destroyed || socket.writableFinished) socket.destroy()
    else { socket.once('finish', () => socket.destroy()); socket.end() }
  }
  const waiting = (rc.clock ?? new RealClock()).setTimeout(() => { if (!running) leave() }, STREAM_CREATION_TIMEOUT)
  socket.on('close', leave)
  socket.on('error', leave)
  // The client may have gone while the kubelet was starting the session.
  if (socket.destroyed || !socket.readable || !socket.writable) { leave(); return }
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${rc.protocol}`].join('\r\n') + '\r\n\r\n')
  socket.on('data', (b: Buffer) => spdy.receive(b))
  if (head.length > 0) spdy.receive(head)

  const finish = (status: ChannelStatus): void => {
    if (gone) return
    const error = opened.get('error')!
    if (rc.protocol === 'v5.channel.k8s.io' || rc.protocol === 'v4.channel.k8s.io') error.write(Buffer.from(JSON.stringify(status)))
    else if (status.status !== 'Success') error.write(Buffer.from(String(status.message)))
    for (const s of opened.values()) s.end()
    void spdy.flushed().then(() => socket.end())
  }

  function run (): void {
    running = true
    waiting.cancel()
    rc.output.connect((name, data) => { if (!gone) opened.get(name)?.write(data) })
    rc.started.then(s => {
      if (gone) return // abandoned: closed there
      return s.done.then(r => finish(statusFor(rc.protocol, rc.kind, rc.command, r)), err => finish(statusFor(rc.protocol, rc.kind, rc.command, err)))
    }, err => finish(statusFor(rc.protocol, rc.kind, rc.command, err, true)))
  }
}
