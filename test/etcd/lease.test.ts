// Leases over gRPC, on a virtual clock so expiry is exact and instant.
import assert from 'node:assert/strict'
import { VirtualClock } from '../../src/util/clock.ts'
import { backendKinds, bytes, grpc, rejectsWith, replies, startFacade, text, type Facade, type RawClient } from './harness.ts'

for (const kind of backendKinds) {
  describe(`etcd Lease (${kind} store)`, () => {
    let f: Facade
    let clock: VirtualClock
    let lease: RawClient
    beforeEach(async () => {
      clock = new VirtualClock()
      f = await startFacade({ kind, clock })
      lease = f.raw('Lease')
    })
    afterEach(() => f.close())

    /** Once the watch is in place: a promise of the next delete event on `key`. */
    async function watchDelete (key: string): Promise<{ event: Promise<void> }> {
      const w = await f.client.watch().key(key).create()
      return { event: new Promise(resolve => w.on('delete', () => { void w.cancel(); resolve() })) }
    }

    it('grant, attach a key, revoke: the key is deleted', async () => {
      const l = f.client.lease(30, { autoKeepAlive: false })
      const id = await l.grant()
      await l.put('held').value('v')
      const ttl = await lease.unary('LeaseTimeToLive', { ID: id, keys: true })
      assert.deepEqual([ttl.ID, ttl.grantedTTL, ttl.keys.map(text)], [id, '30', ['held']])
      await l.revoke()
      assert.equal(await f.client.get('held').string(), null)
      assert.deepEqual((await lease.unary('LeaseLeases', {})).leases, [])
    })

    it('the key goes when the lease expires on the clock; a keep-alive restarts the TTL', async () => {
      const { ID } = await lease.unary('LeaseGrant', { TTL: 10 })
      await f.raw('KV').unary('Put', { key: bytes('ttl'), value: bytes('v'), lease: ID })
      await clock.advance('8s')
      const ka = f.raw('Lease').duplex('LeaseKeepAlive')
      const r = replies(ka)
      ka.write({ ID })
      assert.deepEqual(pickTtl(await r.next()), { ID, TTL: '10' })
      ka.end()
      await clock.advance('8s')
      assert.equal(await f.client.get('ttl').string(), 'v')
      const gone = await watchDelete('ttl')
      await clock.advance('3s')
      await gone.event
      assert.equal(await f.client.get('ttl').string(), null)
      assert.equal((await lease.unary('LeaseTimeToLive', { ID })).TTL, '-1')
    })

    it('an unknown lease: keep-alive answers TTL 0, time-to-live answers TTL -1, revoke is NotFound', async () => {
      const ka = lease.duplex('LeaseKeepAlive')
      const r = replies(ka)
      ka.write({ ID: 4660 })
      assert.deepEqual(pickTtl(await r.next()), { ID: '4660', TTL: '0' })
      ka.end()
      assert.deepEqual(pickTtl(await lease.unary('LeaseTimeToLive', { ID: 4660 })), { ID: '4660', TTL: '-1' })
      await rejectsWith(lease.unary('LeaseRevoke', { ID: 4660 }), grpc.status.NOT_FOUND, 'etcdserver: requested lease not found')
    })

    it('a lease ID above 2^53 is refused by name', async () => {
      await rejectsWith(lease.unary('LeaseGrant', { TTL: 5, ID: '9223372036854775807' }), grpc.status.INVALID_ARGUMENT,
        'etcdserver: lease ID 9223372036854775807 (7fffffffffffffff) is out of range: k3sim supports lease IDs from 1 to 2^53-1')
    })

    it('a requested ID is granted as asked; granting it again is FailedPrecondition', async () => {
      assert.equal((await lease.unary('LeaseGrant', { TTL: 5, ID: 42 })).ID, '42')
      await rejectsWith(lease.unary('LeaseGrant', { TTL: 5, ID: 42 }), grpc.status.FAILED_PRECONDITION, 'etcdserver: lease already exists')
    })
  })
}

function pickTtl (m: any): object {
  return { ID: m.ID, TTL: m.TTL }
}
