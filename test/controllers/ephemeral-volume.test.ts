// Generic ephemeral volumes end to end with k3s's local-path: the ephemeral-volume controller
// makes the pod's claim, the scheduler waits for it, local-path provisions on the chosen node,
// the kubelet mounts it, and the claim and its volume go with the pod.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { Cluster } from '../../src/index.ts'

type Json = Record<string, any>

describe('generic ephemeral volumes', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: ADDON_NAMES.filter(a => a !== 'local-storage'), seed: 9 })
  })
  afterEach(async () => { await cluster.stop() })

  const pod = (name: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'app', image: 'nginx', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { type: 'scratch' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }],
    },
  } as unknown as KubeObject)
  const get = (kind: string, name: string, ns: string | undefined = 'default'): Promise<Json | undefined> => cluster.client.get('v1', kind, ns, name).then(o => o as Json, () => undefined)

  it('makes the claim for the pod, binds it where the pod runs, and removes both with the pod', async () => {
    const p = await cluster.client.create(pod('web')) as Json
    await cluster.settle()
    // The first attempt finds no claim yet; the claim's creation sends the pod to its 1 s back-off.
    await cluster.clock.advance('1s')
    const claim = await get('PersistentVolumeClaim', 'web-scratch')
    assert.deepEqual(claim?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: p.metadata.uid, controller: true, blockOwnerDeletion: true }])
    assert.deepEqual([claim?.metadata.labels, claim?.spec.storageClassName, claim?.status.phase], [{ type: 'scratch' }, 'local-path', 'Bound'])
    const running = await get('Pod', 'web')
    assert.equal(running?.status.phase, 'Running')
    const volume = claim!.spec.volumeName
    await cluster.client.delete('v1', 'Pod', 'default', 'web')
    await cluster.clock.advance('1m')
    await cluster.settle()
    assert.equal(await get('PersistentVolumeClaim', 'web-scratch'), undefined)
    assert.equal(await get('PersistentVolume', volume, undefined), undefined)
  })

  it('leaves the pod pending when a claim of that name is not its own, saying so', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'web-scratch', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as unknown as KubeObject)
    await cluster.client.create(pod('web'))
    await cluster.settle()
    const events = (await cluster.client.list('v1', 'Event', { namespace: 'default' })).items as Json[]
    const failed = events.find(e => e.reason === 'FailedBinding')
    assert.equal(failed?.message, 'ephemeral volume scratch: PVC default/web-scratch was not created for pod default/web (pod is not owner)')
    const scheduling = events.find(e => e.reason === 'FailedScheduling')
    assert.equal(scheduling?.message, '0/1 nodes are available: PVC default/web-scratch was not created for pod default/web (pod is not owner). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.')
    assert.equal((await get('Pod', 'web'))?.spec.nodeName, undefined)
  })
})
