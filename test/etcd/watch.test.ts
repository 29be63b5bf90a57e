// Watch over gRPC: the etcd3 client for the common path, raw streams for etcd's exact replies.
import assert from 'node:assert/strict'
import { VirtualClock } from '../../src/util/clock.ts'
import { backendKinds, bytes, replies, startFacade, text, type Facade } from './harness.ts'

const compactedReason = 'etcdserver: mvcc: required revision has been compacted'

for (const kind of backendKinds) {
  describe(`etcd Watch (${kind} store)`, () => {
    let f: Facade
    afterEach(() => f.close())

    it('a prefix watch sees puts and deletes, with prev_kv when asked', async () => {
      f = await startFacade({ kind })
      const w = await f.client.watch().prefix('w/').withPreviousKV().create()
      const seen: string[] = []
      const done = new Promise<void>(resolve => w.on('data', (res) => {
        for (const ev of res.events) seen.push(`${ev.type} ${ev.kv.key.toString()}=${ev.kv.value.toString()} prev=${ev.prev_kv?.value.toString() ?? '-'}`)
        if (seen.length === 3) resolve()
      }))
      await f.client.put('w/1').value('a')
      await f.client.put('w/1').value('b')
      await f.client.delete().key('w/1')
      await done
      assert.deepEqual(seen, ['Put w/1=a prev=-', 'Put w/1=b prev=a', 'Delete w/1= prev=b'])
      await w.cancel()
    })

    it('replays history from a start revision, without prev_kv unless asked', async () => {
      f = await startFacade({ kind })
      await f.client.put('r').value('1') // rev 2
      await f.client.put('r').value('2') // rev 3
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('r'), start_revision: 2 } })
      const created = await r.next()
      assert.deepEqual([created.created, created.watch_id, created.header.revision], [true, '0', '3'])
      const batch = await r.next()
      assert.deepEqual(batch.events.map((e: any) => [e.type, text(e.kv.value), e.kv.mod_revision, e.prev_kv]), [['PUT', '1', '2', null], ['PUT', '2', '3', null]])
      stream.cancel()
    })

    it('a compacted start revision is created, then canceled with compact_revision and the reason', async () => {
      f = await startFacade({ kind })
      for (const v of ['1', '2', '3']) await f.client.put('c').value(v)
      await f.raw('KV').unary('Compact', { revision: 3 })
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('c'), start_revision: 2 } })
      const created = await r.next()
      assert.deepEqual([created.created, created.canceled], [true, false])
      const canceled = await r.next()
      assert.deepEqual([canceled.watch_id, canceled.canceled, canceled.compact_revision, canceled.cancel_reason], [created.watch_id, true, '3', compactedReason])
      stream.cancel()
    })

    it('filters NOPUT, answers cancel_request, refuses a duplicate watch_id and an empty range', async () => {
      f = await startFacade({ kind })
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('k'), filters: ['NOPUT'], watch_id: 7 } })
      assert.equal((await r.next()).watch_id, '7')
      stream.write({ create_request: { key: bytes('x'), watch_id: 7 } })
      assert.deepEqual(pick(await r.next()), { watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' })
      stream.write({ create_request: { key: bytes('b'), range_end: bytes('a') } })
      assert.deepEqual(pick(await r.next()), { watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: watcher range is empty' })
      await f.client.put('k').value('v')
      await f.client.delete().key('k')
      const del = await r.next()
      assert.deepEqual(del.events.map((e: any) => [e.type, e.kv.mod_revision]), [['DELETE', '3']])
      stream.write({ cancel_request: { watch_id: 7 } })
      assert.deepEqual(pick(await r.next()), { watch_id: '7', created: false, canceled: true, cancel_reason: '' })
      stream.cancel()
    })

    it('progress_request answers once for the stream (watch_id -1) with the current revision', async () => {
      f = await startFacade({ kind })
      await f.client.put('other').value('v')
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('k') } })
      await r.next()
      await f.client.put('other').value('w') // revision 3, not in the watched range
      stream.write({ progress_request: {} })
      const progress = await r.next()
      assert.deepEqual([progress.watch_id, progress.header.revision, progress.events], ['-1', '3', []])
      stream.cancel()
    })

    it('progress_notify sends an empty response per idle watch on each interval of the clock', async () => {
      const clock = new VirtualClock()
      f = await startFacade({ kind, clock, progressNotifyInterval: 60_000 })
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('k'), progress_notify: true } })
      const created = await r.next()
      await f.client.put('elsewhere').value('v')
      await clock.advance('1m')
      const notify = await r.next()
      assert.deepEqual([notify.watch_id, notify.header.revision, notify.events, notify.created], [created.watch_id, '2', [], false])
      stream.cancel()
    })

    it('a client that stops reading is cut off by the store\'s bounded buffer, then told why', async () => {
      f = await startFacade({ kind, watchBufferSize: 50 })
      const stream = f.raw('Watch').duplex('Watch')
      const r = replies(stream)
      stream.write({ create_request: { key: bytes('big/'), range_end: bytes('big0') } })
      await r.next()
      stream.pause()
      const value = Buffer.alloc(32 * 1024, 'x')
      for (let i = 0; i < 300; i++) await f.raw('KV').unary('Put', { key: bytes(`big/${i % 10}`), value })
      stream.resume()
      let last: any
      do last = await r.next(); while (!last.canceled)
      assert.match(last.cancel_reason, /^etcdserver: watcher is too slow/)
      const delivered = r.all.reduce((n: number, m: any) => n + m.events.length, 0)
      assert.ok(delivered < 300, `only what fitted in flow control and the buffer was delivered (${delivered})`)
      stream.cancel()
    })
  })
}

function pick (m: any): object {
  return { watch_id: m.watch_id, created: m.created, canceled: m.canceled, cancel_reason: m.cancel_reason }
}
