// ONE contract suite for every Backend (hono's runTest pattern): memory and sqlite run the same
// cases. Revisions are checked exactly: an empty store is at revision 1, as etcd is.
import assert from 'node:assert/strict'
import type { Backend, WatchEvent } from '../../src/store/backend.ts'
import { isStoreError } from '../../src/store/errors.ts'
import { prefixEnd } from '../../src/store/keys.ts'
import * as ops from '../../src/store/ops.ts'
import { VirtualClock } from '../../src/util/clock.ts'

/** Two event-loop turns: a write a timer started (queued during its microtasks) has committed by then. */
const turns = async (): Promise<void> => { for (let i = 0; i < 2; i++) await new Promise(resolve => setImmediate(resolve)) }

export interface ContractOptions {
  newBackend: (clock: VirtualClock) => Promise<Backend>
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

async function rejectsWith (p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    assert.ok(isStoreError(err), `expected a StoreError, got ${String(err)}`)
    assert.equal(err.code, code, err.message)
    return
  }
  assert.fail(`expected a ${code} error`)
}

async function take (w: { next(): Promise<WatchEvent[] | null> }, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = []
  while (out.length < n) {
    const batch = await w.next()
    if (batch === null) break
    out.push(...batch)
  }
  return out
}

export function runBackendContract (name: string, options: ContractOptions): void {
  describe(`Backend contract: ${name}`, () => {
    let clock: VirtualClock
    let b: Backend
    beforeEach(async () => { clock = new VirtualClock(); b = await options.newBackend(clock) })
    afterEach(async () => { await b.close() })

    describe('revisions and reads', () => {
      it('starts at revision 1 and gives each write the next revision', async () => {
        assert.equal(b.revision, 1)
        assert.equal((await ops.create(b, '/a', enc('1'))).revision, 2)
        assert.equal((await ops.put(b, '/b', enc('2'))).revision, 3)
        assert.equal((await ops.remove(b, '/a')).revision, 4)
        assert.equal(b.revision, 4)
      })

      it('reads a key as it was at a past revision, and not after its delete', async () => {
        const c = await ops.create(b, '/k', enc('v1'))
        const u = await ops.update(b, '/k', enc('v2'), { modRevision: c.revision })
        await ops.remove(b, '/k')
        assert.equal(dec((await ops.get(b, '/k', { revision: c.revision })).kv!.value), 'v1')
        const at = (await ops.get(b, '/k', { revision: u.revision })).kv!
        assert.deepEqual([dec(at.value), at.createRevision, at.modRevision, at.version], ['v2', c.revision, u.revision, 2])
        assert.equal((await ops.get(b, '/k')).kv, undefined)
      })

      it('lists a prefix sorted by key, with count, limit and more', async () => {
        for (const k of ['/p/c', '/p/a', '/q/x', '/p/b', '/pz']) await ops.put(b, k, enc(k))
        const all = await ops.list(b, { prefix: '/p/' })
        assert.deepEqual(all.kvs.map(kv => kv.key), ['/p/a', '/p/b', '/p/c'])
        assert.equal(all.count, 3)
        assert.equal(all.more, false)
        const page = await ops.list(b, { prefix: '/p/', limit: 2 })
        assert.deepEqual([page.kvs.map(kv => kv.key), page.more, page.count], [['/p/a', '/p/b'], true, 3])
        const next = await ops.list(b, { prefix: '/p/', limit: 2, startKey: '/p/b\0' })
        assert.deepEqual([next.kvs.map(kv => kv.key), next.more], [['/p/c'], false])
      })

      it('reads a range [key, rangeEnd), a from-key range, and count/keys only', async () => {
        for (const k of ['a', 'b', 'c', 'd']) await ops.put(b, k, enc(k + k))
        assert.deepEqual((await b.range({ key: 'b', rangeEnd: 'd' })).kvs.map(kv => kv.key), ['b', 'c'])
        assert.deepEqual((await b.range({ key: 'c', rangeEnd: '\0' })).kvs.map(kv => kv.key), ['c', 'd'])
        const counted = await b.range({ key: 'a', rangeEnd: 'z', countOnly: true })
        assert.deepEqual([counted.kvs.length, counted.count], [0, 4])
        const keys = await b.range({ key: 'a', rangeEnd: 'z', keysOnly: true })
        assert.deepEqual(keys.kvs.map(kv => kv.value.length), [0, 0, 0, 0])
      })

      it('answers a read synchronously too (rangeNow), as range does; refuses one when closed', async () => {
        for (const k of ['a', 'b', 'c']) await ops.put(b, k, enc(k))
        const r = await ops.put(b, 'b', enc('bb'))
        for (const o of [{ key: 'a', rangeEnd: 'c' }, { key: 'a', rangeEnd: '\0', limit: 2 }, { key: 'b', revision: r.revision - 1 }, { key: 'a', rangeEnd: 'z', countOnly: true }]) {
          assert.deepEqual(b.rangeNow(o), await b.range(o), JSON.stringify(o))
        }
        assert.throws(() => b.rangeNow({ key: 'a', revision: r.revision + 5 }), (err: unknown) => isStoreError(err, 'future-revision'))
        await b.close()
        assert.throws(() => b.rangeNow({ key: 'a' }), (err: unknown) => isStoreError(err, 'closed'))
        b = await options.newBackend(clock)
      })

      it('lists at a past revision, skipping keys deleted by then and created after', async () => {
        await ops.put(b, '/l/a', enc('a'))
        const r = (await ops.put(b, '/l/b', enc('b'))).revision
        await ops.remove(b, '/l/a')
        await ops.put(b, '/l/c', enc('c'))
        assert.deepEqual((await ops.list(b, { prefix: '/l/', revision: r })).kvs.map(kv => kv.key), ['/l/a', '/l/b'])
        assert.deepEqual((await ops.list(b, { prefix: '/l/' })).kvs.map(kv => kv.key), ['/l/b', '/l/c'])
      })

      it('keeps the full byte range of keys (latin1 strings) in byte order', async () => {
        await ops.put(b, '/bin/\xff\x00', enc('hi'))
        await ops.put(b, '/bin/\x7f', enc('lo'))
        assert.deepEqual((await ops.list(b, { prefix: '/bin/' })).kvs.map(kv => kv.key), ['/bin/\x7f', '/bin/\xff\x00'])
      })
    })

    describe('conditional writes', () => {
      it('create fails on an existing key and returns the current value', async () => {
        await ops.create(b, '/x', enc('first'))
        const again = await ops.create(b, '/x', enc('second'))
        assert.equal(again.succeeded, false)
        assert.equal(dec(again.kv!.value), 'first')
        assert.equal(b.revision, 2)
      })

      it('update and delete succeed only at the current mod revision', async () => {
        const c = await ops.create(b, '/x', enc('1'))
        const u = await ops.update(b, '/x', enc('2'), { modRevision: c.revision })
        const stale = await ops.update(b, '/x', enc('3'), { modRevision: c.revision })
        assert.deepEqual([stale.succeeded, stale.kv!.modRevision, dec(stale.kv!.value)], [false, u.revision, '2'])
        assert.equal((await ops.remove(b, '/x', { modRevision: c.revision })).succeeded, false)
        assert.equal((await ops.remove(b, '/x', { modRevision: u.revision })).succeeded, true)
        assert.equal((await ops.get(b, '/x')).kv, undefined)
      })

      it('re-creating a deleted key starts a new incarnation', async () => {
        await ops.create(b, '/x', enc('1'))
        await ops.remove(b, '/x')
        const again = await ops.create(b, '/x', enc('2'))
        assert.deepEqual([again.succeeded, again.kv!.createRevision, again.kv!.version], [true, again.revision, 1])
      })

      it('txn compares version, create, mod, value and lease; runs one branch atomically', async () => {
        await ops.put(b, '/t', enc('v'))
        const r = await b.txn({
          compare: [
            { key: '/t', target: 'version', result: '=', value: 1 },
            { key: '/t', target: 'value', result: '=', value: enc('v') },
            { key: '/t', target: 'lease', result: '=', value: 0 },
            { key: '/t', target: 'create', result: '<', value: 100 },
            { key: '/none', target: 'mod', result: '=', value: 0 },
          ],
          success: [{ put: { key: '/t', value: enc('w') } }, { put: { key: '/u', value: enc('u') } }, { range: { key: '/t' } }],
          failure: [],
        })
        assert.equal(r.succeeded, true)
        const read = r.results[2]
        assert.ok('range' in read)
        assert.equal(dec(read.range.kvs[0].value), 'w')
        const f = await b.txn({ compare: [{ key: '/t', target: 'value', result: '>', value: enc('z') }], success: [], failure: [{ delete: { key: '/t' } }] })
        assert.equal(f.succeeded, false)
        assert.equal((await ops.get(b, '/t')).kv, undefined)
      })

      it('delete of a range removes each key with a tombstone and returns the previous values', async () => {
        for (const k of ['/d/1', '/d/2', '/e']) await ops.put(b, k, enc(k))
        const r = await b.txn({ compare: [], success: [{ delete: { key: '/d/', rangeEnd: prefixEnd('/d/') } }], failure: [] })
        const del = r.results[0]
        assert.ok('delete' in del)
        assert.deepEqual([del.delete.deleted, del.delete.prevKvs.map(kv => kv.key)], [2, ['/d/1', '/d/2']])
        assert.equal(r.revision, 6)
      })

      it('put with ignoreValue keeps the value and fails on an absent key', async () => {
        await ops.put(b, '/i', enc('keep'))
        await b.txn({ compare: [], success: [{ put: { key: '/i', value: new Uint8Array(0), ignoreValue: true } }], failure: [] })
        assert.equal(dec((await ops.get(b, '/i')).kv!.value), 'keep')
        await rejectsWith(b.txn({ compare: [], success: [{ put: { key: '/nope', value: new Uint8Array(0), ignoreValue: true } }], failure: [] }), 'key-not-found')
      })

      it('groups concurrent writes but keeps each one its own revision and outcome', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ops.create(b, `/g/${i % 25}`, enc(String(i)))))
        assert.equal(results.filter(r => r.succeeded).length, 25)
        assert.deepEqual(results.filter(r => r.succeeded).map(r => r.revision), Array.from({ length: 25 }, (_, i) => i + 2))
        assert.equal((await ops.list(b, { prefix: '/g/' })).count, 25)
      })
    })

    describe('bad input changes nothing', () => {
      const cases: Array<[string, (b: Backend) => Promise<unknown>, string]> = [
        ['an empty key', b => b.range({ key: '' }), 'invalid-argument'],
        ['a range whose end is not after its start', b => b.range({ key: 'b', rangeEnd: 'a' }), 'invalid-argument'],
        ['a value that is not bytes', b => ops.put(b, '/v', 'text' as unknown as Uint8Array), 'invalid-argument'],
        ['a negative revision', b => b.range({ key: '/v', revision: -1 }), 'invalid-argument'],
        ['a future revision', b => b.range({ key: '/v', revision: 99 }), 'future-revision'],
        ['a put on a lease that does not exist', b => ops.put(b, '/v', enc('x'), { lease: 12345 }), 'lease-not-found'],
        ['a txn that puts one key twice', b => b.txn({ compare: [], success: [{ put: { key: '/v', value: enc('1') } }, { put: { key: '/v', value: enc('2') } }], failure: [] }), 'invalid-argument'],
        ['a compaction beyond the current revision', b => b.compact(99), 'future-revision'],
      ]
      for (const [what, call, code] of cases) {
        it(`refuses ${what} with ${code}`, async () => {
          await ops.put(b, '/v', enc('kept'))
          await rejectsWith(call(b), code)
          assert.equal(b.revision, 2)
          assert.equal(dec((await ops.get(b, '/v')).kv!.value), 'kept')
        })
      }

      it('a failing txn in a group does not undo or block the others', async () => {
        const [ok1, bad, ok2] = await Promise.allSettled([
          ops.put(b, '/a', enc('1')), ops.put(b, '/b', enc('2'), { lease: 777 }), ops.put(b, '/c', enc('3')),
        ])
        assert.deepEqual([ok1.status, bad.status, ok2.status], ['fulfilled', 'rejected', 'fulfilled'])
        assert.equal((await ops.list(b, { prefix: '/' })).count, 2)
        assert.equal(b.revision, 3)
      })
    })

    describe('watch', () => {
      it('delivers live puts and deletes with the previous value', async () => {
        const w = b.watch({ key: '/w/', rangeEnd: prefixEnd('/w/') })
        await ops.put(b, '/w/a', enc('1'))
        await ops.put(b, '/other', enc('x'))
        await ops.put(b, '/w/a', enc('2'))
        await ops.remove(b, '/w/a')
        const events = await take(w, 3)
        assert.deepEqual(events.map(e => [e.type, e.kv.key, e.kv.modRevision, e.prevKv === undefined ? null : dec(e.prevKv.value)]),
          [['put', '/w/a', 2, null], ['put', '/w/a', 4, '1'], ['delete', '/w/a', 5, '2']])
        w.close()
        assert.equal(await w.next(), null)
      })

      it('replays history from a start revision, then continues live, with no gap', async () => {
        await ops.put(b, '/h', enc('1'))
        await ops.put(b, '/h', enc('2'))
        await ops.put(b, '/h', enc('3'))
        const w = b.watch({ key: '/h', startRevision: 3 })
        await ops.put(b, '/h', enc('4'))
        const events = await take(w, 3)
        assert.deepEqual(events.map(e => [e.kv.modRevision, dec(e.kv.value), dec(e.prevKv!.value)]), [[3, '2', '1'], [4, '3', '2'], [5, '4', '3']])
        w.close()
      })

      it('refuses a start revision below the compact revision', async () => {
        for (let i = 0; i < 5; i++) await ops.put(b, '/c', enc(String(i)))
        await b.compact(4)
        await rejectsWith(() => b.watch({ key: '/c', startRevision: 3 }), 'compacted')
        const w = b.watch({ key: '/c', startRevision: 4 })
        assert.deepEqual((await take(w, 3)).map(e => e.kv.modRevision), [4, 5, 6])
        w.close()
      })

      it('cuts off a watcher that does not keep up, without stalling writers or other watchers', async () => {
        const slow = b.watch({ key: '/s', maxBuffered: 5 })
        const fast = b.watch({ key: '/s' })
        const seen: number[] = []
        const reading = (async () => { for await (const batch of fast) { seen.push(...batch.map(e => e.kv.modRevision)); if (seen.length === 20) break } })()
        for (let i = 0; i < 20; i++) await ops.put(b, '/s', enc(String(i)))
        await reading
        assert.equal(seen.length, 20)
        await rejectsWith(slow.next(), 'watcher-slow')
        assert.equal(slow.closed, true)
      })

      it('a trigger pre-filters live events by the value before or after, and leaves the rest to others', async () => {
        // Values are "<node>:<n>": the trigger is the node (a kubelet's pods by spec.nodeName).
        const node = (kv: { value: Uint8Array }): string => dec(kv.value).split(':')[0]
        const onA = b.watch({ key: '/t/', rangeEnd: prefixEnd('/t/'), trigger: { index: 'node', of: node, value: 'a' } })
        const onB = b.watch({ key: '/t/', rangeEnd: prefixEnd('/t/'), trigger: { index: 'node', of: node, value: 'b' } })
        const all = b.watch({ key: '/t/', rangeEnd: prefixEnd('/t/') })
        await ops.put(b, '/t/p1', enc('a:1'))
        await ops.put(b, '/t/p2', enc('b:1'))
        await ops.put(b, '/t/p1', enc('b:2')) // moves from a to b: both see it
        await ops.remove(b, '/t/p2') // a delete is matched by its previous value
        await ops.put(b, '/t/p3', enc('c:1'))
        const revs = (events: WatchEvent[]): string[] => events.map(e => `${e.type} ${e.kv.key}@${e.kv.modRevision}`)
        assert.deepEqual(revs(await take(onA, 2)), ['put /t/p1@2', 'put /t/p1@4'])
        assert.deepEqual(revs(await take(onB, 3)), ['put /t/p2@3', 'put /t/p1@4', 'delete /t/p2@5'])
        assert.equal((await take(all, 5)).length, 5)
        onA.close()
        await ops.put(b, '/t/p4', enc('b:3'))
        assert.deepEqual(revs(await take(onB, 1)), ['put /t/p4@7'])
        onB.close()
        all.close()
      })

      it('ends open watches with `closed` when the backend closes', async () => {
        const w = b.watch({ key: '/z' })
        const pending = w.next()
        await b.close()
        await rejectsWith(pending, 'closed')
        b = await options.newBackend(clock)
      })
    })

    describe('compaction', () => {
      it('removes superseded rows and tombstones; reads at or above the compact revision still work', async () => {
        await ops.put(b, '/k', enc('1')) // 2
        await ops.put(b, '/k', enc('2')) // 3
        await ops.put(b, '/gone', enc('x')) // 4
        await ops.remove(b, '/gone') // 5
        await ops.put(b, '/k', enc('3')) // 6
        await b.compact(5)
        assert.equal(b.compactRevision, 5)
        await rejectsWith(b.range({ key: '/k', revision: 4 }), 'compacted')
        assert.equal(dec((await ops.get(b, '/k', { revision: 5 })).kv!.value), '2')
        assert.equal(dec((await ops.get(b, '/k')).kv!.value), '3')
        await rejectsWith(b.compact(5), 'compacted')
        const st = await b.status()
        assert.deepEqual([st.revision, st.compactRevision], [6, 5])
      })
    })

    describe('leases', () => {
      it('deletes attached keys when the lease expires on the injected clock', async () => {
        const { id, ttl } = await b.leases.grant({ ttl: 10 })
        assert.equal(ttl, 10)
        await ops.put(b, '/lease/a', enc('a'), { lease: id })
        await ops.put(b, '/lease/b', enc('b'), { lease: id })
        await ops.put(b, '/keep', enc('k'))
        const w = b.watch({ key: '/lease/', rangeEnd: prefixEnd('/lease/') })
        const info = await b.leases.timeToLive(id)
        assert.deepEqual([info.remaining, info.keys], [10, ['/lease/a', '/lease/b']])
        await clock.advance('9s')
        assert.equal((await ops.list(b, { prefix: '/lease/' })).count, 2)
        await clock.advance('2s', turns)
        const events = await take(w, 2)
        assert.deepEqual(events.map(e => [e.type, e.kv.key]), [['delete', '/lease/a'], ['delete', '/lease/b']])
        assert.equal((await ops.list(b, { prefix: '/lease/' })).count, 0)
        assert.equal((await ops.get(b, '/keep')).kv !== undefined, true)
        await rejectsWith(b.leases.timeToLive(id), 'lease-not-found')
        w.close()
      })

      it('keepAlive restarts the TTL; revoke deletes the keys at once', async () => {
        const { id } = await b.leases.grant({ ttl: 5 })
        await ops.put(b, '/r', enc('r'), { lease: id })
        await clock.advance('4s')
        assert.equal((await b.leases.keepAlive(id)).ttl, 5)
        await clock.advance('4s')
        assert.ok((await ops.get(b, '/r')).kv)
        assert.deepEqual(await b.leases.list(), [id])
        await b.leases.revoke(id)
        assert.equal((await ops.get(b, '/r')).kv, undefined)
        await rejectsWith(b.leases.revoke(id), 'lease-not-found')
        await rejectsWith(b.leases.keepAlive(id), 'lease-not-found')
      })

      it('moving a key to another lease detaches it from the first', async () => {
        const a = await b.leases.grant({ ttl: 5 })
        const c = await b.leases.grant({ ttl: 50, id: 42 })
        assert.equal(c.id, 42)
        await rejectsWith(b.leases.grant({ ttl: 5, id: 42 }), 'lease-exists')
        await ops.put(b, '/m', enc('1'), { lease: a.id })
        await ops.put(b, '/m', enc('2'), { lease: c.id })
        await clock.advance('6s', turns)
        assert.equal((await ops.get(b, '/m')).kv?.lease, 42)
      })
    })
  })
}
