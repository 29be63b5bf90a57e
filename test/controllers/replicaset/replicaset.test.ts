// The ReplicaSet controller end to end: a virtual-time cluster whose kubelets run the pods.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/cluster/cluster.ts'
import { eventsOf, makeReplicaSet, phase, podsOf, startCluster } from './fixtures.ts'

describe('controllers/replicaset', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  it('creates spec.replicas pods from the template, owned by the ReplicaSet, and they run', async () => {
    const rs = await cluster.client.create(makeReplicaSet('web', 3))
    await cluster.settle()
    await cluster.clock.advance('10s')
    const pods = await podsOf(cluster, 'web')
    assert.equal(pods.length, 3)
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/)
      assert.equal(p.metadata.generateName, 'web-')
      assert.deepEqual(p.metadata.labels, { app: 'web' })
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }])
      assert.equal(phase(p), 'Running')
    }
    const got = await cluster.client.get('apps/v1', 'ReplicaSet', 'default', 'web')
    assert.deepEqual(got.status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 })
    assert.deepEqual(eventsOf(cluster, 'web', 'replicaset-controller').sort(), pods.map(p => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort())
  })

  it('scales down by deleting unassigned and not-ready pods before running ones', async () => {
    await cluster.client.create(makeReplicaSet('web', 2))
    await cluster.clock.advance('10s')
    const running = (await podsOf(cluster, 'web')).map(p => p.metadata.name)
    // Two more pods that cannot be scheduled (no node matches): pending, unassigned.
    const rs = await cluster.client.get('apps/v1', 'ReplicaSet', 'default', 'web')
    await cluster.client.patch('apps/v1', 'ReplicaSet', 'default', 'web', { spec: { replicas: 4, template: { spec: { nodeSelector: { nowhere: 'true' } } } } }, { type: 'merge' })
    await cluster.clock.advance('10s')
    assert.equal((await podsOf(cluster, 'web')).length, 4)
    await cluster.client.patch('apps/v1', 'ReplicaSet', 'default', 'web', { spec: { replicas: 2 } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    const left = await podsOf(cluster, 'web')
    assert.deepEqual(left.map(p => p.metadata.name), running)
    assert.ok(left.every(p => phase(p) === 'Running'))
    assert.equal(rs.metadata.name, 'web')
  })

  it('replaces a deleted pod at once, not counting the terminating one', async () => {
    await cluster.client.create(makeReplicaSet('web', 2))
    await cluster.clock.advance('10s')
    const [victim] = await podsOf(cluster, 'web')
    await cluster.client.delete('v1', 'Pod', 'default', victim.metadata.name!)
    await cluster.clock.advance('60s')
    const pods = await podsOf(cluster, 'web')
    assert.equal(pods.length, 2)
    assert.ok(!pods.some(p => p.metadata.name === victim.metadata.name))
    assert.ok(pods.every(p => phase(p) === 'Running'))
  })

  it('adopts a matching orphan and releases a pod whose labels no longer match', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } })
    await cluster.settle()
    await cluster.client.create(makeReplicaSet('web', 2))
    await cluster.clock.advance('10s')
    const pods = await podsOf(cluster, 'web')
    assert.equal(pods.length, 2)
    const orphan = pods.find(p => p.metadata.name === 'orphan')
    assert.equal(orphan?.metadata.ownerReferences?.[0].name, 'web')
    await cluster.client.patch('v1', 'Pod', 'default', 'orphan', { metadata: { labels: { app: 'other' } } }, { type: 'merge' })
    await cluster.clock.advance('10s')
    const released = await cluster.client.get('v1', 'Pod', 'default', 'orphan')
    assert.equal(released.metadata.ownerReferences, undefined)
    assert.equal((await podsOf(cluster, 'web')).length, 2, 'a replacement was created')
  })

  it('leaves a finished orphan alone: not adopted, not counted', async () => {
    // Upstream claims only active pods (FilterActivePods, then ClaimPods).
    await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'gone', containers: [{ name: 'web', image: 'nginx:1.27' }] } })
    const done = await cluster.client.get('v1', 'Pod', 'default', 'done')
    await cluster.client.update({ ...done, status: { phase: 'Succeeded' } }, { subresource: 'status' })
    await cluster.settle()
    await cluster.client.create(makeReplicaSet('web', 2))
    await cluster.clock.advance('10s')
    assert.equal((await cluster.client.get('v1', 'Pod', 'default', 'done')).metadata.ownerReferences, undefined)
    const owned = (await podsOf(cluster, 'web')).filter(p => p.metadata.ownerReferences?.[0]?.name === 'web')
    assert.equal(owned.length, 2)
    const status = (await cluster.client.get('apps/v1', 'ReplicaSet', 'default', 'web')).status as { replicas: number }
    assert.equal(status.replicas, 2)
  })

  it('counts available replicas only after minReadySeconds', async () => {
    await cluster.client.create(makeReplicaSet('web', 1, { minReadySeconds: 30 }))
    await cluster.clock.advance('10s')
    let status = (await cluster.client.get('apps/v1', 'ReplicaSet', 'default', 'web')).status
    assert.deepEqual(status, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, observedGeneration: 1 })
    await cluster.clock.advance('40s')
    status = (await cluster.client.get('apps/v1', 'ReplicaSet', 'default', 'web')).status
    assert.deepEqual(status, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 })
  })
})
