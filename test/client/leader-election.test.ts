// Leader election on a Lease as client-go's LeaseLock does it, on a virtual clock: the first
// candidate creates the Lease and leads; the leader renews every retry period; a second
// candidate takes over only once the holder has stopped renewing for a lease duration (counted
// from when it first saw that record), counting a transition; a leader restarted under the same
// identity keeps its acquireTime; ReleaseOnCancel leaves the Lease free.
import assert from 'node:assert/strict'
import { InProcessClient } from '../../src/client/in-process.ts'
import { EventRecorder } from '../../src/client/events.ts'
import { LeaderElector } from '../../src/client/leader-election.ts'
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.ts'
import { VirtualClock } from '../../src/util/clock.ts'

type Json = Record<string, any>

describe('client: leader election on a Lease', () => {
  let cp: ControlPlane
  let client: InProcessClient
  const clock = new VirtualClock({ start: Date.parse('2026-01-01T00:00:00Z') })
  before(async () => {
    cp = await startControlPlane({ clock, apiPort: false, etcdPort: false, store: ':memory:' })
    client = new InProcessClient({ core: cp.core })
  })
  after(async () => { await cp.stop() })

  const lease = async (name: string): Promise<Json> => (await client.get('coordination.k8s.io/v1', 'Lease', 'kube-system', name) as Json).spec
  const elector = (name: string, identity: string, extra: { releaseOnStop?: boolean, component?: string } = {}): LeaderElector => new LeaderElector({
    client, clock, namespace: 'kube-system', name, identity, leaseDurationSeconds: 15, retryPeriodMs: 2000, manager: 'k3s', releaseOnStop: extra.releaseOnStop,
    recorder: extra.component === undefined ? undefined : new EventRecorder({ client, clock, source: { component: extra.component } }),
  })
  /** Advance the clock, a retry period at a time, letting each attempt finish. */
  const advance = async (ms: number, electors: LeaderElector[]): Promise<void> => {
    for (let t = 0; t < ms; t += 1000) {
      await clock.advance(1000)
      await Promise.all(electors.map(e => e.settled()))
    }
  }

  it('creates the Lease and leads, records "<identity> became leader", and renews every retry period', async () => {
    const a = elector('one', 'host_a', { component: 'kube-controller-manager' })
    a.start()
    await a.settled()
    assert.equal(a.leading, true)
    const created = await lease('one')
    assert.deepEqual({ ...created, acquireTime: undefined, renewTime: undefined }, { holderIdentity: 'host_a', leaseDurationSeconds: 15, leaseTransitions: 0, acquireTime: undefined, renewTime: undefined })
    assert.equal(created.acquireTime, '2026-01-01T00:00:00.000000Z')
    await advance(4000, [a])
    const renewed = await lease('one')
    assert.equal(renewed.renewTime, '2026-01-01T00:00:04.000000Z')
    assert.equal(renewed.acquireTime, created.acquireTime, 'the leader keeps its acquireTime')
    const events = (await client.list('v1', 'Event', { namespace: 'kube-system' })).items as Json[]
    const election = events.find(e => e.reason === 'LeaderElection')
    assert.equal(election?.message, 'host_a became leader')
    assert.deepEqual([election?.involvedObject.kind, election?.involvedObject.name, election?.source.component], ['Lease', 'one', 'kube-controller-manager'])
    // Someone else writes the Lease (its renewal conflicts), then deletes it (recreated): the
    // leader stays the leader, and records no second event (client-go records it on acquiring).
    const current = await client.get('coordination.k8s.io/v1', 'Lease', 'kube-system', 'one')
    await client.update({ ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } })
    await advance(2000, [a])
    await client.delete('coordination.k8s.io/v1', 'Lease', 'kube-system', 'one')
    await advance(2000, [a])
    assert.equal(a.leading, true)
    assert.equal((await lease('one')).holderIdentity, 'host_a')
    const elections = ((await client.list('v1', 'Event', { namespace: 'kube-system' })).items as Json[]).filter(e => e.reason === 'LeaderElection' && e.involvedObject.name === 'one')
    assert.deepEqual(elections.map(e => e.count), [1])
    await a.stop()
  })

  it('a second candidate waits a lease duration after the holder stops renewing, then takes over with a transition', async () => {
    const a = elector('two', 'host_a')
    const b = elector('two', 'host_b')
    a.start()
    await a.settled()
    b.start()
    await advance(20_000, [a, b])
    assert.equal(b.leading, false, 'the holder renews: no takeover')
    assert.equal((await lease('two')).holderIdentity, 'host_a')
    await a.stop() // no release: the Lease lapses
    const stoppedAt = clock.now()
    await advance(14_000, [b])
    assert.equal((await lease('two')).holderIdentity, 'host_a', 'not before the lease duration has passed')
    await advance(4000, [b])
    const taken = await lease('two')
    assert.equal(taken.holderIdentity, 'host_b')
    assert.equal(taken.leaseTransitions, 1)
    assert.ok(Date.parse(taken.acquireTime) >= stoppedAt + 15_000)
    assert.equal(b.leading, true)
    await b.stop()
  })

  it('a leader restarted under the same identity keeps acquireTime and transitions; with ReleaseOnCancel the Lease is left free', async () => {
    const first = elector('three', 'host', { releaseOnStop: true })
    first.start()
    await first.settled()
    const acquired = (await lease('three')).acquireTime
    await advance(2000, [first])
    await first.stop()
    const released = await lease('three')
    assert.deepEqual([released.holderIdentity, released.leaseDurationSeconds], ['', 1])
    const again = elector('three', 'host')
    again.start()
    await again.settled()
    const now = await lease('three')
    assert.deepEqual([now.holderIdentity, now.leaseTransitions], ['host', 1], 'a free Lease taken again is a transition')
    assert.notEqual(now.acquireTime, acquired)
    await again.stop()
    const restarted = elector('three', 'host')
    restarted.start()
    await restarted.settled()
    const kept = await lease('three')
    assert.deepEqual([kept.holderIdentity, kept.leaseTransitions, kept.acquireTime], ['host', 1, now.acquireTime], 'its own Lease: renewed, not re-acquired')
    await restarted.stop()
  })
})
