// The server side of SPDY/3.1 as Kubernetes' streaming uses it (moby/spdystream): the client
// opens streams (SYN_STREAM with a zlib-compressed header block), the server answers each with a
// SYN_REPLY, both sides send DATA frames and half-close with FIN, RST_STREAM resets a stream,
// PINGs are echoed, GOAWAY ends the session. Header blocks share one zlib context per direction
// for the whole session (with SPDY/3's dictionary), so every block is inflated and frames are
// handled strictly in order. Flow control is not enforced (spdystream enforces none either).
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib'
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts'

const VERSION = 3
const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const
const FLAG_FIN = 0x01
const MAX_DATA = 0xffffff
const RST_CANCEL = 5
const GOAWAY_PROTOCOL_ERROR = 1
/**
 * Bounds on a client's header block. spdystream reads a block field by field and refuses more
 * than 1000 headers or a name or value over 1 MiB (defaultMaxHeaderCount,
 * defaultMaxHeaderFieldSize); here a block is inflated whole first, so the inflated block itself
 * is bounded at 1 MiB (a zlib bomb is refused as it inflates). Kubernetes' streams send a few
 * short headers.
 */
export const MAX_HEADER_BLOCK = 1 << 20
const MAX_HEADER_COUNT = 1000

/** A client that broke the protocol: the session answers GOAWAY (PROTOCOL_ERROR) and closes. */
export class SpdyProtocolError extends Error {}

/** The byte stream SPDY runs on: an upgraded socket, or a WebSocket carrying it. */
export interface SpdyTransport {
  write(data: Buffer): void
  end(): void
}

export interface SpdyStream {
  readonly id: number
  /** Lower-case names, as spdystream writes them. */
  readonly headers: Map<string, string>
  write(data: Buffer): void
  /** Half-close: a FIN (empty DATA frame). */
  end(): void
  reset(): void
  onData: (data: Buffer) => void
  /** The client half-closed (FIN) or reset the stream. */
  onEnd: (reset: boolean) => void
}

/**
 * One zlib context used block by block (Z_SYNC_FLUSH after each). A block that would come out
 * larger than `limit` fails as soon as it passes it, and so does the context from then on.
 */
class HeaderCodec {
  private readonly z: Inflate | Deflate
  private readonly limit: number
  private out: Buffer[] = []
  private size = 0
  private overflow = false
  private failed: ((err: Error) => void) | undefined
  constructor (z: Inflate | Deflate, limit = Infinity) {
    this.z = z
    this.limit = limit
    z.on('data', (b: Buffer) => {
      if (this.overflow) return
      this.size += b.length
      if (this.size <= this.limit) { this.out.push(b); return }
      this.overflow = true
      this.out = []
      z.destroy()
      this.failed?.(tooLarge())
    })
    z.on('error', () => {})
  }

  run (input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.overflow) { reject(tooLarge()); return }
      this.failed = reject
      this.z.once('error', reject)
      this.z.write(input)
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.z.off('error', reject)
        this.failed = undefined
        if (this.overflow) { reject(tooLarge()); return }
        const block = Buffer.concat(this.out, this.size)
        this.out = []
        this.size = 0
        resolve(block)
      })
    })
  }
}

const tooLarge = (): SpdyProtocolError => new SpdyProtocolError(`header block larger than ${MAX_HEADER_BLOCK} bytes`)

export class SpdySession {
  private readonly transport: SpdyTransport
  private readonly onStream: (s: SpdyStream) => void
  private readonly inflate = new HeaderCodec(createInflate({ dictionary: SPDY3_DICTIONARY }), MAX_HEADER_BLOCK)
  private readonly deflate = new HeaderCodec(createDeflate({ dictionary: SPDY3_DICTIONARY }))
  private readonly streams = new Map<number, SpdyStream & { fin: boolean }>()
  /** Bytes received and not yet framed, as they came (no re-concatenation per chunk). */
  private chunks: Buffer[] = []
  private buffered = 0
  /** Length of the frame being received, once its 8-byte header is in (0: not yet). */
  private need = 0
  /** The last stream the client opened (GOAWAY names it). */
  private lastStream = 0
  /** Incoming frames, handled one after the other; outgoing frames, written in order. */
  private incoming: Promise<void> = Promise.resolve()
  private outgoing: Promise<void> = Promise.resolve()
  private closed = false

  constructor (transport: SpdyTransport, onStream: (s: SpdyStream) => void) {
    this.transport = transport
    this.onStream = onStream
  }

