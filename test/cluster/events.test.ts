// cluster.events(): the Events stored, read when asked — filtered, in the order they were last
// written, events.k8s.io ones included, and still answered after stop().
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import type { KubeObject } from '../../src/api/object.ts'

type Json = Record<string, any>

describe('cluster.events()', () => {
  let cluster: Cluster
  before(async () => {
    cluster = await Cluster.start({ agents: 0, clock: 'virtual', disable: [...ADDON_NAMES], node: { cpu: '2', memory: '4Gi' } })
    await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } })
    for (const namespace of ['default', 'other']) {
      await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KubeObject)
    }
    await cluster.settle()
  })
  after(async () => { await cluster.stop() })

  const reasons = (events: KubeObject[]): string[] => events.map(e => (e as Json).reason)

  it('filters by object, namespace, reason and type; oldest write first', () => {
    assert.deepEqual(reasons(cluster.events({ name: 'web', namespace: 'default' })), ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
    assert.deepEqual(reasons(cluster.events({ name: 'web', namespace: 'other' })), ['Scheduled', 'Pulled', 'Created', 'Started'], 'the image was pulled once')
    assert.ok(cluster.events({ namespace: 'other' }).every(e => e.metadata.namespace === 'other'))
    assert.equal(cluster.events({ name: 'web', reason: 'Started' }).length, 2)
    assert.deepEqual(cluster.events({ name: 'web', type: 'Warning' }), [])
    const all = cluster.events()
    const rvs = all.map(e => Number(e.metadata.resourceVersion))
    assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b))
    assert.ok(all.every(e => Object.isFrozen(e) && e.kind === 'Event' && e.apiVersion === 'v1'))
  })

  it('shows an event created through events.k8s.io/v1, and a count bump moves an event to the end', async () => {
    await cluster.client.create({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.manual', namespace: 'default' },
      eventTime: '2025-01-01T00:00:00.000000Z', reportingController: 'me/controller', reportingInstance: 'me-1', action: 'Check', reason: 'Checked', type: 'Normal', note: 'looked at it',
      regarding: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default' },
    } as KubeObject)
    const [manual] = cluster.events({ reason: 'Checked' }) as Json[]
    assert.deepEqual([manual.message, manual.involvedObject.name], ['looked at it', 'web'])
    const scheduled = cluster.events({ name: 'web', namespace: 'default', reason: 'Scheduled' })[0]
    await cluster.client.patch('v1', 'Event', 'default', scheduled.metadata.name!, { count: 2 })
    assert.deepEqual(reasons(cluster.events({ name: 'web', namespace: 'default' })), ['Pulling', 'Pulled', 'Created', 'Started', 'Checked', 'Scheduled'])
  })

  it('still answers after stop(), with the events stored when the cluster stopped', async () => {
    const c = await Cluster.start({ agents: 0, clock: 'virtual', disable: [...ADDON_NAMES], node: { cpu: '2', memory: '4Gi' } })
    await c.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KubeObject)
    await c.settle()
    const before = reasons(c.events({ name: 'late' }))
    await c.stop()
    assert.deepEqual(reasons(c.events({ name: 'late' })), before)
    assert.deepEqual(before, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
  })
})
