// kubectl's port-forward: SPDY/3.1 streams, tunnelled in a WebSocket (`SPDY/3.1+portforward.k8s.io`,
// kube-apiserver's tunneling handler, what kubectl 1.32 tries first) or on the upgraded
// connection itself (`Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version: portforward.k8s.io`, its
// fallback). Each forwarded connection is a pair of streams with the same `requestid`: `error`
// (the server writes a failure there) and `data`; once both are open the kubelet's handler dials
// the port and copies both ways, then closes both streams (kubelet's httpStreamHandler).
import type { ForwardedConnection } from './options.ts'
import type { PortForwardRequest } from './port-forward.ts'
import { acceptOrDrop, forwardingError } from './port-forward.ts'
import { SpdySession, type SpdyStream } from './spdy.ts'
import { takeUpgrade } from './upgrade.ts'

export const TUNNELING_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'
const STREAM_PROTOCOL = 'portforward.k8s.io'

export function serveSpdyPortForward (pf: PortForwardRequest): void {
  const spdyUpgrade = !pf.websocket && /\bSPDY\/3\.1\b/i.test(String(pf.req.headers.upgrade ?? ''))
  if (!pf.websocket && !spdyUpgrade) { pf.res.status(400).type('text/plain').send(`unable to upgrade: unsupported Upgrade header ${JSON.stringify(pf.req.headers.upgrade ?? '')}`); return }
  const offered = String(pf.req.headers['x-stream-protocol-version'] ?? '').split(',').map(s => s.trim())
  if (spdyUpgrade && !offered.includes(STREAM_PROTOCOL)) {
    // httpstream.Handshake: the kubelet serves only portforward.k8s.io.
    pf.res.status(403).type('text/plain').send(`unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered.filter(s => s !== ''))}, server supports ["${STREAM_PROTOCOL}"]`)
    return
  }
  const upgrade = takeUpgrade(pf.req)
  if (upgrade === undefined) { pf.res.status(400).type('text/plain').send('Upgrade request required'); return }
  const forwarder = new Forwarder(pf)
  if (pf.websocket) {
    const ws = acceptOrDrop(pf, upgrade, TUNNELING_PROTOCOL)
    if (ws === undefined) return
    const session = new SpdySession({ write: b => { ws.send(b) }, end: () => ws.close(1000) }, s => forwarder.stream(s))
    ws.listen({ onMessage: data => session.receive(data), onClose: () => session.close() })
    return
  }
  const { socket, head } = upgrade
  // The client may have gone while the kubelet answered.
  if (socket.destroyed || !socket.readable || !socket.writable) { socket.destroy(); return }
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${STREAM_PROTOCOL}`].join('\r\n') + '\r\n\r\n')
  const session = new SpdySession({ write: b => { socket.write(b) }, end: () => socket.end() }, s => forwarder.stream(s))
  socket.on('data', (b: Buffer) => session.receive(b))
  socket.on('close', () => session.close())
  socket.on('error', () => session.close())
  if (head.length > 0) session.receive(head)
}

interface Pair { error?: SpdyStream, data?: SpdyStream, conn?: ForwardedConnection, queued: Buffer[], clientDone: boolean }

class Forwarder {
  private readonly pf: PortForwardRequest
  private readonly pairs = new Map<string, Pair>()

  constructor (pf: PortForwardRequest) { this.pf = pf }

  stream (s: SpdyStream): void {
    const type = s.headers.get('streamtype')
    // Clients before requestid: the data stream's id names the pair, its error stream is 2 before.
    const id = s.headers.get('requestid') ?? String(type === 'error' ? s.id + 2 : s.id)
    const pair = this.pairs.get(id) ?? { queued: [], clientDone: false }
    this.pairs.set(id, pair)
    if (type === 'error') {
      pair.error = s
      s.onEnd = reset => { if (reset) this.drop(id) }
    } else if (type === 'data') {
      pair.data = s
      s.onData = d => { if (pair.conn !== undefined) pair.conn.write(d); else pair.queued.push(d) }
      s.onEnd = reset => {
        if (reset) { this.drop(id); return }
        pair.clientDone = true
        pair.conn?.end()
      }
    } else {
      s.reset()
      return
    }
    if (pair.error !== undefined && pair.data !== undefined) this.forward(id, pair)
  }

  private forward (id: string, pair: Pair): void {
    const portText = pair.data!.headers.get('port') ?? ''
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN
    const fail = (err: unknown): void => {
      pair.error!.write(Buffer.from(forwardingError(this.pf.pod, Number.isNaN(port) ? 0 : port, err)))
      this.finish(id, pair)
    }
    if (Number.isNaN(port) || port < 1 || port > 65535) { fail(new Error(`invalid port header ${JSON.stringify(portText)}`)); return }
    this.pf.dial(port).then(conn => {
      if (this.pairs.get(id) !== pair) { conn.destroy(); return }
      pair.conn = conn
      for (const b of pair.queued.splice(0)) conn.write(b)
      if (pair.clientDone) conn.end()
      conn.on('data', d => pair.data!.write(d))
      conn.on('close', () => this.finish(id, pair))
    }, fail)
  }

  /** The kubelet's handler is done with a pair: both streams closed. */
  private finish (id: string, pair: Pair): void {
    if (this.pairs.get(id) !== pair) return
    this.pairs.delete(id)
    pair.data?.end()
    pair.error?.end()
  }

  private drop (id: string): void {
    const pair = this.pairs.get(id)
    this.pairs.delete(id)
    pair?.conn?.destroy()
  }
}
