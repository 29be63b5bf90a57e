// The local-path provisioner end to end: the scheduler picks the node for WaitForFirstConsumer
// claims, the provisioner creates a hostPath PV pinned there and binds it both ways.
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import { defaultStorageClass, localPathProvisioner } from '../../../src/addons/local-path/index.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const claim = (name: string, spec: Json = {}): any => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec },
})
const podWith = (name: string, claimName: string): any => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
})

describe('local-path provisioner', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 2, clock: 'virtual', seed: 1, controllers: () => [localPathProvisioner()] })
    await cluster.client.create(defaultStorageClass())
    await cluster.settle()
  })
  afterEach(async () => { await cluster.stop() })

  const get = (kind: string, name: string, ns: string | undefined = 'default'): Promise<Json> => cluster.client.get('v1', kind, ns, name) as Promise<Json>
  const volumes = async (): Promise<Json[]> => (await cluster.client.list('v1', 'PersistentVolume')).items as Json[]

  it('ships k3s\'s default StorageClass', () => {
    assert.deepEqual(defaultStorageClass(), {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete',
    })
  })

  it('leaves a WaitForFirstConsumer claim Pending until a pod uses it', async () => {
    await cluster.client.create(claim('data', { storageClassName: 'local-path' }))
    await cluster.settle()
    const pvc = await get('PersistentVolumeClaim', 'data')
    assert.equal(pvc.status.phase, 'Pending')
    assert.equal(pvc.spec.volumeName, undefined)
    assert.deepEqual(await volumes(), [])
    assert.ok(cluster.events({ reason: 'WaitForFirstConsumer', name: 'data' }).length >= 1)
  })

  it('provisions on the pod\'s node and binds both ways (WaitForFirstConsumer, default class)', async () => {
    // The add-on's pod, whose name (and UID, standing for the run's UUID) the provisioner's events carry.
    const provisionerPod = await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'local-path-provisioner-5c6bfbfd4d-hkqqz', namespace: 'kube-system', labels: { app: 'local-path-provisioner' } }, spec: { containers: [{ name: 'local-path-provisioner', image: 'rancher/local-path-provisioner:v0.0.30' }] } } as any)
    await cluster.client.create(claim('data'))
    await cluster.client.create(podWith('app', 'data'))
    await cluster.settle()
    const pod = await get('Pod', 'app')
    assert.equal(pod.status.phase, 'Running')
    const node = pod.spec.nodeName
    const pvc = await get('PersistentVolumeClaim', 'data')
    const pvName = `pvc-${pvc.metadata.uid}`
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'], node)
    assert.equal(pvc.spec.volumeName, pvName)
    assert.deepEqual(pvc.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } })
    assert.equal(pvc.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes')
    assert.equal(pvc.metadata.annotations['pv.kubernetes.io/bound-by-controller'], 'yes')
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path')
    const pv = await get('PersistentVolume', pvName, undefined)
    assert.deepEqual(pv.metadata.annotations, { 'local.path.provisioner/selected-node': node, 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' })
    assert.equal(pv.spec.hostPath.path, `/var/lib/rancher/k3s/storage/${pvName}_default_data`)
    assert.deepEqual(pv.spec.capacity, { storage: '2Gi' })
    assert.deepEqual(pv.spec.accessModes, ['ReadWriteOnce'])
    assert.equal(pv.spec.storageClassName, 'local-path')
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete')
    assert.deepEqual(pv.spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } })
    assert.deepEqual([pv.spec.claimRef.namespace, pv.spec.claimRef.name, pv.spec.claimRef.uid], ['default', 'data', pvc.metadata.uid])
    assert.equal(pv.status.phase, 'Bound')
    const reasons = cluster.events({ name: 'data', kind: 'PersistentVolumeClaim' }) as Json[]
    const by = (r: string): Json => reasons.find(e => e.reason === r)!
    assert.match(by('ExternalProvisioning').message, /^Waiting for a volume to be created either by the external provisioner 'rancher.io\/local-path' or manually/)
    assert.equal(by('ExternalProvisioning').source.component, 'persistentvolume-controller')
    assert.equal(by('Provisioning').message, 'External provisioner is provisioning volume for claim "default/data"')
    assert.equal(by('Provisioning').source.component, `rancher.io/local-path_local-path-provisioner-5c6bfbfd4d-hkqqz_${provisionerPod.metadata.uid}`)
    assert.equal(by('ProvisioningSucceeded').message, `Successfully provisioned volume ${pvName}`)
  })

  it('provisions an Immediate claim at once, and deletes the volume with the claim (reclaim Delete)', async () => {
    await cluster.client.create({ ...defaultStorageClass(), metadata: { name: 'now' }, volumeBindingMode: 'Immediate' } as any)
    await cluster.client.create(claim('now', { storageClassName: 'now' }))
    await cluster.settle()
    const pvc = await get('PersistentVolumeClaim', 'now')
    assert.equal(pvc.status.phase, 'Bound')
    const pv = await get('PersistentVolume', pvc.spec.volumeName, undefined)
    assert.equal(pv.status.phase, 'Bound')
    assert.equal(pv.spec.storageClassName, 'now')
    await cluster.client.delete('v1', 'PersistentVolumeClaim', 'default', 'now')
    await cluster.settle()
    assert.deepEqual(await volumes(), [])
  })

  it('keeps a Retain volume as Released', async () => {
    await cluster.client.create({ ...defaultStorageClass(), metadata: { name: 'keep' }, volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain' } as any)
    await cluster.client.create(claim('kept', { storageClassName: 'keep' }))
    await cluster.settle()
    const pvc = await get('PersistentVolumeClaim', 'kept')
    await cluster.client.delete('v1', 'PersistentVolumeClaim', 'default', 'kept')
    await cluster.settle()
    const pv = await get('PersistentVolume', pvc.spec.volumeName, undefined)
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain')
    assert.equal(pv.status.phase, 'Released')
  })

  it('ignores claims of other provisioners', async () => {
    await cluster.client.create({ ...defaultStorageClass(), metadata: { name: 'other' }, provisioner: 'example.com/nfs', volumeBindingMode: 'Immediate' } as any)
    await cluster.client.create(claim('other', { storageClassName: 'other' }))
    await cluster.settle()
    assert.equal((await get('PersistentVolumeClaim', 'other')).spec.volumeName, undefined)
    assert.deepEqual(await volumes(), [])
  })
})
