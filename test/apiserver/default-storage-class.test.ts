// The DefaultStorageClass admission plugin: a claim naming no class gets the default one at
// create, as `kubectl get pvc` shows at once on k3s (local-path).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import type { ApiServerCore } from '../../src/apiserver/core.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('DefaultStorageClass admission', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => { ({ core, client } = await startCore()) })
  afterEach(() => core.stop())

  const sc = (name: string, isDefault: boolean): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} }, provisioner: 'rancher.io/local-path' } as unknown as KubeObject)
  const claim = async (name: string, extra: Json = {}, annotations?: Record<string, string>): Promise<Json> => client.create({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', annotations },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
  } as unknown as KubeObject) as Promise<Json>

  it('names the default class in a claim that names none, and leaves explicit choices alone', async () => {
    assert.equal((await claim('before')).spec.storageClassName, undefined)
    await client.create(sc('slow', false))
    await client.create(sc('local-path', true))
    assert.equal((await claim('plain')).spec.storageClassName, 'local-path')
    assert.equal((await claim('empty', { storageClassName: '' })).spec.storageClassName, '')
    assert.equal((await claim('slow', { storageClassName: 'slow' })).spec.storageClassName, 'slow')
    assert.equal((await claim('beta', {}, { 'volume.beta.kubernetes.io/storage-class': 'slow' })).spec.storageClassName, undefined)
  })

  it('picks the newest of several defaults, then the first by name', async () => {
    await client.create(sc('b-default', true))
    await client.create(sc('a-default', true))
    // Same creation second (a virtual clock that does not move): by name.
    assert.equal((await claim('c')).spec.storageClassName, 'a-default')
  })
})
