// HTTP upgrades for the streaming subresources. Node hands an upgrade request to the server's
// 'upgrade' listener with the raw socket instead of a response; so that it meets the same
// filter chain as every request (authentication, impersonation, authorization, the route), it is
// run through the express app with a ServerResponse on that socket (express-ws's way). The
// route then either answers it like any request (an error Status, after which the socket is
// closed) or takes the socket over (`takeUpgrade`) for the WebSocket.
import { type IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

export interface Upgrade { socket: Duplex, head: Buffer }

const pending = new WeakMap<IncomingMessage, Upgrade & { res: ServerResponse }>()
const taken = new WeakSet<IncomingMessage>()

/** pods/exec, pods/attach and pods/portforward: the upgrades the API server takes. */
const STREAMING_PATH = /^\/api\/v1\/namespaces\/[^/?]+\/pods\/[^/?]+\/(exec|attach|portforward)\/?(\?|$)/

/** Node's shouldUpgradeCallback: any other request with an Upgrade header is served as usual. */
export const isStreamingUpgrade = (req: IncomingMessage): boolean => STREAMING_PATH.test(req.url ?? '')

/** The 'upgrade' listener: run the request through `app` with a response on its socket. */
export function serveUpgrade (app: (req: IncomingMessage, res: ServerResponse) => void, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const res = new ServerResponse(req)
  pending.set(req, { socket, head, res })
  res.shouldKeepAlive = false
  res.assignSocket(socket as Socket)
  res.on('finish', () => {
    if (taken.has(req)) return
    res.detachSocket(socket as Socket)
    socket.end()
  })
  socket.on('error', () => socket.destroy())
  app(req, res)
}

/** The socket of an upgrade request, now the caller's (undefined: a plain request, no upgrade). */
export function takeUpgrade (req: IncomingMessage): Upgrade | undefined {
  const u = pending.get(req)
  if (u === undefined || taken.has(req)) return undefined
  taken.add(req)
  u.res.detachSocket(u.socket as Socket)
  return { socket: u.socket, head: u.head }
}

/** httpstream.IsUpgradeRequest: a Connection header naming upgrade. */
export function isUpgradeRequest (req: IncomingMessage): boolean {
  return /\bupgrade\b/i.test(String(req.headers.connection ?? ''))
}
