// The GC's sync(key) called directly against an InProcessClient (sample-controller's
// controller_test.go style): objects are written through the API, fed to the graph as the
// informers would, one key is synced, and the resulting state is asserted.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { garbageCollector, itemKey, type GarbageCollector } from '../../../src/controllers/garbage-collector/index.ts'
import { identityOf } from '../../../src/controllers/garbage-collector/graph.ts'
import { configMap, directContext, ownerRef, startApi, tryGet, type Api } from '../support.ts'

const clusterRole = (name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...meta }, rules: [] })

describe('controllers/garbage-collector sync', () => {
  let api: Api
  let gc: GarbageCollector
  beforeEach(async () => {
    api = await startApi()
    gc = garbageCollector({ resources: api.resources })
  })

  const create = (obj: KubeObject): Promise<KubeObject> => api.client.create(obj)
  /** An owner that existed once: created (for a real uid) then deleted. */
  const gone = async (obj: KubeObject): Promise<KubeObject> => {
    const o = await create(obj)
    await api.client.delete(o.apiVersion!, o.kind!, o.metadata.namespace, o.metadata.name!)
    return o
  }
  /** Show the graph the live state of these objects, as the informers would. */
  const observe = async (...objs: KubeObject[]): Promise<void> => {
    for (const o of objs) {
      const live = await tryGet(api.client, o)
      if (live !== undefined) gc.builder.process({ type: 'add', obj: live })
    }
  }
  const sync = async (action: 'delete' | 'orphan', obj: KubeObject): Promise<string[]> => {
    const ctx = directContext(api.client, api.clock)
    await gc.sync(itemKey(action, identityOf(obj)), ctx)
    return ctx.enqueued
  }

  describe('attempt to delete a dependent', () => {
    interface Case { name: string, dependent: () => Promise<KubeObject>, expect: 'deleted' | 'kept' | { owners: string[] } }
    const cases: Case[] = [
      { name: 'deletes it when its only owner is gone', dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await gone(configMap('o')))] })), expect: 'deleted' },
      {
        name: 'deletes it when its owner\'s name now belongs to another object (another uid)',
        dependent: async () => { const old = await gone(configMap('o')); await create(configMap('o')); return create(configMap('d', 'default', { ownerReferences: [ownerRef(old)] })) },
        expect: 'deleted',
      },
      { name: 'keeps it while its owner lives', dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await create(configMap('o')))] })), expect: 'kept' },
      {
        name: 'keeps it with one live owner, dropping the reference to the absent one',
        dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await create(configMap('live'))), ownerRef(await gone(configMap('dead')))] })),
        expect: { owners: ['live'] },
      },
      {
        name: 'deletes it when its namespaced owner lives in another namespace (not its owner)',
        dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await create(configMap('o', 'kube-system')))] })),
        expect: 'deleted',
      },
      { name: 'keeps a namespaced dependent of a live cluster-scoped owner', dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await create(clusterRole('o')))] })), expect: 'kept' },
      { name: 'deletes a namespaced dependent of an absent cluster-scoped owner', dependent: async () => create(configMap('d', 'default', { ownerReferences: [ownerRef(await gone(clusterRole('o')))] })), expect: 'deleted' },
      { name: 'never collects a cluster-scoped dependent naming a namespaced owner', dependent: async () => create(clusterRole('d', { ownerReferences: [ownerRef(await gone(configMap('o')))] })), expect: 'kept' },
      {
        name: 'keeps a dependent whose owner is of a kind the GC does not know',
        dependent: async () => create(configMap('d', 'default', { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'nope' }] })),
        expect: 'kept',
      },
      {
        name: 'leaves a dependent that is already being deleted alone',
        dependent: async () => {
          const d = await create(configMap('d', 'default', { finalizers: ['example.com/hold'], ownerReferences: [ownerRef(await gone(configMap('o')))] }))
          await api.client.delete('v1', 'ConfigMap', 'default', 'd')
          return d
        },
        expect: 'kept',
      },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        const dep = await c.dependent()
        const before = await tryGet(api.client, dep)
        await observe(dep)
        assert.deepEqual(await sync('delete', dep), [])
        const after = await tryGet(api.client, dep)
        if (c.expect === 'deleted') assert.equal(after, undefined)
        else if (c.expect === 'kept') assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion)
        else assert.deepEqual(after?.metadata.ownerReferences?.map(r => r.name), c.expect.owners)
      })
    }
  })

  it('orphan: removes the owner from its dependents\' references, then its finalizer, so it is deleted', async () => {
    const owner = await create(configMap('owner'))
    const other = await create(configMap('other'))
    const d1 = await create(configMap('d1', 'default', { ownerReferences: [ownerRef(owner, { block: true })] }))
    const d2 = await create(configMap('d2', 'default', { ownerReferences: [ownerRef(owner), ownerRef(other)] }))
    await api.client.delete('v1', 'ConfigMap', 'default', 'owner', { propagationPolicy: 'Orphan' })
    await observe(owner, other, d1, d2)
    await sync('orphan', owner)
    assert.equal(await tryGet(api.client, owner), undefined)
    assert.equal((await tryGet(api.client, d1))?.metadata.ownerReferences, undefined)
    assert.deepEqual((await tryGet(api.client, d2))?.metadata.ownerReferences?.map(r => r.name), ['other'])
  })

  it('foreground: an owner with a blocking dependent keeps its finalizer and queues that dependent', async () => {
    const owner = await create(configMap('owner'))
    const dep = await create(configMap('dep', 'default', { ownerReferences: [ownerRef(owner, { block: true })] }))
    await api.client.delete('v1', 'ConfigMap', 'default', 'owner', { propagationPolicy: 'Foreground' })
    await observe(owner, dep)
    assert.deepEqual(await sync('delete', owner), [itemKey('delete', identityOf(dep))])
    assert.deepEqual((await tryGet(api.client, owner))?.metadata.finalizers, ['foregroundDeletion'])
  })

  it('foreground: an owner whose dependents do not block loses its finalizer and is deleted', async () => {
    const owner = await create(configMap('owner'))
    const dep = await create(configMap('dep', 'default', { ownerReferences: [ownerRef(owner, { block: false })] }))
    await api.client.delete('v1', 'ConfigMap', 'default', 'owner', { propagationPolicy: 'Foreground' })
    await observe(owner, dep)
    await sync('delete', owner)
    assert.equal(await tryGet(api.client, owner), undefined)
    assert.notEqual(await tryGet(api.client, dep), undefined, 'collected later, in the background, as dangling')
  })

  it('foreground: a dependent without dependents of its own is deleted in the background', async () => {
    const owner = await create(configMap('owner'))
    const dep = await create(configMap('dep', 'default', { ownerReferences: [ownerRef(owner, { block: true })] }))
    await api.client.delete('v1', 'ConfigMap', 'default', 'owner', { propagationPolicy: 'Foreground' })
    await observe(owner, dep)
    await sync('delete', dep)
    assert.equal(await tryGet(api.client, dep), undefined)
  })

  it('foreground: a dependent with dependents of its own is deleted in the foreground too', async () => {
    const owner = await create(configMap('owner'))
    const mid = await create(configMap('mid', 'default', { ownerReferences: [ownerRef(owner, { block: true })] }))
    const leaf = await create(configMap('leaf', 'default', { ownerReferences: [ownerRef(mid, { block: true })] }))
    await api.client.delete('v1', 'ConfigMap', 'default', 'owner', { propagationPolicy: 'Foreground' })
    await observe(owner, mid, leaf)
    await sync('delete', mid)
    const live = await tryGet(api.client, mid)
    assert.notEqual(live?.metadata.deletionTimestamp, undefined)
    assert.deepEqual(live?.metadata.finalizers, ['foregroundDeletion'])
  })
})
