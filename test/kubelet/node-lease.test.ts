// The kubelet's node Lease as upstream's lease controller keeps it: created on the first renewal,
// then renewed by an Update of the Lease it last wrote (no read), and recovered by a read when
// someone else wrote it or deleted it.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import type { Client } from '../../src/client/client.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.ts'
import { LeaseController, nodeLeaseOptions } from '../../src/client/lease-controller.ts'
import { VirtualClock } from '../../src/util/clock.ts'

type Json = Record<string, any>

/** The client, with the name of every call made through it. */
function counting (client: Client): { client: Client, calls: string[] } {
  const calls: string[] = []
  const proxy = new Proxy(client, {
    get (target, prop) {
      const v = (target as any)[prop]
      return typeof v === 'function' ? (...args: unknown[]) => { calls.push(String(prop)); return v.apply(target, args) } : v
    },
  })
  return { client: proxy, calls }
}

describe('kubelet: node lease', () => {
  let cp: ControlPlane
  let admin: InProcessClient
  let nodeUid = ''
  const clock = new VirtualClock({ start: Date.parse('2026-01-01T00:00:00Z') })
  before(async () => {
    cp = await startControlPlane({ clock, apiPort: false, etcdPort: false, store: ':memory:' })
    admin = new InProcessClient({ core: cp.core })
    // The Node exists: the garbage collector deletes a Lease whose owner does not.
    nodeUid = (await admin.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } as KubeObject)).metadata.uid!
  })
  after(async () => { await cp.stop() })

  const read = async (): Promise<Json> => await admin.get('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', 'n1') as Json

  it('creates the Lease, then renews it by updating what it wrote, without reading it', async () => {
    const { client, calls } = counting(admin)
    const lease = new LeaseController(nodeLeaseOptions({ client, clock, node: 'n1', nodeUid: () => nodeUid }))
    await lease.renew()
    let stored = await read()
    assert.deepEqual(stored.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' })
    assert.deepEqual(stored.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: nodeUid }])
    assert.deepEqual(stored.metadata.managedFields.map((m: Json) => [m.manager, m.operation]), [['k3s', 'Update']])
    assert.deepEqual(calls, ['get', 'create'])

    calls.length = 0
    for (let i = 0; i < 3; i++) {
      await clock.advance('10s')
      await lease.renew()
    }
    stored = await read()
    assert.equal(stored.spec.renewTime, '2026-01-01T00:00:30.000000Z')
    assert.deepEqual(calls, ['update', 'update', 'update'])
  })

  it('after someone else wrote the Lease, reads it and renews that; after a delete, creates it again', async () => {
    const { client, calls } = counting(admin)
    const lease = new LeaseController(nodeLeaseOptions({ client, clock, node: 'n1', nodeUid: () => nodeUid }))
    await lease.renew()
    const other = await read()
    await admin.update({ ...other, spec: { ...other.spec, holderIdentity: 'someone-else' } } as unknown as KubeObject)

    calls.length = 0
    await clock.advance('10s')
    await lease.renew()
    assert.deepEqual(calls, ['update', 'get', 'update'], 'the stale update is refused (409), then read and renewed')
    const renewed = await read()
    assert.equal(renewed.spec.renewTime, '2026-01-01T00:00:40.000000Z')
    assert.equal(renewed.spec.holderIdentity, 'someone-else', 'a renewal changes renewTime only, as upstream\'s newLease(base)')

    await admin.delete('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', 'n1')
    calls.length = 0
    await clock.advance('10s')
    await lease.renew()
    assert.deepEqual(calls, ['update', 'get', 'create'])
    assert.deepEqual((await read()).spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:50.000000Z' })
  })

  it('runs one renewal at a time: a tick while the last one is running is skipped', async () => {
    const { client, calls } = counting(admin)
    const lease = new LeaseController(nodeLeaseOptions({ client, clock, node: 'n1', nodeUid: () => nodeUid }))
    await Promise.all([lease.renew(), lease.renew()])
    assert.deepEqual(calls, ['get', 'update'])
  })
})
