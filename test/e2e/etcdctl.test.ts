// The real etcdctl (v3.4, Debian's etcd-client) against a `k3sim kine` process: what it prints must
// be what it prints against a real etcd. Expected outputs were taken from etcd 3.4.23.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorLine, etcdctl, etcdctlWatch, requireEtcdctl, startKine, type KineProcess } from '../etcd/kine-process.ts'

describe('etcdctl against k3sim kine', function () {
  this.timeout(30_000)
  let dir: string
  let kine: KineProcess
  const ctl = (...args: string[]) => etcdctl(kine.endpoint, args)
  const out = async (...args: string[]) => {
    const r = await ctl(...args)
    assert.equal(r.code, 0, `etcdctl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  const revision = async () => Number(JSON.parse(await out('get', 'x', '-w', 'json')).header.revision)

  before(() => requireEtcdctl())
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3sim-kine-'))
    kine = await startKine({ dataDir: dir })
  })
  afterEach(async () => {
    await kine.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('put, get, get --prefix, get --rev, get --keys-only, del and del --prev-kv print what etcd prints', async () => {
    assert.equal(await out('put', 'foo', 'bar'), 'OK\n')
    assert.equal(await out('put', 'foo', 'baz'), 'OK\n')
    assert.equal(await out('put', 'foo2', 'x'), 'OK\n')
    assert.equal(await out('get', 'foo'), 'foo\nbaz\n')
    assert.equal(await out('get', 'foo', '--rev=2'), 'foo\nbar\n')
    assert.equal(await out('get', 'foo', '--prefix'), 'foo\nbaz\nfoo2\nx\n')
    assert.equal(await out('get', 'foo', '--prefix', '--keys-only'), 'foo\n\nfoo2\n\n')
    assert.equal(await out('del', 'foo2'), '1\n')
    assert.equal(await out('del', 'nothing'), '0\n')
    assert.equal(await out('del', 'foo', '--prev-kv'), '1\nfoo\nbaz\n')
    assert.equal(await out('get', 'foo', '--prefix'), '')
  })

  it('txn -i runs the success or the failure branch and prints their results', async () => {
    await out('put', 'foo', 'bar')
    const prompts = 'compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\n'
    const yes = await etcdctl(kine.endpoint, ['txn', '-i'], { input: 'value("foo") = "bar"\n\nput foo new\nget foo\ndel gone\n\nput foo failed\n\n' })
    assert.equal(yes.stdout, `${prompts}SUCCESS\n\nOK\n\nfoo\nnew\n\n0\n`)
    const no = await etcdctl(kine.endpoint, ['txn', '-i'], { input: 'value("foo") = "bar"\n\nput foo x\n\nput other y\nget foo\n\n' })
    assert.equal(no.stdout, `${prompts}FAILURE\n\nOK\n\nfoo\nnew\n`)
    assert.equal(await out('get', 'foo'), 'foo\nnew\n')
  })

  it('watch --prefix --prev-kv prints each event with the previous pair', async () => {
    const from = (await revision()) + 1
    const watch = etcdctlWatch(kine.endpoint, ['w', '--prefix', '--prev-kv', `--rev=${from}`])
    await out('put', 'w1', 'a')
    await out('put', 'w1', 'b')
    await out('del', 'w1')
    const text = await watch.until('DELETE\nw1\nb\nw1\n\n')
    watch.stop()
    assert.equal(text, 'PUT\nw1\na\nPUT\nw1\na\nw1\nb\nDELETE\nw1\nb\nw1\n\n')
  })

  it('a key put with a lease goes when the lease expires', async () => {
    const grant = await out('lease', 'grant', '2')
    const m = /^lease ([0-9a-f]{16}) granted with TTL\((\d+)s\)\n$/.exec(grant)
    assert.ok(m !== null, `unexpected: ${grant}`)
    const id = m[1]
    const watch = etcdctlWatch(kine.endpoint, ['leased', `--rev=${(await revision()) + 1}`])
    assert.equal(await out('put', 'leased', 'v', `--lease=${id}`), 'OK\n')
    assert.match(await out('lease', 'timetolive', id, '--keys'), new RegExp(`^lease ${id} granted with TTL\\(${m[2]}s\\), remaining\\(\\d+s\\), attached keys\\(\\[leased\\]\\)\n$`))
    await watch.until('DELETE\nleased\n\n') // the expiry, on the real clock of the kine process
    watch.stop()
    assert.equal(await out('get', 'leased'), '')
    assert.equal(await out('lease', 'timetolive', id), `lease ${id} already expired\n`)
  })

  it('lease keep-alive --once, lease list and lease revoke print what etcd prints', async () => {
    const id = /^lease ([0-9a-f]{16})/.exec(await out('lease', 'grant', '100'))![1]
    await out('put', 'held', 'v', `--lease=${id}`)
    assert.equal(await out('lease', 'keep-alive', '--once', id), `lease ${id} keepalived with TTL(100)\n`)
    assert.equal(await out('lease', 'list'), `found 1 leases\n${id}\n`)
    assert.equal(await out('lease', 'revoke', id), `lease ${id} revoked\n`)
    assert.equal(await out('get', 'held'), '')
  })

  it('after compaction, get --rev and watch --rev of a compacted revision fail as in etcd', async () => {
    for (const v of ['1', '2', '3']) await out('put', 'foo', v)
    assert.equal(await out('compact', '3'), 'compacted revision 3\n')
    const get = await ctl('get', 'foo', '--rev=2')
    assert.deepEqual([get.code, get.stdout, errorLine(get)], [1, '', 'Error: etcdserver: mvcc: required revision has been compacted'])
    const watch = await etcdctlWatch(kine.endpoint, ['foo', '--rev=2']).result
    assert.deepEqual([watch.code, watch.stdout], [5, ''])
    assert.equal(watch.stderr, 'watch was canceled (etcdserver: mvcc: required revision has been compacted)\nError: watch is canceled by the server\n')
    assert.equal(await out('get', 'foo', '--rev=3'), 'foo\n2\n')
  })

  it('endpoint status, endpoint health and member list describe one member that leads itself', async () => {
    await out('put', 'k', 'v')
    const json = await out('endpoint', 'status', '-w', 'json')
    const [s] = JSON.parse(json)
    // uint64 ids exceed 2^53: read them from the text, not from JSON.parse
    const memberId = BigInt(/"member_id":(\d+)/.exec(json)![1])
    assert.equal(/"leader":(\d+)/.exec(json)![1], memberId.toString())
    assert.equal(s.Endpoint, kine.endpoint)
    assert.equal(s.Status.version, '3.5.13')
    assert.deepEqual([s.Status.header.revision, s.Status.raftTerm, s.Status.header.raft_term], [2, 2, 2])
    assert.ok(s.Status.dbSize > 0)
    const id = memberId.toString(16) // etcdctl prints member ids with %x
    assert.match(await out('endpoint', 'status'), new RegExp(`^${kine.endpoint}, ${id}, 3\\.5\\.13, [\\d.]+ [kM]?B, true, false, 2, 2, 2, \n$`))
    const health = await ctl('endpoint', 'health')
    assert.match(health.stderr, new RegExp(`^${kine.endpoint} is healthy: successfully committed proposal: took = `))
    const url = `http://${kine.endpoint}`
    assert.equal(await out('member', 'list'), `${id}, started, k3sim, ${url}, ${url}, false\n`)
  })

  it('bad input gets etcd\'s error and changes nothing', async () => {
    await out('put', 'k', 'v')
    const before = await revision()
    const cases: Array<[string[], string]> = [
      [['get', ''], 'Error: etcdserver: key is not provided'],
      [['put', '', 'v'], 'Error: etcdserver: key is not provided'],
      [['del', ''], 'Error: etcdserver: key is not provided'],
      [['get', 'k', '--rev=99'], 'Error: etcdserver: mvcc: required revision is a future revision'],
      [['put', 'k', 'w', '--lease=1234'], 'Error: etcdserver: requested lease not found'],
      [['lease', 'revoke', '1234'], 'Error: failed to revoke lease (etcdserver: requested lease not found)'],
      [['compact', '99'], 'Error: etcdserver: mvcc: required revision is a future revision'],
    ]
    for (const [args, expected] of cases) {
      const r = await ctl(...args)
      assert.deepEqual([r.code, errorLine(r)], [1, expected], `etcdctl ${args.join(' ')}`)
    }
    // a range whose end is not after its key is empty, not an error (as in etcd)
    assert.equal(await out('get', 'k', 'a'), '')
    assert.equal(await out('del', 'k', 'a'), '0\n')
    assert.equal(await revision(), before)
    assert.equal(await out('get', 'k'), 'k\nv\n')
  })

  it('stops cleanly on SIGTERM and keeps the data for the next start', async () => {
    await out('put', 'kept', 'yes')
    assert.equal(await kine.stop(), 0)
    kine = await startKine({ dataDir: dir })
    assert.equal(await out('get', 'kept'), 'kept\nyes\n')
  })
})
