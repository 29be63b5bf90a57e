// KV over gRPC, with the etcd3 client and raw calls, against each store kind.
import assert from 'node:assert/strict'
import { backendKinds, bytes, grpc, rejectsWith, startFacade, text, type Facade, type RawClient } from './harness.ts'

for (const kind of backendKinds) {
  describe(`etcd KV (${kind} store)`, () => {
    let f: Facade
    let kv: RawClient
    beforeEach(async () => {
      f = await startFacade({ kind })
      kv = f.raw('KV')
    })
    afterEach(() => f.close())

    it('put then get returns the value with create/mod revision and version', async () => {
      await f.client.put('foo').value('bar')
      await f.client.put('foo').value('baz')
      const r = await f.client.get('foo').exec()
      assert.equal(r.kvs[0].value.toString(), 'baz')
      assert.deepEqual([r.kvs[0].create_revision, r.kvs[0].mod_revision, r.kvs[0].version], ['2', '3', '2'])
      assert.equal(r.header.revision, '3')
      assert.equal(r.header.raft_term, '2')
      assert.notEqual(r.header.member_id, '0')
    })

    it('a prefix get returns the keys in byte order, any byte round-tripping', async () => {
      for (const k of ['p/b', 'p/a', 'p/\xff', 'q']) await kv.unary('Put', { key: bytes(k), value: bytes('v') })
      const r = await kv.unary('Range', { key: bytes('p/'), range_end: bytes('p0') })
      assert.deepEqual(r.kvs.map((x: any) => text(x.key)), ['p/a', 'p/b', 'p/\xff'])
      assert.equal(r.count, '3')
      const viaClient = await f.client.getAll().prefix('p/').keyBuffers()
      assert.deepEqual(viaClient.map(text), ['p/a', 'p/b', 'p/\xff'])
    })

    it('a get at an older revision reads that history', async () => {
      await f.client.put('foo').value('one')
      await f.client.put('foo').value('two')
      assert.equal(await f.client.get('foo').revision(2).string(), 'one')
    })

    it('range_end "\\0" reads every key from the key on', async () => {
      for (const k of ['a', 'b', 'c']) await f.client.put(k).value(k)
      const r = await kv.unary('Range', { key: bytes('b'), range_end: Buffer.from([0]) })
      assert.deepEqual(r.kvs.map((x: any) => text(x.key)), ['b', 'c'])
    })

    it('a range_end at or below the key is an empty range, not an error (as etcd)', async () => {
      await f.client.put('b').value('v')
      const r = await kv.unary('Range', { key: bytes('b'), range_end: bytes('a') })
      assert.deepEqual([r.kvs, r.count, r.header.revision], [[], '0', '2'])
      const d = await kv.unary('DeleteRange', { key: bytes('b'), range_end: bytes('b') })
      assert.equal(d.deleted, '0')
      assert.equal(await f.client.get('b').string(), 'v')
    })

    it('limit cuts the result and sets more; count ignores the limit', async () => {
      for (const k of ['a', 'b', 'c']) await f.client.put(k).value(k)
      const r = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), limit: 2 })
      assert.deepEqual([r.kvs.length, r.more, r.count], [2, true, '3'])
      const all = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), limit: 3 })
      assert.deepEqual([all.kvs.length, all.more], [3, false])
    })

    it('sorts by mod revision descending, then applies the limit', async () => {
      for (const k of ['a', 'b', 'c']) await f.client.put(k).value(k)
      await f.client.put('a').value('again')
      const r = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), sort_order: 'DESCEND', sort_target: 'MOD', limit: 2 })
      assert.deepEqual(r.kvs.map((x: any) => text(x.key)), ['a', 'c'])
      assert.equal(r.more, true)
    })

    it('min_mod_revision filters kvs but not count', async () => {
      for (const k of ['a', 'b', 'c']) await f.client.put(k).value(k)
      const r = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), min_mod_revision: 3 })
      assert.deepEqual(r.kvs.map((x: any) => text(x.key)), ['b', 'c'])
      assert.equal(r.count, '3')
    })

    it('count_only returns the count alone; keys_only drops values', async () => {
      for (const k of ['a', 'b']) await f.client.put(k).value('v')
      const c = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), count_only: true })
      assert.deepEqual([c.kvs, c.count], [[], '2'])
      const k = await kv.unary('Range', { key: bytes('a'), range_end: bytes('z'), keys_only: true })
      assert.deepEqual(k.kvs.map((x: any) => x.value.length), [0, 0])
    })

    it('put with prev_kv returns the previous pair; ignore_value keeps the value', async () => {
      await f.client.put('foo').value('one')
      const p = await kv.unary('Put', { key: bytes('foo'), value: bytes('two'), prev_kv: true })
      assert.equal(text(p.prev_kv.value), 'one')
      await kv.unary('Put', { key: bytes('foo'), ignore_value: true })
      const r = await f.client.get('foo').exec()
      assert.deepEqual([r.kvs[0].value.toString(), r.kvs[0].version], ['two', '3'])
    })

    it('delete with prev_kv returns the count and the deleted pairs', async () => {
      for (const k of ['d/1', 'd/2']) await f.client.put(k).value(k)
      const r = await kv.unary('DeleteRange', { key: bytes('d/'), range_end: bytes('d0'), prev_kv: true })
      assert.equal(r.deleted, '2')
      assert.deepEqual(r.prev_kvs.map((x: any) => text(x.value)), ['d/1', 'd/2'])
      assert.equal(await f.client.get('d/1').string(), null)
    })

    it('txn runs the success branch when the compare holds, the failure branch otherwise', async () => {
      await f.client.put('foo').value('bar')
      const yes = await f.client.if('foo', 'Value', '==', 'bar').then(f.client.put('foo').value('new')).else(f.client.get('foo')).commit()
      assert.equal(yes.succeeded, true)
      assert.equal(await f.client.get('foo').string(), 'new')
      const no = await f.client.if('foo', 'Mod', '==', 2).then(f.client.put('foo').value('x')).else(f.client.get('foo')).commit()
      assert.equal(no.succeeded, false)
      assert.equal(no.responses[0].response_range?.kvs[0].value.toString(), 'new')
      assert.equal(await f.client.get('foo').string(), 'new')
    })

    it('txn reports the revision each operation saw, as etcd does', async () => {
      await f.client.put('foo').value('bar') // revision 2
      const r = await kv.unary('Txn', { success: [{ request_range: { key: bytes('foo') } }, { request_put: { key: bytes('t'), value: bytes('v') } }, { request_range: { key: bytes('t') } }] })
      assert.deepEqual(r.responses.map((x: any) => x[x.response].header.revision), ['2', '3', '3'])
      assert.equal(r.header.revision, '3')
    })

    it('compaction: a read below it is OutOfRange "compacted", above the head "future revision"', async () => {
      for (const v of ['1', '2', '3']) await f.client.put('foo').value(v)
      await kv.unary('Compact', { revision: 3 })
      await rejectsWith(kv.unary('Range', { key: bytes('foo'), revision: 2 }), grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted')
      await rejectsWith(kv.unary('Compact', { revision: 2 }), grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted')
      await rejectsWith(kv.unary('Range', { key: bytes('foo'), revision: 99 }), grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision')
      await rejectsWith(kv.unary('Range', { key: bytes('foo'), range_end: bytes('a'), revision: 99 }), grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision')
      assert.equal(await f.client.get('foo').revision(3).string(), '2')
    })
  })
}
