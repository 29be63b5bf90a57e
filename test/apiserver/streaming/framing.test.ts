// The streaming subresources' wire formats, byte by byte: the WebSocket server (RFC 6455's own
// handshake example, masked and fragmented client frames, ping/pong, the closing handshake),
// SPDY/3.1 sessions against a client-side zlib context with the SPDY/3 dictionary, and Docker's
// multiplexed exec stream.
import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { Duplex } from 'node:stream'
import { constants, deflateSync, inflateSync, createDeflate, createInflate } from 'node:zlib'
import { WebSocket } from '../../../src/apiserver/streaming/websocket.ts'
import { parseHeaders, SpdySession } from '../../../src/apiserver/streaming/spdy.ts'
import { SPDY3_DICTIONARY } from '../../../src/apiserver/streaming/spdy-dictionary.ts'
import { DockerDemuxer } from '../../../src/runtime/docker/exec.ts'

/** A socket whose writes are collected and whose reads the test pushes. */
class FakeSocket extends Duplex {
  written: Buffer[] = []
  ended = false
  override _read (): void {}
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void { this.written.push(Buffer.from(chunk)); cb() }
  override _final (cb: () => void): void { this.ended = true; cb() }
  collected (): Buffer { const b = Buffer.concat(this.written); this.written = []; return b }
}

/** A masked client frame. */
function clientFrame (opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4])
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]))
  const len = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff])
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), len, mask, masked])
}

const request = (headers: Record<string, string>): IncomingMessage => ({ method: 'GET', headers } as unknown as IncomingMessage)

