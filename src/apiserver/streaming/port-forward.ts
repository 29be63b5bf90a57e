// pods/portforward once the pod and its kubelet said yes. kubectl 1.32 asks for SPDY/3.1
// tunnelled in a WebSocket (`SPDY/3.1+portforward.k8s.io`, served by the API server's tunneling
// handler) and falls back to a plain SPDY/3.1 upgrade; @kubernetes/client-node (and any client
// using `?ports=`) asks for the kubelet's WebSocket protocol: per port a data channel (2i) and
// an error channel (2i+1), each opened with the port as two little-endian bytes, every port
// dialled at once.
import type { Request, Response } from 'express'
import type { KubeObject } from '../../api/object.ts'
import type { ForwardedConnection } from './options.ts'
import { serveSpdyPortForward, TUNNELING_PROTOCOL } from './spdy-port-forward.ts'
import { takeUpgrade, type Upgrade } from './upgrade.ts'
import { offeredProtocols, WebSocket } from './websocket.ts'

/** The kubelet's WebSocket port-forward protocols ('' is a client that names none). */
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', '']

export interface PortForwardRequest {
  req: Request
  res: Response
  pod: KubeObject
  /** ?ports= (the WebSocket protocol); SPDY streams name their port themselves. */
  ports: number[]
  dial: (port: number) => Promise<ForwardedConnection>
  websocket: boolean
}

export async function servePortForward (pf: PortForwardRequest): Promise<void> {
  const offered = offeredProtocols(pf.req)
  if (!pf.websocket || offered.includes(TUNNELING_PROTOCOL)) { serveSpdyPortForward(pf); return }
  const protocol = offered.length === 0 ? '' : offered.find(p => CHANNEL_PROTOCOLS.includes(p))
  // The kubelet's refusals, passed through by the API server's proxy.
  if (protocol === undefined) { pf.res.status(403).type('text/plain').send(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [v4.channel.k8s.io v4.base64.channel.k8s.io]`); return }
  if (pf.ports.length === 0) { pf.res.status(400).type('text/plain').send('query parameter "port" is required'); return }
  if (pf.ports.includes(0)) { pf.res.status(400).type('text/plain').send(`port "${pf.ports.join(',')}" must be > 0`); return }
  const upgrade = takeUpgrade(pf.req)
  if (upgrade === undefined) { pf.res.status(400).type('text/plain').send('Upgrade request required'); return }
  const ws = acceptOrDrop(pf, upgrade, protocol)
  if (ws !== undefined) serveChannels(ws, pf)
}

/** The WebSocket, or undefined if `ws` refused the handshake (answering it) or the client is gone. */
export function acceptOrDrop (pf: PortForwardRequest, upgrade: Upgrade, protocol: string): WebSocket | undefined {
  try {
    return WebSocket.accept(pf.req, upgrade.socket, upgrade.head, protocol)
  } catch {
    if (!upgrade.socket.destroyed && !upgrade.socket.writableEnded) upgrade.socket.destroy()
    return undefined
  }
}

function serveChannels (ws: WebSocket, pf: PortForwardRequest): void {
  const conns: Array<ForwardedConnection | undefined> = []
  const queued: Buffer[][] = pf.ports.map(() => [])
  let open = pf.ports.length
  const send = (ch: number, data: Buffer): void => { ws.send(Buffer.concat([Buffer.from([ch]), data])) }
  const portDone = (): void => { if (--open === 0) ws.close(1000) }
  ws.listen({
    onMessage: data => {
      const i = data[0] >> 1
      if (data.length < 2 || (data[0] & 1) === 1 || i >= pf.ports.length) return
      const conn = conns[i]
      if (conn !== undefined) conn.write(data.subarray(1))
      else queued[i]?.push(data.subarray(1))
    },
    onClose: () => { for (const c of conns) c?.destroy() },
  })
  pf.ports.forEach((port, i) => {
    const portBytes = Buffer.from([port & 0xff, port >> 8])
    send(2 * i, portBytes)
    send(2 * i + 1, portBytes)
    pf.dial(port).then(conn => {
      if (!ws.isOpen) { conn.destroy(); return }
      conns[i] = conn
      for (const b of queued[i].splice(0)) conn.write(b)
      conn.on('data', d => send(2 * i, d))
      conn.on('close', portDone)
    }, err => {
      send(2 * i + 1, Buffer.from(forwardingError(pf.pod, port, err)))
      portDone()
    })
  })
}

/** The kubelet's (containerd's) message for a connection that could not be made. */
export function forwardingError (pod: KubeObject, port: number, err: unknown): string {
  return `error forwarding port ${port} to pod ${pod.metadata.namespace}/${pod.metadata.name}, uid ${pod.metadata.uid}: ${err instanceof Error ? err.message : String(err)}`
}
