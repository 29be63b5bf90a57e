// The StatefulSet controller end to end in a virtual-time cluster with the scheduler and
// kubelets: ordered creation, scale down from the highest ordinal, claims from templates,
// rolling update with a partition. A pod watch records the order in which things happened.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/index.ts'
import { daemonSetController } from '../../../src/controllers/daemonset/index.ts'
import { statefulSetController } from '../../../src/controllers/statefulset/index.ts'
import { makeStatefulSet } from './fixtures.ts'

type Json = Record<string, any>


const ready = (p: KubeObject): boolean => ((p.status as Json | undefined)?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')

describe('controllers/statefulset', () => {
  let cluster: Cluster
  let timeline: string[]
  let stopWatch: () => void
  beforeEach(async () => {
    cluster = await Cluster.start({ agents: 2, clock: 'virtual', seed: 1, controllers: () => [daemonSetController(), statefulSetController()] })
    timeline = []
    const stream = await cluster.client.watch('v1', 'Pod', { namespace: 'default' })
    stopWatch = () => stream.close()
    const wasReady = new Set<string>()
    void (async () => {
      for (let batch = await stream.next(); batch !== null; batch = await stream.next()) {
        for (const e of batch) {
          const pod = e.object as unknown as KubeObject
          const name = pod.metadata.name!
          if (e.type === 'ADDED') timeline.push(`add ${name}`)
          if (e.type === 'DELETED') { timeline.push(`gone ${name}`); wasReady.delete(name) }
          if (e.type === 'MODIFIED' && pod.metadata.deletionTimestamp !== undefined && !timeline.includes(`delete ${name} ${pod.metadata.uid}`)) timeline.push(`delete ${name} ${pod.metadata.uid}`)
          if (e.type !== 'DELETED' && ready(pod) && !wasReady.has(name)) { wasReady.add(name); timeline.push(`ready ${name}`) }
        }
      }
    })()
  })
  afterEach(async () => { stopWatch(); await cluster.stop() })

  const pods = async (): Promise<KubeObject[]> =>
    (await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=web' })).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
  const summary = async (): Promise<string[]> => (await pods()).map(p => `${p.metadata.name} ${(p.status as Json).phase} ${(p.spec as Json).containers[0].image}`)
  const stsStatus = async (): Promise<Json> => (await cluster.client.get('apps/v1', 'StatefulSet', 'default', 'web')).status as Json
  const messages = (reason: string): string[] => cluster.events({ name: 'web', reason }).map(e => String((e as Json).message))
  const withoutUid = (t: string[]): string[] => t.map(s => s.replace(/^(delete \S+) .*$/, '$1'))

  it('creates web-0, web-1, web-2 one at a time, each after the previous is Running and Ready', async () => {
    await cluster.client.create(makeStatefulSet(3))
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27', 'web-1 Running nginx:1.27', 'web-2 Running nginx:1.27'])
    assert.deepEqual(timeline, ['add web-0', 'ready web-0', 'add web-1', 'ready web-1', 'add web-2', 'ready web-2'])
    const pod = (await pods())[1]
    const revision = pod.metadata.labels!['controller-revision-hash']
    assert.match(revision, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/)
    assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': revision })
    assert.equal((pod.spec as Json).hostname, 'web-1')
    assert.equal((pod.spec as Json).subdomain, 'web')
    assert.deepEqual(await stsStatus(), {
      observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3,
      currentRevision: revision, updateRevision: revision, collisionCount: 0, availableReplicas: 3,
    })
    const revisions = (await cluster.client.list('apps/v1', 'ControllerRevision', { namespace: 'default' })).items
    assert.deepEqual(revisions.map(r => [r.metadata.name, (r as Json).revision]), [[revision, 1]])
    assert.deepEqual(messages('SuccessfulCreate'), [0, 1, 2].map(i => `create Pod web-${i} in StatefulSet web successful`))
  })

  it('scales down from the highest ordinal, one pod at a time', async () => {
    await cluster.client.create(makeStatefulSet(3))
    await cluster.clock.advance('60s')
    timeline.length = 0
    await cluster.client.patch('apps/v1', 'StatefulSet', 'default', 'web', { spec: { replicas: 1 } }, { type: 'merge' })
    await cluster.clock.advance('120s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27'])
    assert.deepEqual(withoutUid(timeline), ['delete web-2', 'gone web-2', 'delete web-1', 'gone web-1'])
    assert.deepEqual(messages('SuccessfulDelete'), ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful'])
    const s = await stsStatus()
    assert.deepEqual([s.replicas, s.readyReplicas, s.availableReplicas, s.observedGeneration], [1, 1, 1, 2])
  })

  it('creates a claim per volumeClaimTemplate and ordinal, mounts it, and keeps it on scale down', async () => {
    await cluster.client.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'wffc' }, provisioner: 'example.com/none', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject)
    await cluster.client.create(makeStatefulSet(2, {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'wffc', resources: { requests: { storage: '1Gi' } } } }],
    }))
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27', 'web-1 Running nginx:1.27'])
    const claims = async (): Promise<string[]> => (await cluster.client.list('v1', 'PersistentVolumeClaim', { namespace: 'default' })).items.map(c => c.metadata.name!).sort()
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1'])
    const claim = await cluster.client.get('v1', 'PersistentVolumeClaim', 'default', 'data-web-1')
    assert.deepEqual(claim.metadata.labels, { app: 'web' })
    assert.equal(claim.metadata.ownerReferences, undefined)
    assert.deepEqual(((await pods())[1].spec as Json).volumes.find((v: Json) => v.name === 'data'), { name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } })
    assert.deepEqual(messages('SuccessfulCreate'), [
      'create Claim data-web-0 Pod web-0 in StatefulSet web success', 'create Pod web-0 in StatefulSet web successful',
      'create Claim data-web-1 Pod web-1 in StatefulSet web success', 'create Pod web-1 in StatefulSet web successful',
    ])
    await cluster.client.patch('apps/v1', 'StatefulSet', 'default', 'web', { spec: { replicas: 1 } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27'])
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1'])
  })

  it('rolls from the highest ordinal down to the partition, waiting for each pod to be ready', async () => {
    await cluster.client.create(makeStatefulSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }))
    await cluster.clock.advance('60s')
    const oldRevision = (await stsStatus()).currentRevision
    timeline.length = 0
    await cluster.client.patch('apps/v1', 'StatefulSet', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }, { type: 'strategic' })
    await cluster.clock.advance('120s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27', 'web-1 Running nginx:1.28', 'web-2 Running nginx:1.28'])
    assert.deepEqual(withoutUid(timeline), ['delete web-2', 'gone web-2', 'add web-2', 'ready web-2', 'delete web-1', 'gone web-1', 'add web-1', 'ready web-1'])
    const s = await stsStatus()
    assert.notEqual(s.updateRevision, oldRevision)
    assert.deepEqual([s.currentRevision, s.currentReplicas, s.updatedReplicas, s.readyReplicas, s.observedGeneration], [oldRevision, 1, 2, 3, 2])

    await cluster.client.patch('apps/v1', 'StatefulSet', 'default', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.28', 'web-1 Running nginx:1.28', 'web-2 Running nginx:1.28'])
    const done = await stsStatus()
    assert.deepEqual([done.currentRevision, done.currentReplicas, done.updatedReplicas], [s.updateRevision, 3, 3])
    const revisions = (await cluster.client.list('apps/v1', 'ControllerRevision', { namespace: 'default' })).items
    assert.deepEqual(revisions.map(r => (r as Json).revision).sort(), [1, 2])
  })

  it('Parallel creates all pods without waiting; OnDelete replaces a pod only when it is deleted', async () => {
    await cluster.client.create(makeStatefulSet(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }))
    await cluster.clock.advance('60s')
    assert.deepEqual(timeline.filter(t => t.startsWith('add')), ['add web-0', 'add web-1', 'add web-2'])
    assert.ok(timeline.indexOf('add web-2') < timeline.indexOf('ready web-0'), `all three created before any was ready: ${timeline.join(', ')}`)
    await cluster.client.patch('apps/v1', 'StatefulSet', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }, { type: 'strategic' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27', 'web-1 Running nginx:1.27', 'web-2 Running nginx:1.27'])
    await cluster.client.delete('v1', 'Pod', 'default', 'web-1')
    await cluster.clock.advance('60s')
    assert.deepEqual(await summary(), ['web-0 Running nginx:1.27', 'web-1 Running nginx:1.28', 'web-2 Running nginx:1.27'])
    const s = await stsStatus()
    assert.deepEqual([s.currentReplicas, s.updatedReplicas, s.replicas], [2, 1, 3])
  })
})
