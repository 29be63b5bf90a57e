// exec/attach sessions when the connection goes wrong: a WebSocket handshake `ws` would refuse,
// a WebSocket the server cannot accept, a SPDY client that leaves before it opened its streams
// or never opens them. Whatever happens, the process lives on, no rejection is left unhandled,
// and no session the kubelet started stays open (liveSessions).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import { constants, createDeflate } from 'node:zlib'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { startControlPlane, type ControlPlane } from '../../../src/cluster/control-plane.ts'
import { liveSessions } from '../../../src/apiserver/streaming/index.ts'
import type { Session, SessionOutput, StreamSource } from '../../../src/apiserver/streaming/options.ts'
import { OutputBuffer } from '../../../src/apiserver/streaming/remote-command.ts'
import { serveSpdyRemoteCommand, STREAM_CREATION_TIMEOUT } from '../../../src/apiserver/streaming/spdy-remote-command.ts'
import { SPDY3_DICTIONARY } from '../../../src/apiserver/streaming/spdy-dictionary.ts'
import { WebSocket } from '../../../src/apiserver/streaming/websocket.ts'
import { VirtualClock } from '../../../src/util/clock.ts'
import { credentialsOf, RawClient, type KubeconfigCredentials } from '../../support/raw-https.ts'

/** A session that runs until closed (an attach to a running container); its end then rejects, as a destroyed Docker stream may. */
class StandInSession implements Session {
  closes = 0
  output: SessionOutput | undefined
  readonly closed: Promise<void>
  readonly done: Promise<{ exitCode?: number }>
  private markClosed!: () => void
  private fail!: (err: Error) => void
  constructor (output?: SessionOutput) {
    this.output = output
    this.closed = new Promise(resolve => { this.markClosed = resolve })
    this.done = new Promise((_resolve, reject) => { this.fail = reject })
  }

  write (): void {}
  closeStdin (): void {}
  resize (): void {}
  close (): void {
    this.closes++
    this.markClosed()
    this.fail(new Error('use of closed network connection'))
  }
}

/** A kubelet whose exec and attach start a StandInSession at once. */
class StandInKubelet implements StreamSource {
  readonly sessions: StandInSession[] = []
  exec = async (_pod: unknown, _c: string, _cmd: string[], _s: unknown, output: SessionOutput): Promise<Session> => this.start(output)
  attach = async (_pod: unknown, _c: string, _s: unknown, output: SessionOutput): Promise<Session> => this.start(output)
  portForward = async (): Promise<never> => { throw new Error('no port-forward here') }
  private start (output: SessionOutput): Session {
    const s = new StandInSession(output)
    this.sessions.push(s)
    return s
  }
}

/** Unhandled rejections while `body` runs (mocha swallows them; this sees them). */
async function unhandledDuring (body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = []
  const record = (reason: unknown): void => { seen.push(reason) }
  process.on('unhandledRejection', record)
  try {
    await body()
    // Rejections are reported once the microtasks run out: after a turn of the event loop.
    await new Promise(resolve => setImmediate(resolve))
  } finally {
    process.off('unhandledRejection', record)
  }
  return seen
}

/** A TLS connection to the API server as the admin. */
function open (creds: KubeconfigCredentials): Promise<TLSSocket> {
  const url = new URL(creds.server)
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: url.hostname, port: Number(url.port), ca: creds.ca, cert: creds.cert, key: creds.key, servername: 'localhost' }, () => resolve(s))
    s.once('error', reject)
  })
}

/** Send `request` and read the answer's head; `rest` is what came after it. */
function sendRequest (socket: TLSSocket, request: string): Promise<{ head: string, rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0)
    const onData = (b: Buffer): void => {
      got = Buffer.concat([got, b])
      const end = got.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      resolve({ head: got.subarray(0, end).toString('latin1'), rest: got.subarray(end + 4) })
    }
    socket.on('data', onData)
    socket.once('close', () => reject(new Error(`connection closed before an answer: ${got.toString('latin1')}`)))
    socket.write(request)
  })
}

