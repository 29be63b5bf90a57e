// The streaming subresources' wire formats: the WebSocket server (the ws library: the class
// over it, against a ws client), SPDY/3.1 sessions against a client-side zlib context with the SPDY/3 dictionary, and Docker's
// multiplexed exec stream.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket as WsClient } from 'ws'
import { constants, deflateSync, inflateSync, createDeflate, createInflate } from 'node:zlib'
import { WebSocket } from '../../../src/apiserver/streaming/websocket.ts'
import { MAX_HEADER_BLOCK, parseHeaders, SpdyProtocolError, SpdySession } from '../../../src/apiserver/streaming/spdy.ts'
import { SPDY3_DICTIONARY } from '../../../src/apiserver/streaming/spdy-dictionary.ts'
import { DockerDemuxer } from '../../../src/runtime/docker/exec.ts'

describe('streaming framing', () => {
  describe('WebSocket server (the ws library under a small class)', () => {
    /** A local HTTP server whose upgrades are accepted with `protocol`, and a ws client to it. */
    async function connect (protocol: string, offered: string[]): Promise<{ server: WebSocket, client: WsClient, close: () => void }> {
      let server!: WebSocket
      const http = createServer()
      const accepted = new Promise<void>(resolve => {
        http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => { server = WebSocket.accept(req, socket, head, protocol); resolve() })
      })
      await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
      const client = new WsClient(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`, offered)
      await Promise.all([accepted, new Promise(resolve => client.once('open', resolve))])
      return { server, client, close: () => { client.terminate(); http.close() } }
    }

    it('answers with the subprotocol chosen here, delivers messages sent before listen(), sends binary, closes with a code', async () => {
      const { server, client, close } = await connect('v5.channel.k8s.io', ['v4.channel.k8s.io', 'v5.channel.k8s.io'])
      try {
        assert.equal(client.protocol, 'v5.channel.k8s.io')
        assert.equal(server.protocol, 'v5.channel.k8s.io')
        client.send(Buffer.from([0, 104]))
        const messages: string[] = []
        let closed!: () => void
        const serverClosed = new Promise<void>(resolve => { closed = resolve })
        const got = new Promise<void>(resolve => server.listen({ onMessage: d => { messages.push(d.toString('latin1')); if (messages.length === 2) resolve() }, onClose: () => closed() }))
        client.send(Buffer.from('c'.repeat(70_000)))
        await got
        assert.deepEqual(messages.map(m => m.length), [2, 70_000])
        const reply = new Promise<Buffer>(resolve => client.once('message', (d: Buffer) => resolve(d)))
        assert.equal(server.send(Buffer.from([1, 111, 107])), true)
        assert.deepEqual([...await reply], [1, 111, 107])
        const code = new Promise<number>(resolve => client.once('close', (c: number) => resolve(c)))
        server.close(1000)
        assert.equal(await code, 1000)
        await serverClosed
        assert.equal(server.isOpen, false)
      } finally {
        close()
      }
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

    /** A SYN_STREAM for `id` with `headers`, compressed by a fresh client context. */
    async function synStream (id: number, headers: Record<string, string>): Promise<Buffer> {
      const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY })
      const compressed: Buffer[] = []
      deflate.on('data', (b: Buffer) => compressed.push(b))
      deflate.write(block(headers))
      await new Promise<void>(resolve => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()))
      const headerBlock = Buffer.concat(compressed)
      const syn = Buffer.concat([Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, id, 0, 0, 0, 0, 0, 0]), headerBlock])
      syn.writeUIntBE(10 + headerBlock.length, 5, 3)
      return syn
    }

    it('refuses a header block that inflates past MAX_HEADER_BLOCK: GOAWAY (PROTOCOL_ERROR), no stream, the connection ends', async () => {
      const out: Buffer[] = []
      let ended = false
      const opened: number[] = []
      const session = new SpdySession({ write: b => out.push(b), end: () => { ended = true } }, s => opened.push(s.id))
      // A few KiB on the wire, 4 MiB inflated.
      const bomb = await synStream(1, { streamtype: 'a'.repeat(4 * MAX_HEADER_BLOCK) })
      assert.ok(bomb.length < 64 * 1024)
      session.receive(bomb)
      await session.flushed()
      assert.deepEqual(opened, [])
      assert.equal(ended, true)
      // GOAWAY: last good stream 0, status 1 (PROTOCOL_ERROR).
      assert.deepEqual([...Buffer.concat(out)], [0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1])
      // Nothing more is taken from the client.
      session.receive(await synStream(3, { streamtype: 'error' }))
      await session.flushed()
      assert.deepEqual(opened, [])
    })

    it('a block just under the bound still opens its stream', async () => {
      const opened: string[] = []
      const session = new SpdySession({ write: () => {}, end: () => {} }, s => opened.push(s.headers.get('streamtype')!.slice(0, 3)))
      session.receive(await synStream(1, { streamtype: 'a'.repeat(MAX_HEADER_BLOCK - 100) }))
      await session.flushed()
      assert.deepEqual(opened, ['aaa'])
    })

    it('refuses header blocks spdystream refuses: more than 1000 headers, a length past the block', () => {
      const many = Buffer.alloc(4)
      many.writeUInt32BE(1001)
      assert.throws(() => parseHeaders(many), SpdyProtocolError)
      const truncated = block({ streamtype: 'data' })
      truncated.writeUInt32BE(1000, 4)
      assert.throws(() => parseHeaders(truncated), SpdyProtocolError)
      assert.throws(() => parseHeaders(Buffer.from([0, 0])), SpdyProtocolError)
    })

    it('frames bytes that arrive in small pieces copying each about once (not the whole backlog per piece)', async () => {
      const got: Buffer[] = []
      const session = new SpdySession({ write: () => {}, end: () => {} }, s => { s.onData = d => got.push(d) })
      session.receive(await synStream(1, { streamtype: 'data' }))
      await session.flushed()
      const payload = randomBytes(1 << 20)
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]), payload])
      frame.writeUIntBE(payload.length, 5, 3)
      const concat = Buffer.concat
      let copied = 0
      ;(Buffer as { concat: typeof Buffer.concat }).concat = (list, length) => { const b = concat(list, length); copied += b.length; return b }
      try {
        // The frame header split too (3 + 5 bytes), then 1 KiB pieces.
        session.receive(frame.subarray(0, 3))
        for (let at = 3; at < frame.length; at += 1024) session.receive(frame.subarray(at, Math.min(at + 1024, frame.length)))
      } finally {
        (Buffer as { concat: typeof Buffer.concat }).concat = concat
      }
      await session.flushed()
      assert.ok(Buffer.concat(got).equals(payload))
      assert.ok(copied <= 2 * frame.length, `copied ${copied} bytes to frame ${frame.length}`)
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
