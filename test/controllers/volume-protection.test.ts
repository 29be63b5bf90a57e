// StorageObjectInUseProtection with the pvc-protection and pv-protection controllers, in a
// cluster with k3s's local-path provisioner: a claim in use by a pod stays Terminating until the
// pod is gone; a Bound volume is not removed under its claim; both are cleaned up after.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { Cluster } from '../../src/index.ts'

type Json = Record<string, any>

describe('volume protection', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: ADDON_NAMES.filter(a => a !== 'local-storage'), seed: 8 })
  })
  afterEach(async () => { await cluster.stop() })

  const claim = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as unknown as KubeObject)
  const podUsing = (name: string, claimName: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] } } as unknown as KubeObject)
  const get = (kind: string, name: string, ns: string | undefined = 'default'): Promise<Json | undefined> => cluster.client.get('v1', kind, ns, name).then(o => o as Json, () => undefined)

  it('gives new claims and volumes their protection finalizers, and the default class', async () => {
    const c = await cluster.client.create(claim('data')) as Json
    assert.deepEqual(c.metadata.finalizers, ['kubernetes.io/pvc-protection'])
    assert.equal(c.spec.storageClassName, 'local-path')
    await cluster.client.create(podUsing('app', 'data'))
    await cluster.settle()
    const bound = await get('PersistentVolumeClaim', 'data')
    const pv = await get('PersistentVolume', bound!.spec.volumeName, undefined)
    assert.deepEqual(pv!.metadata.finalizers, ['kubernetes.io/pv-protection'])
  })

  it('keeps a claim a pod uses Terminating until the pod is gone, then releases and deletes its volume', async () => {
    await cluster.client.create(claim('data'))
    await cluster.client.create(podUsing('app', 'data'))
    await cluster.settle()
    const volumeName = (await get('PersistentVolumeClaim', 'data'))!.spec.volumeName
    await cluster.client.delete('v1', 'PersistentVolumeClaim', 'default', 'data')
    await cluster.settle()
    const held = await get('PersistentVolumeClaim', 'data')
    assert.ok(held?.metadata.deletionTimestamp !== undefined)
    assert.deepEqual(held?.metadata.finalizers, ['kubernetes.io/pvc-protection'])
    assert.equal((await get('PersistentVolume', volumeName, undefined))?.status.phase, 'Bound')
    await cluster.client.delete('v1', 'Pod', 'default', 'app')
    await cluster.clock.advance('1m')
    await cluster.settle()
    assert.equal(await get('PersistentVolumeClaim', 'data'), undefined)
    assert.equal(await get('PersistentVolume', volumeName, undefined), undefined)
  })

  it('keeps a Bound volume that is deleted until its claim lets go of it', async () => {
    await cluster.client.create(claim('data'))
    await cluster.client.create(podUsing('app', 'data'))
    await cluster.settle()
    const volumeName = (await get('PersistentVolumeClaim', 'data'))!.spec.volumeName
    await cluster.client.delete('v1', 'PersistentVolume', undefined, volumeName)
    await cluster.settle()
    const pv = await get('PersistentVolume', volumeName, undefined)
    assert.ok(pv?.metadata.deletionTimestamp !== undefined)
    assert.equal(pv?.status.phase, 'Bound')
  })

  it('puts a removed finalizer back on a claim that is not being deleted', async () => {
    await cluster.client.create(claim('data'))
    // Read after the controllers have written its status (Pending), so the update does not race them.
    await cluster.settle()
    const c = (await get('PersistentVolumeClaim', 'data'))!
    await cluster.client.update({ ...c, metadata: { ...c.metadata, finalizers: [] } } as unknown as KubeObject)
    await cluster.settle()
    assert.deepEqual((await get('PersistentVolumeClaim', 'data'))?.metadata.finalizers, ['kubernetes.io/pvc-protection'])
  })
})
