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

/** One zlib context used block by block (Z_SYNC_FLUSH after each). */
class HeaderCodec {
  private readonly z: Inflate | Deflate
  private out: Buffer[] = []
  constructor (z: Inflate | Deflate) { this.z = z; z.on('data', (b: Buffer) => this.out.push(b)); z.on('error', () => {}) }
  run (input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.z.once('error', reject)
      this.z.write(input)
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.z.off('error', reject)
        const block = Buffer.concat(this.out)
        this.out = []
        resolve(block)
      })
    })
  }
}

export class SpdySession {
  private readonly transport: SpdyTransport
  private readonly onStream: (s: SpdyStream) => void
  private readonly inflate = new HeaderCodec(createInflate({ dictionary: SPDY3_DICTIONARY }))
  private readonly deflate = new HeaderCodec(createDeflate({ dictionary: SPDY3_DICTIONARY }))
  private readonly streams = new Map<number, SpdyStream & { fin: boolean }>()
  private pending: Buffer = Buffer.alloc(0)
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
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    while (this.pending.length >= 8) {
      const size = 8 + this.pending.readUIntBE(5, 3)
      if (this.pending.length < size) return
      const frame = this.pending.subarray(0, size)
      this.pending = this.pending.subarray(size)
      this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.close())
    }
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
    for (const s of this.streams.values()) s.onEnd(true)
    this.streams.clear()
    this.transport.end()
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
    const n = block.readUInt32BE(at)
    const s = block.toString('utf8', at + 4, at + 4 + n)
    at += 4 + n
    return s
  }
  for (let i = block.readUInt32BE(0); i > 0; i--) {
    const name = take()
    headers.set(name.toLowerCase(), take().split('\0')[0])
  }
  return headers
}