  /** Bytes from the client. */
  receive (chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return
    this.chunks.push(chunk)
    this.buffered += chunk.length
    for (;;) {
      if (this.need === 0) {
        if (this.buffered < 8) return
        this.need = 8 + this.take(8, false).readUIntBE(5, 3)
      }
      if (this.buffered < this.need) return
      const frame = this.take(this.need, true)
      this.need = 0
      this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.fail())
    }
  }

  /** The first `n` buffered bytes (n <= buffered), removed from the buffer if `consume`. */
  private take (n: number, consume: boolean): Buffer {
    const first = this.chunks[0]
    if (first.length >= n) {
      if (consume) {
        if (first.length === n) this.chunks.shift()
        else this.chunks[0] = first.subarray(n)
        this.buffered -= n
      }
      return first.subarray(0, n)
    }
    const parts: Buffer[] = []
    let got = 0
    let used = 0
    while (got < n) {
      const c = this.chunks[used]
      const part = c.length <= n - got ? c : c.subarray(0, n - got)
      parts.push(part)
      got += part.length
      if (part === c) used++
      else if (consume) this.chunks[used] = c.subarray(part.length)
    }
    if (consume) {
      this.chunks.splice(0, used)
      this.buffered -= n
    }
    return Buffer.concat(parts, n)
  }

  /** Resolves once every frame received so far is handled and what it caused is written. */
  async flushed (): Promise<void> {
    for (;;) {
      const [i, o] = [this.incoming, this.outgoing]
      await i
      await o
      if (i === this.incoming && o === this.outgoing) return
    }
  }

  /** The transport is gone (or the session failed): every stream ends. */
  close (): void {
    if (this.closed) return
    this.closed = true
    this.chunks = []
    this.buffered = 0
    for (const s of this.streams.values()) s.onEnd(true)
    this.streams.clear()
    this.transport.end()
  }

  /** A frame the client sent broke the protocol (or could not be handled): GOAWAY, and close. */
  private fail (): void {
    if (this.closed) return
    this.transport.write(controlFrame(TYPE.goAway, 0, Buffer.concat([u32(this.lastStream), u32(GOAWAY_PROTOCOL_ERROR)])))
    this.close()
  }

  private async handle (frame: Buffer): Promise<void> {
    if (this.closed) return
    const flags = frame[4]
    if ((frame[0] & 0x80) === 0) {
      const s = this.streams.get(frame.readUInt32BE(0) & 0x7fffffff)
      if (s === undefined) return
      if (frame.length > 8) s.onData(Buffer.from(frame.subarray(8)))
      if ((flags & FLAG_FIN) !== 0) { s.fin = true; s.onEnd(false) }
      return
    }
    if ((frame.readUInt16BE(0) & 0x7fff) !== VERSION) throw new Error('unsupported SPDY version')
    switch (frame.readUInt16BE(2)) {
      case TYPE.synStream: {
        const id = frame.readUInt32BE(8) & 0x7fffffff
        const headers = parseHeaders(await this.inflate.run(frame.subarray(18)))
        if (this.closed) return
        this.lastStream = Math.max(this.lastStream, id)
        const stream = this.newStream(id, headers)
        this.streams.set(id, stream)
        this.send(async () => controlFrame(TYPE.synReply, 0, Buffer.concat([u32(id), await this.deflate.run(u32(0))])))
        this.onStream(stream)
        if ((flags & FLAG_FIN) !== 0) { stream.fin = true; stream.onEnd(false) }
        return
      }
      case TYPE.headers: await this.inflate.run(frame.subarray(12)); return
      case TYPE.rstStream: {
        const id = frame.readUInt32BE(8) & 0x7fffffff
        const s = this.streams.get(id)
        this.streams.delete(id)
        s?.onEnd(true)
        return
      }
      case TYPE.ping: this.send(async () => Buffer.from(frame)); return
      case TYPE.goAway: this.close(); return
      default: // SETTINGS, WINDOW_UPDATE and anything else: nothing to do
    }
  }

  private newStream (id: number, headers: Map<string, string>): SpdyStream & { fin: boolean } {
    let ended = false
    const stream = {
      id,
      headers,
      fin: false,
      write: (data: Buffer) => {
        if (ended) return
        for (let at = 0; at < data.length; at += MAX_DATA) {
          const part = data.subarray(at, at + MAX_DATA)
          this.send(async () => Buffer.concat([dataHeader(id, 0, part.length), part]))
        }
      },
      end: () => {
        if (ended) return
        ended = true
        this.send(async () => dataHeader(id, FLAG_FIN, 0))
        if (stream.fin) this.streams.delete(id)
      },
      reset: () => {
        ended = true
        this.streams.delete(id)
        this.send(async () => controlFrame(TYPE.rstStream, 0, Buffer.concat([u32(id), u32(RST_CANCEL)])))
      },
      onData: (_data: Buffer) => {},
      onEnd: (_reset: boolean) => {},
    }
    return stream
  }

  private send (make: () => Promise<Buffer>): void {
    this.outgoing = this.outgoing.then(async () => {
      const frame = await make()
      if (!this.closed) this.transport.write(frame)
    }).catch(() => this.close())
  }
}

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0, 0); return b }

function controlFrame (type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8)
  h.writeUInt16BE(0x8000 | VERSION, 0)
  h.writeUInt16BE(type, 2)
  h[4] = flags
  h.writeUIntBE(payload.length, 5, 3)
  return Buffer.concat([h, payload])
}

function dataHeader (id: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8)
  h.writeUInt32BE(id & 0x7fffffff, 0)
  h[4] = flags
  h.writeUIntBE(length, 5, 3)
  return h
}

/** A name/value header block: count, then length-prefixed names and values (NUL separates repeats). */
export function parseHeaders (block: Buffer): Map<string, string> {
  const headers = new Map<string, string>()
  let at = 4
  const take = (): string => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block')
    const n = block.readUInt32BE(at)
    if (n > block.length - at - 4) throw new SpdyProtocolError('truncated header block')
    const s = block.toString('utf8', at + 4, at + 4 + n)
    at += 4 + n
    return s
  }
  if (block.length < 4) throw new SpdyProtocolError('truncated header block')
  const count = block.readUInt32BE(0)
  if (count > MAX_HEADER_COUNT) throw new SpdyProtocolError(`more than ${MAX_HEADER_COUNT} headers`)
  for (let i = count; i > 0; i--) {
    const name = take()
    headers.set(name.toLowerCase(), take().split('\0')[0])
  }
  return headers
}