describe('streaming framing', () => {
  describe('WebSocket server', () => {
    it("answers RFC 6455's example key with its example accept value and the chosen protocol", () => {
      const socket = new FakeSocket()
      WebSocket.accept(request({ 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }), socket, Buffer.alloc(0), 'v5.channel.k8s.io')
      assert.equal(socket.collected().toString(), 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n')
    })

    it('unmasks and reassembles fragmented messages, answers pings between fragments, echoes the close', () => {
      const socket = new FakeSocket()
      const ws = WebSocket.accept(request({ 'sec-websocket-key': 'x' }), socket, clientFrame(2, Buffer.from([0, 104])), '')
      socket.collected()
      const messages: string[] = []
      let closed = false
      ws.listen({ onMessage: d => messages.push(d.toString('latin1')), onClose: () => { closed = true } })
      const frames = Buffer.concat([clientFrame(2, Buffer.from('ab'), false), clientFrame(9, Buffer.from('p')), clientFrame(0, Buffer.from('c'.repeat(200)))])
      // Split anywhere: the parser waits for whole frames.
      socket.push(frames.subarray(0, 5))
      socket.push(frames.subarray(5))
      socket.push(clientFrame(8, Buffer.from([0x03, 0xe8])))
      return new Promise<void>(resolve => setImmediate(() => {
        assert.deepEqual(messages, ['\x00h', 'ab' + 'c'.repeat(200)])
        assert.deepEqual([...socket.collected()], [0x8a, 1, 0x70, 0x88, 2, 0x03, 0xe8])
        assert.ok(closed)
        assert.ok(socket.ended)
        resolve()
      }))
    })

    it('sends unmasked binary frames with 16-bit lengths past 125 bytes', () => {
      const socket = new FakeSocket()
      const ws = WebSocket.accept(request({ 'sec-websocket-key': 'x' }), socket, Buffer.alloc(0), '')
      socket.collected()
      ws.send(Buffer.alloc(300, 7))
      const out = socket.collected()
      assert.deepEqual([...out.subarray(0, 4)], [0x82, 126, 1, 44])
      assert.equal(out.length, 304)
    })

    it('refuses an unmasked client frame with 1002', () => {
      const socket = new FakeSocket()
      const ws = WebSocket.accept(request({ 'sec-websocket-key': 'x' }), socket, Buffer.alloc(0), '')
      socket.collected()
      ws.listen({ onMessage: () => assert.fail('no message'), onClose: () => {} })
      socket.push(Buffer.from([0x82, 0x01, 0x00]))
      return new Promise<void>(resolve => setImmediate(() => { assert.deepEqual([...socket.collected()], [0x88, 2, 0x03, 0xea]); resolve() }))
    })
  })

  describe('SPDY/3.1 session', () => {
    const block = (headers: Record<string, string>): Buffer => {
      const parts = [Buffer.alloc(4)]
      parts[0].writeUInt32BE(Object.keys(headers).length)
      for (const [k, v] of Object.entries(headers)) {
        for (const s of [k, v]) { const n = Buffer.alloc(4); n.writeUInt32BE(s.length); parts.push(n, Buffer.from(s)) }
      }
      return Buffer.concat(parts)
    }

    it('reads name/value header blocks', () => {
      assert.deepEqual([...parseHeaders(block({ streamtype: 'data', port: '80' }))], [['streamtype', 'data'], ['port', '80']])
    })

    it('answers a SYN_STREAM with a SYN_REPLY the client inflates, delivers DATA and FIN, echoes PING', async () => {
      const out: Buffer[] = []
      const seen: string[] = []
      const session = new SpdySession({ write: b => out.push(b), end: () => {} }, s => {
        seen.push(`open ${s.id} ${s.headers.get('streamtype')}`)
        s.onData = d => { seen.push(`data ${d.toString()}`); s.write(Buffer.from('pong')) }
        s.onEnd = reset => { seen.push(`end ${reset}`); s.end() }
      })
      // The client's compressor: one zlib stream with the dictionary, flushed per block.
      const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY })
      const compressed: Buffer[] = []
      deflate.on('data', (b: Buffer) => compressed.push(b))
      deflate.write(block({ streamtype: 'data', port: '8080', requestid: '0' }))
      await new Promise<void>(resolve => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()))
      const headerBlock = Buffer.concat(compressed)
      const syn = Buffer.concat([Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 10 + headerBlock.length, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), headerBlock])
      syn.writeUIntBE(10 + headerBlock.length, 5, 3)
      const data = Buffer.concat([Buffer.from([0, 0, 0, 1, 0x01, 0, 0, 4]), Buffer.from('ping')])
      const ping = Buffer.from([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7])
      session.receive(Buffer.concat([syn, data, ping]))
      await session.flushed()
      assert.deepEqual(seen, ['open 1 data', 'data ping', 'end false'])
      const wire = Buffer.concat(out)
      // SYN_REPLY for stream 1 with an empty header block, then DATA "pong", then FIN, then the PING.
      assert.deepEqual([...wire.subarray(0, 4)], [0x80, 3, 0, 2])
      const replyLength = wire.readUIntBE(5, 3)
      const replyBlock = wire.subarray(12, 8 + replyLength)
      const inflate = createInflate({ dictionary: SPDY3_DICTIONARY })
      const inflated: Buffer[] = []
      inflate.on('data', (b: Buffer) => inflated.push(b))
      inflate.write(replyBlock)
      await new Promise<void>(resolve => inflate.flush(constants.Z_SYNC_FLUSH, () => resolve()))
      assert.deepEqual([...Buffer.concat(inflated)], [0, 0, 0, 0])
      const rest = wire.subarray(8 + replyLength)
      assert.deepEqual([...rest], [0, 0, 0, 1, 0, 0, 0, 4, ...Buffer.from('pong'), 0, 0, 0, 1, 0x01, 0, 0, 0, ...ping])
    })

    it('has the 1,423-byte SPDY/3 dictionary', () => {
      assert.equal(SPDY3_DICTIONARY.length, 1423)
      // zlib's FDICT header carries the dictionary's Adler-32: 0xe3c6a7c2.
      const z = deflateSync(Buffer.from('x'), { dictionary: SPDY3_DICTIONARY })
      assert.equal(z.readUInt32BE(2).toString(16), 'e3c6a7c2')
      assert.equal(inflateSync(z, { dictionary: SPDY3_DICTIONARY }).toString(), 'x')
    })
  })

  it("Docker's multiplexed stream splits into stdout and stderr across chunk boundaries", () => {
    const got: string[] = []
    const d = new DockerDemuxer((stream, data) => got.push(`${stream}:${data.toString()}`))
    const frame = (type: number, s: string): Buffer => Buffer.concat([Buffer.from([type, 0, 0, 0, 0, 0, 0, s.length]), Buffer.from(s)])
    const all = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')])
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3))
    assert.deepEqual(got, ['stdout:out\n', 'stderr:err\n', 'stdout:more'])
  })
})
