// Server lifecycle and the `k3sim kine` command line.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseListenAddress } from '../../src/cli/kine.ts'
import { startEtcdServer } from '../../src/etcd/server.ts'
import { bytes, openTestBackend, rawClient, replies } from './harness.ts'

describe('etcd server lifecycle', () => {
  it('close() ends open watch streams, then refuses calls, and leaves the store open', async () => {
    const backend = await openTestBackend('memory')
    const server = await startEtcdServer({ backend, port: 0 })
    const kv = rawClient(server.port, 'etcdserverpb.KV')
    const watch = rawClient(server.port, 'etcdserverpb.Watch')
    const stream = watch.duplex('Watch')
    const r = replies(stream)
    stream.write({ create_request: { key: bytes('k') } })
    await r.next()
    const ended = new Promise<void>(resolve => stream.on('end', () => resolve()))
    await kv.unary('Put', { key: bytes('k'), value: bytes('v') })
    await server.close()
    await ended
    await assert.rejects(kv.unary('Put', { key: bytes('k'), value: bytes('w') }), /UNAVAILABLE/)
    assert.equal(backend.revision, 2)
    kv.close()
    watch.close()
    await backend.close()
  })

  it('two servers on one port: the second fails to bind', async () => {
    const backend = await openTestBackend('memory')
    const a = await startEtcdServer({ backend, port: 0 })
    await assert.rejects(startEtcdServer({ backend, port: a.port }), /No address added out of total 1 resolved|EADDRINUSE/)
    await a.close()
    await backend.close()
  })
})

describe('k3sim kine command line', () => {
  const cases: Array<[string, { host: string, port: number } | null]> = [
    ['127.0.0.1:2379', { host: '127.0.0.1', port: 2379 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:2379', { host: '::1', port: 2379 }],
    ['127.0.0.1', null],
    ['127.0.0.1:70000', null],
    [':2379', null],
  ]
  for (const [text, expected] of cases) {
    it(`--listen-address ${text} ${expected === null ? 'is refused' : 'is accepted'}`, () => {
      if (expected === null) assert.throws(() => parseListenAddress(text), /use HOST:PORT, e\.g\. 127\.0\.0\.1:2379/)
      else assert.deepEqual(parseListenAddress(text), expected)
    })
  }

  it('a bad flag exits 1 saying what to fix', () => {
    const r = spawnSync(process.execPath, ['src/cli/main.ts', 'kine', '--listen-address', 'nope'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      encoding: 'utf8',
    })
    assert.equal(r.status, 1)
    assert.match(r.stderr, /error: option '--listen-address <host:port>' argument 'nope' is invalid\. use HOST:PORT/)
  })
})