/** The whole answer to `request` on a connection the server closes after it. */
async function exchange (creds: KubeconfigCredentials, request: string): Promise<{ status: number, body: string }> {
  const socket = await open(creds)
  const chunks: Buffer[] = []
  socket.on('data', (b: Buffer) => chunks.push(b))
  const closed = new Promise(resolve => socket.once('close', resolve))
  socket.write(request)
  await closed
  const text = Buffer.concat(chunks).toString('utf8')
  const end = text.indexOf('\r\n\r\n')
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), body: end < 0 ? '' : text.slice(end + 4) }
}

const wsKey = (): string => randomBytes(16).toString('base64')

function wsRequest (path: string, headers: Record<string, string>): string {
  const all: Record<string, string> = { Host: 'localhost', Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': wsKey(), ...headers }
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
}

function spdyRequest (path: string, protocol = 'v4.channel.k8s.io'): string {
  return `POST ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\nContent-Length: 0\r\n\r\n`
}

/** A SPDY/3.1 client's SYN_STREAMs: its one header compressor for the whole connection. */
class SpdyClient {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY })
  private readonly out: Buffer[] = []
  constructor () { this.deflate.on('data', (b: Buffer) => this.out.push(b)) }

  async synStream (id: number, headers: Record<string, string>): Promise<Buffer> {
    const parts = [u32(Object.keys(headers).length)]
    for (const [k, v] of Object.entries(headers)) for (const s of [k, v]) parts.push(u32(Buffer.byteLength(s)), Buffer.from(s))
    this.deflate.write(Buffer.concat(parts))
    await new Promise<void>(resolve => this.deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()))
    const block = Buffer.concat(this.out.splice(0))
    const frame = Buffer.concat([Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 0]), u32(id), u32(0), Buffer.from([0, 0]), block])
    frame.writeUIntBE(10 + block.length, 5, 3)
    return frame
  }
}

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b }

/** The server's frames on `socket` (after the upgrade's head; `already` came with it). */
class ServerFrames {
  private got: Buffer
  private readonly replies = new Set<number>()
  private readonly waiting = new Map<number, () => void>()
  constructor (socket: TLSSocket | Socket, already: Buffer) {
    this.got = already
    socket.on('data', (b: Buffer) => { this.got = Buffer.concat([this.got, b]); this.read() })
    this.read()
  }

  /** Resolves once the server answered stream `id` with a SYN_REPLY. */
  synReply (id: number): Promise<void> {
    if (this.replies.has(id)) return Promise.resolve()
    return new Promise(resolve => this.waiting.set(id, resolve))
  }

  private read (): void {
    while (this.got.length >= 8 && this.got.length >= 8 + this.got.readUIntBE(5, 3)) {
      const frame = this.got.subarray(0, 8 + this.got.readUIntBE(5, 3))
      this.got = this.got.subarray(frame.length)
      if (frame[0] === 0x80 && frame[3] === 2) {
        const id = frame.readUInt32BE(8) & 0x7fffffff
        this.replies.add(id)
        this.waiting.get(id)?.()
      }
    }
  }
}

