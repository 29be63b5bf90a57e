// The server side of the WebSockets the streaming subresources speak, on the `ws` library: the
// opening handshake with the one subprotocol chosen here, binary messages both ways, and the
// closing handshake. No extensions (permessage-deflate is never negotiated), as with upstream's
// wsstream. A small class over `ws` keeps the callers to what they use, and to socket-level
// flow control (send() says when to wait for `drained`).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket as WsSocket } from 'ws'

/** Largest message accepted from a client (stdin chunks and resizes are small). */
const MAX_MESSAGE = 64 * 1024 * 1024

/** The subprotocol each request is to be answered with (read by handleProtocols). */
const chosen = new WeakMap<IncomingMessage, string>()
const server = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: MAX_MESSAGE,
  handleProtocols: (_offered, req) => chosen.get(req) || false,
})

/** RFC 6455's Sec-WebSocket-Key: 16 random bytes in base64 (what `ws` checks). */
const KEY = /^[+/0-9A-Za-z]{22}==$/
/** Sec-WebSocket-Protocol as `ws` parses it: tokens separated by commas, whitespace only around commas. */
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const PROTOCOL_LIST = new RegExp(`^${TOKEN}(?:[ \\t]*,[ \\t]*${TOKEN})*$`)

/**
 * What is wrong with an upgrade request, or undefined if it is a WebSocket opening handshake
 * `ws` completes. These are `ws`'s own checks (WebSocketServer.handleUpgrade and
 * completeUpgrade), made first so that a handshake it would refuse is a 400 Status before any
 * session starts: `ws` answers a refused handshake itself and never calls back.
 */
export function handshakeProblem (req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return 'a WebSocket upgrade must be a GET'
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return `the Upgrade header must be "websocket", not ${JSON.stringify(req.headers.upgrade ?? '')}`
  const key = req.headers['sec-websocket-key']
  if (key === undefined) return 'the Sec-WebSocket-Key header is missing'
  if (!KEY.test(key)) return 'the Sec-WebSocket-Key header must be the base64 encoding of 16 bytes'
  if (req.headers['sec-websocket-version'] !== '13') return 'only WebSocket version 13 is supported'
  const protocols = req.headers['sec-websocket-protocol']
  if (protocols !== undefined && !validProtocolList(protocols)) return `invalid Sec-WebSocket-Protocol header ${JSON.stringify(protocols)}`
  if (!req.socket.readable || !req.socket.writable) return 'the client closed the connection'
  return undefined
}

function validProtocolList (header: string): boolean {
  if (!PROTOCOL_LIST.test(header)) return false
  const names = header.split(',').map(p => p.trim())
  return new Set(names).size === names.length
}

/** The subprotocols the client offers, in its order of preference. */
export function offeredProtocols (req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol']
  const all = Array.isArray(h) ? h.join(',') : h ?? ''
  return all.split(',').map(p => p.trim()).filter(p => p !== '')
}

export interface WebSocketHandlers {
  /** A whole data message (binary or text). */
  onMessage(data: Buffer, binary: boolean): void
  /** The connection is gone (closing handshake done, or the socket closed or failed). */
  onClose(): void
}

/** An open WebSocket over an upgraded socket; messages are delivered once `listen` is called. */
export class WebSocket {
  readonly protocol: string
  private readonly ws: WsSocket
  private readonly socket: Duplex
  private readonly early: Array<[Buffer, boolean]> = []
  private handlers: WebSocketHandlers | undefined
  private gone = false

  private constructor (ws: WsSocket, socket: Duplex) {
    this.ws = ws
    this.socket = socket
    this.protocol = ws.protocol
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (this.handlers === undefined) this.early.push([data, binary])
      else this.handlers.onMessage(data, binary)
    })
    ws.on('close', () => this.end())
    ws.on('error', () => this.end())
  }

  /** Answer the opening handshake (101) with `protocol` ('' names none). */
  static accept (req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocket {
    chosen.set(req, protocol)
    let opened: WebSocket | undefined
    // With no verifyClient, `ws` completes the handshake before handleUpgrade returns.
    server.handleUpgrade(req, socket, head, ws => { opened = new WebSocket(ws, socket) })
    if (opened === undefined) throw new Error('the WebSocket opening handshake failed')
    return opened
  }

  /** Start delivering the client's messages (those that came already first). */
  listen (handlers: WebSocketHandlers): void {
    this.handlers = handlers
    for (const [data, binary] of this.early.splice(0)) handlers.onMessage(data, binary)
    if (this.gone) handlers.onClose()
  }

  get isOpen (): boolean { return this.ws.readyState === this.ws.OPEN }

  /** One binary message. Returns false once the socket's buffer is full (wait for `drained`). */
  send (data: Buffer): boolean {
    if (!this.isOpen) return false
    this.ws.send(data, { binary: true })
    return !this.socket.writableNeedDrain
  }

  /** Resolves when the socket can take more (after `send` returned false). */
  drained (): Promise<void> {
    if (!this.isOpen || !this.socket.writableNeedDrain) return Promise.resolve()
    return new Promise(resolve => {
      const done = (): void => { this.socket.off('drain', done); this.socket.off('close', done); resolve() }
      this.socket.on('drain', done)
      this.socket.on('close', done)
    })
  }

  /** Start the closing handshake; the socket ends when the client answers (or goes). */
  close (code = 1000, reason = ''): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason)
  }

  /** Drop the connection without a closing handshake. */
  destroy (): void {
    this.ws.terminate()
    this.end()
  }

  private end (): void {
    if (this.gone) return
    this.gone = true
    this.handlers?.onClose()
  }
}
