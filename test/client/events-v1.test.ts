// client-go's events.k8s.io/v1 broadcaster as kube-scheduler uses it (events-v1.ts): a new Event
// per distinct occurrence; an isomorphic repeat within 6 minutes turns it into a series (count
// 2 patched at once, later repeats counted and written when the series ends or every 30
// minutes); related objects kept.
import assert from 'node:assert/strict'
import { EventsV1Recorder } from '../../src/client/events-v1.ts'
import { startCore } from '../support/api-core.ts'
import { VirtualClock } from '../../src/util/clock.ts'

type Json = Record<string, any>

describe('events.k8s.io/v1 recorder (series)', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '7' } }
  const failed = { type: 'Warning' as const, reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', action: 'Scheduling' }

  it('creates one Event, then a series: count 2 at once, later ones when the series ends', async () => {
    const { client } = await startCore()
    const clock = new VirtualClock()
    const rec = new EventsV1Recorder({ client, clock, controller: 'default-scheduler', instance: 'default-scheduler-host' })
    const events = async (): Promise<Json[]> => (await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items as Json[]
    assert.equal(await rec.record(pod as any, failed), undefined)
    let [e] = await events()
    assert.deepEqual([e.note, e.regarding, e.reportingController, e.reportingInstance, e.action, e.series, e.deprecatedCount],
      [failed.message, { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' }, 'default-scheduler', 'default-scheduler-host', 'Scheduling', undefined, undefined])
    await clock.advance('1m')
    await rec.record(pod as any, failed)
    ;[e] = await events()
    assert.equal(e.series.count, 2)
    await clock.advance('1m')
    await rec.record(pod as any, failed)
    await rec.record(pod as any, failed)
    assert.equal((await events())[0].series.count, 2, 'counted, not yet written')
    await clock.advance('13m')
    await rec.drained()
    const [last] = await events()
    assert.equal((await events()).length, 1)
    assert.equal(last.series.count, 4, 'written when the series ended (6 minutes without a repeat)')
    rec.stop()
  })

  it('writes the series as a new Event when the first one is gone (rebuilt from what it was)', async () => {
    const { client } = await startCore()
    const clock = new VirtualClock()
    const rec = new EventsV1Recorder({ client, clock, controller: 'default-scheduler', instance: 'default-scheduler-host' })
    await rec.record(pod as any, failed)
    const [first] = (await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items as Json[]
    await client.delete('events.k8s.io/v1', 'Event', 'default', first.metadata.name)
    await rec.record(pod as any, failed)
    const [again] = (await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items as Json[]
    assert.deepEqual([again.metadata.name, again.series.count, again.note, again.regarding, again.eventTime, again.type], [first.metadata.name, 2, first.note, first.regarding, first.eventTime, 'Warning'])
    rec.stop()
  })

  it('remembers the 4,096 most recent events: an older one repeated is an Event of its own', async () => {
    const { client } = await startCore()
    const clock = new VirtualClock()
    const rec = new EventsV1Recorder({ client, clock, controller: 'default-scheduler', instance: 'default-scheduler-host' })
    const nth = (i: number): any => ({ ...pod, metadata: { ...pod.metadata, name: `p${i}`, uid: `u${i}` } })
    for (let i = 0; i <= 4096; i++) await rec.record(nth(i), failed)
    await rec.record(nth(4096), failed)
    await rec.record(nth(0), failed)
    const items = (await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items as Json[]
    assert.equal(items.length, 4098)
    assert.equal(items.filter(i => i.regarding.name === 'p4096')[0].series?.count, 2)
    assert.deepEqual(items.filter(i => i.regarding.name === 'p0').map(i => i.series), [undefined, undefined])
    rec.stop()
  })

  it('keeps the related object; a different note is the same series (getKey leaves it out), a different regarding an Event of its own; nothing after stop()', async () => {
    const { client } = await startCore()
    const clock = new VirtualClock()
    const rec = new EventsV1Recorder({ client, clock, controller: 'default-scheduler', instance: 'default-scheduler-host' })
    const preemptor = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'urgent', namespace: 'default', uid: 'u2' } }
    await rec.record(pod as any, { type: 'Normal', reason: 'Preempted', message: 'Preempted by pod u2 on node n', action: 'Preempting', related: preemptor as any })
    await rec.record(pod as any, failed)
    await rec.record(pod as any, { ...failed, message: '0/2 nodes are available: 2 Insufficient cpu.' })
    await rec.record({ ...pod, metadata: { ...pod.metadata, resourceVersion: '8' } } as any, failed)
    const items = (await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items as Json[]
    assert.equal(items.length, 3)
    assert.deepEqual(items.find(i => i.reason === 'Preempted')!.related, { kind: 'Pod', namespace: 'default', name: 'urgent', uid: 'u2', apiVersion: 'v1' })
    const series = items.find(i => i.reason === 'FailedScheduling' && i.regarding.resourceVersion === '7')!
    assert.deepEqual([series.note, series.series?.count], [failed.message, 2])
    rec.stop()
    await rec.record({ ...pod, metadata: { ...pod.metadata, name: 'late' } } as any, failed)
    assert.equal((await client.list('events.k8s.io/v1', 'Event', { namespace: 'default' })).items.length, 3)
  })
})