describe('streaming sessions when the connection goes wrong', function () {
  describe('WebSocket handshakes ws would refuse (a cluster on the fake runtime)', () => {
    let cluster: Cluster
    let creds: KubeconfigCredentials
    before(async () => {
      cluster = await Cluster.start({ apiServer: { port: 0 }, disable: ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server'] })
      await cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n')
      await cluster.settle()
      creds = credentialsOf(cluster.kubeconfig())
    })
    after(async () => { await cluster?.stop() })

    const cases: Array<[string, Record<string, string>, string]> = [
      ['a Sec-WebSocket-Key that is not 16 bytes of base64', { 'Sec-WebSocket-Key': 'abc' }, 'the Sec-WebSocket-Key header must be the base64 encoding of 16 bytes'],
      ['an Upgrade header naming more than websocket', { Upgrade: 'websocket, h2c' }, 'the Upgrade header must be "websocket", not "websocket, h2c"'],
      ['an empty subprotocol in Sec-WebSocket-Protocol', { 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io,,v4.channel.k8s.io' }, 'invalid Sec-WebSocket-Protocol header "v5.channel.k8s.io,,v4.channel.k8s.io"'],
      ['a subprotocol offered twice', { 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io, v5.channel.k8s.io' }, 'invalid Sec-WebSocket-Protocol header "v5.channel.k8s.io, v5.channel.k8s.io"'],
    ]
    for (const [what, headers, message] of cases) {
      it(`${what}: a 400 Status before any session starts, and the server answers on`, async () => {
        const unhandled = await unhandledDuring(async () => {
          for (const path of ['/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', '/api/v1/namespaces/default/pods/web/attach?stdout=true']) {
            const r = await exchange(creds, wsRequest(path, { 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io', ...headers }))
            assert.equal(r.status, 400, r.body)
            assert.deepEqual(JSON.parse(r.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 })
          }
          const pod = await new RawClient(cluster.kubeconfig()).get('/api/v1/namespaces/default/pods/web')
          assert.equal(pod.status, 200)
        })
        assert.deepEqual(unhandled, [])
      })
    }
  })

  describe('a kubelet whose sessions run until closed', () => {
    let cp: ControlPlane
    let kubelet: StandInKubelet
    let creds: KubeconfigCredentials
    const exec = '/api/v1/namespaces/default/pods/web/exec?command=sh&stdin=true&stdout=true'
    const attach = '/api/v1/namespaces/default/pods/web/attach?stdin=true&stdout=true'
    before(async () => {
      cp = await startControlPlane({ apiPort: 0, etcdPort: false, scheduler: false })
      kubelet = new StandInKubelet()
      cp.core.streamSource = kubelet
      creds = credentialsOf(cp.kubeconfig())
      const r = await new RawClient(cp.kubeconfig()).sendJson('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }] },
      })
      assert.equal(r.status, 201, r.text)
    })
    after(async () => { await cp?.stop() })
    const accept = WebSocket.accept
    afterEach(() => { WebSocket.accept = accept })

    for (const [kind, path] of [['exec', exec], ['attach', attach]] as const) {
      it(`SPDY ${kind}: a client that leaves before opening all its streams leaves no session open`, async () => {
        const before = kubelet.sessions.length
        const live = liveSessions(cp.core)
        const unhandled = await unhandledDuring(async () => {
          const socket = await open(creds)
          const { head, rest } = await sendRequest(socket, spdyRequest(path))
          assert.match(head, /^HTTP\/1\.1 101 /)
          const session = kubelet.sessions[before]
          assert.equal(liveSessions(cp.core), live + 1)
          // Only the error stream (stdin and stdout are wanted too); the server answers it, then the client goes.
          const frames = new ServerFrames(socket, rest)
          socket.write(await new SpdyClient().synStream(1, { streamtype: 'error' }))
          await frames.synReply(1)
          // The attach's output goes nowhere now: nothing holds it.
          session.output?.('stdout', Buffer.from('tick\n'))
          socket.destroy()
          await session.closed
          assert.equal(session.closes, 1)
          assert.equal(liveSessions(cp.core), live)
        })
        assert.deepEqual(unhandled, [])
      })
    }

    for (const protocol of ['v5.channel.k8s.io', 'v4.channel.k8s.io']) {
      it(`a WebSocket (${protocol}) the server cannot accept closes the session the kubelet started`, async () => {
        // What `ws` does when it refuses a handshake or finds the client gone: no callback.
        WebSocket.accept = () => { throw new Error('the WebSocket opening handshake failed') }
        const before = kubelet.sessions.length
        const live = liveSessions(cp.core)
        const unhandled = await unhandledDuring(async () => {
          const socket = await open(creds)
          const closed = new Promise(resolve => socket.once('close', resolve))
          socket.write(wsRequest(exec, { 'Sec-WebSocket-Protocol': protocol }))
          await closed
          const session = kubelet.sessions[before]
          await session.closed
          assert.equal(liveSessions(cp.core), live)
        })
        assert.deepEqual(unhandled, [])
      })
    }

    it('a WebSocket client that leaves while its session runs leaves none open', async () => {
      const before = kubelet.sessions.length
      const live = liveSessions(cp.core)
      const socket = await open(creds)
      const { head } = await sendRequest(socket, wsRequest(attach, { 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' }))
      assert.match(head, /^HTTP\/1\.1 101 /)
      assert.equal(liveSessions(cp.core), live + 1)
      socket.destroy()
      await kubelet.sessions[before].closed
      assert.equal(liveSessions(cp.core), live)
    })
  })

  describe('SPDY stream creation timeout', () => {
    /** serveSpdyRemoteCommand on one end of a loopback TCP connection, on a virtual clock. */
    async function served (): Promise<{ client: Socket, session: StandInSession, clock: VirtualClock, rest: Buffer, close: () => void }> {
      const clock = new VirtualClock()
      const session = new StandInSession()
      const server = createServer(socket => {
        serveSpdyRemoteCommand({
          upgrade: { socket, head: Buffer.alloc(0) },
          protocol: 'v4.channel.k8s.io',
          kind: 'exec',
          command: ['sh'],
          streams: { stdin: true, stdout: true, stderr: false, tty: false },
          started: Promise.resolve(session),
          output: new OutputBuffer(),
          clock,
        })
      })
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const client = await new Promise<Socket>(resolve => {
        const c: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => resolve(c))
      })
      const rest = await new Promise<Buffer>(resolve => {
        let got = Buffer.alloc(0)
        const onData = (b: Buffer): void => {
          got = Buffer.concat([got, b])
          const end = got.indexOf('\r\n\r\n')
          if (end >= 0) { client.off('data', onData); resolve(got.subarray(end + 4)) }
        }
        client.on('data', onData)
      })
      return { client, session, clock, rest, close: () => { client.destroy(); server.close() } }
    }

    it(`closes the connection and the session when the client has not opened its streams after ${STREAM_CREATION_TIMEOUT / 1000} s`, async () => {
      const { client, session, clock, rest, close } = await served()
      try {
        const frames = new ServerFrames(client, rest)
        client.write(await new SpdyClient().synStream(1, { streamtype: 'error' }))
        await frames.synReply(1)
        const clientClosed = new Promise(resolve => client.once('close', resolve))
        await clock.advance(STREAM_CREATION_TIMEOUT - 1)
        assert.equal(session.closes, 0)
        assert.equal(client.destroyed, false)
        const unhandled = await unhandledDuring(async () => {
          await clock.advance(1)
          await session.closed
          await clientClosed
        })
        assert.deepEqual(unhandled, [])
      } finally { close() }
    })

    it('keeps a session whose streams all came in time, past the timeout', async () => {
      const { client, session, clock, rest, close } = await served()
      try {
        const spdy = new SpdyClient()
        const frames = new ServerFrames(client, rest)
        client.write(Buffer.concat([await spdy.synStream(1, { streamtype: 'error' }), await spdy.synStream(3, { streamtype: 'stdin' }), await spdy.synStream(5, { streamtype: 'stdout' })]))
        await frames.synReply(5)
        await clock.advance(STREAM_CREATION_TIMEOUT * 2)
        assert.equal(session.closes, 0)
        assert.equal(client.destroyed, false)
        const unhandled = await unhandledDuring(async () => {
          client.destroy()
          await session.closed
        })
        assert.deepEqual(unhandled, [])
      } finally { close() }
    })
  })
})
