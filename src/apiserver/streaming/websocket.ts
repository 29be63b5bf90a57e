// The server side of RFC 6455 WebSockets, as small as the streaming subresources need: the
// opening handshake with one negotiated subprotocol, unmasking and reassembling the client's
// frames, answering pings, sending unmasked binary frames, and the closing handshake. No
// extensions (permessage-deflate is never negotiated, so RSV bits are an error), as with
// upstream's x/net/websocket-based wsstream.
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const
/** Largest message accepted from a client (stdin chunks and resizes are small). */
const MAX_MESSAGE = 64 * 1024 * 1024

/** What is wrong with an upgrade request, or undefined if it is a WebSocket opening handshake. */
export function handshakeProblem (req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return 'a WebSocket upgrade must be a GET'
  if (!/\bwebsocket\b/i.test(req.headers.upgrade ?? '')) return 'the Upgrade header does not name websocket'
  if (typeof req.headers['sec-websocket-key'] !== 'string') return 'the Sec-WebSocket-Key header is missing'
  if (req.headers['sec-websocket-version'] !== '13') return 'only WebSocket version 13 is supported'
  return undefined
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

/** An open WebSocket over an upgraded socket; frames are read once `listen` is called. */
export class WebSocket {
  readonly protocol: string
  private readonly socket: Duplex
  private handlers: WebSocketHandlers | undefined
  private pending: Buffer
  private fragments: Buffer[] = []
  private fragmentBinary = true
  private sentClose = false
  private closed = false

  private constructor (socket: Duplex, protocol: string, head: Buffer) {
    this.socket = socket
    this.protocol = protocol
    this.pending = head
  }

  /** Answer the opening handshake (101) with `protocol` ('' names none). */
  static accept (req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocket {
    const accept = createHash('sha1').update(String(req.headers['sec-websocket-key']) + GUID).digest('base64')
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`]
    if (protocol !== '') lines.push(`Sec-WebSocket-Protocol: ${protocol}`)
    socket.write(lines.join('\r\n') + '\r\n\r\n')
    return new WebSocket(socket, protocol, head)
  }

  /** Start reading the client's messages. */
  listen (handlers: WebSocketHandlers): void {
    this.handlers = handlers
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk))
    this.socket.on('close', () => this.gone())
    this.socket.on('error', () => this.gone())
    if (this.pending.length > 0) this.receive(Buffer.alloc(0))
  }

  get isOpen (): boolean { return !this.closed && !this.sentClose }

  /** One binary message. Returns false once the socket's buffer is full (wait for `drained`). */
  send (data: Buffer): boolean {
    if (!this.isOpen) return false
    return this.frame(OP.binary, data)
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
    if (this.closed || this.sentClose) return
    this.sentClose = true
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason))
    payload.writeUInt16BE(code, 0)
    payload.write(reason, 2)
    this.frame(OP.close, payload)
  }

  /** Drop the connection without a closing handshake. */
  destroy (): void {
    this.socket.destroy()
    this.gone()
  }

  private frame (opcode: number, payload: Buffer): boolean {
    const n = payload.length
    const header = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10)
    header[0] = 0x80 | opcode
    if (n < 126) header[1] = n
    else if (n < 65536) { header[1] = 126; header.writeUInt16BE(n, 2) } else { header[1] = 127; header.writeBigUInt64BE(BigInt(n), 2) }
    this.socket.write(header)
    return this.socket.write(payload)
  }

  private receive (chunk: Buffer): void {
    if (chunk.length > 0) this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    for (;;) {
      const f = parseFrame(this.pending)
      if (f === undefined) return
      if (typeof f === 'number') { this.fail(f); return }
      this.pending = this.pending.subarray(f.size)
      if (!this.handle(f.fin, f.opcode, f.payload)) return
    }
  }

  /** One frame; false when the connection is done with. */
  private handle (fin: boolean, opcode: number, payload: Buffer): boolean {
    switch (opcode) {
      case OP.ping: if (this.isOpen) this.frame(OP.pong, payload); return true
      case OP.pong: return true
      case OP.close:
        if (!this.sentClose) { this.sentClose = true; this.frame(OP.close, payload.subarray(0, 2)) }
        this.socket.end()
        this.gone()
        return false
      case OP.text: case OP.binary:
        if (this.fragments.length > 0) { this.fail(1002); return false }
        this.fragmentBinary = opcode === OP.binary
        break
      case OP.continuation:
        if (this.fragments.length === 0) { this.fail(1002); return false }
        break
      default: this.fail(1002); return false
    }
    this.fragments.push(payload)
    if (!fin) {
      if (this.fragments.reduce((n, b) => n + b.length, 0) > MAX_MESSAGE) { this.fail(1009); return false }
      return true
    }
    const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments)
    this.fragments = []
    if (!this.closed) this.handlers?.onMessage(message, this.fragmentBinary)
    return !this.closed
  }

  /** A protocol error: close with its code and drop the connection. */
  private fail (code: number): void {
    this.close(code)
    this.socket.end()
    this.gone()
  }

  private gone (): void {
    if (this.closed) return
    this.closed = true
    this.handlers?.onClose()
  }
}

/** The next frame in `buf`: undefined while incomplete, a close code when it is malformed. */
function parseFrame (buf: Buffer): { fin: boolean, opcode: number, payload: Buffer, size: number } | number | undefined {
  if (buf.length < 2) return undefined
  const fin = (buf[0] & 0x80) !== 0
  if ((buf[0] & 0x70) !== 0) return 1002
  const opcode = buf[0] & 0x0f
  if ((buf[1] & 0x80) === 0) return 1002 // a client must mask its frames
  let len = buf[1] & 0x7f
  let at = 2
  if (len === 126) {
    if (buf.length < 4) return undefined
    len = buf.readUInt16BE(2)
    at = 4
  } else if (len === 127) {
    if (buf.length < 10) return undefined
    const big = buf.readBigUInt64BE(2)
    if (big > BigInt(MAX_MESSAGE)) return 1009
    len = Number(big)
    at = 10
  }
  if (opcode >= 8 && (len > 125 || !fin)) return 1002
  if (len > MAX_MESSAGE) return 1009
  if (buf.length < at + 4 + len) return undefined
  const mask = buf.subarray(at, at + 4)
  const payload = Buffer.from(buf.subarray(at + 4, at + 4 + len))
  for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3]
  return { fin, opcode, payload, size: at + 4 + len }
}
