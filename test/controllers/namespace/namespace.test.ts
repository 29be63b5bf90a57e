// The namespace controller: sync(name) called directly, and the full deletion flow with the
// garbage collector in the runner.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { isStatusError } from '../../../src/apiserver/errors.ts'
import { garbageCollector } from '../../../src/controllers/garbage-collector/index.ts'
import { namespaceController, syncNamespace } from '../../../src/controllers/namespace/index.ts'
import { ControllerRunner } from '../../../src/controllers/runner.ts'
import { configMap, deployment, directContext, pod, replicaSet, settle, startApi, tryGet, type Api } from '../support.ts'
import { serviceAccountController } from '../../../src/controllers/serviceaccount/index.ts'

const namespace = (name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...meta } })
type Ns = KubeObject & { spec?: { finalizers?: string[] }, status?: { phase?: string, conditions?: Array<{ type: string, status: string }> } }

describe('controllers/namespace', () => {
  let api: Api
  beforeEach(async () => { api = await startApi() })

  const getNs = (name: string): Promise<Ns | undefined> => tryGet(api.client, namespace(name)) as Promise<Ns | undefined>
  const contentLeft = async (ns: string): Promise<string[]> => {
    const out: string[] = []
    for (const r of api.resources.filter(r => r.namespaced)) {
      for (const item of (await api.client.list(r.apiVersion, r.kind, { namespace: ns })).items) out.push(`${r.kind}/${item.metadata.name}`)
    }
    return out
  }
  describe('sync(name)', () => {
    it('leaves a namespace that is not being deleted alone', async () => {
      const ns = await api.client.create(namespace('team'))
      await api.client.create(configMap('c', 'team'))
      await syncNamespace(directContext(api.client, api.clock), api.resources, 'team')
      assert.equal((await getNs('team'))?.metadata.resourceVersion, ns.metadata.resourceVersion)
      assert.deepEqual(await contentLeft('team'), ['ConfigMap/c'])
    })

    it('marks it Terminating, deletes its content and removes the `kubernetes` finalizer', async () => {
      // A metadata finalizer of someone else keeps the namespace around after our part is done.
      await api.client.create(namespace('team', { finalizers: ['example.com/hold'] }))
      for (const name of ['a', 'b']) await api.client.create(configMap(name, 'team'))
      await api.client.delete('v1', 'Namespace', undefined, 'team')
      await syncNamespace(directContext(api.client, api.clock), api.resources, 'team')
      const ns = await getNs('team')
      assert.equal(ns?.status?.phase, 'Terminating')
      assert.deepEqual(ns?.spec?.finalizers, [])
      assert.deepEqual(ns?.status?.conditions?.map(c => `${c.type}=${c.status}`), [
        'NamespaceDeletionDiscoveryFailure=False', 'NamespaceDeletionGroupVersionParsingFailure=False',
        'NamespaceDeletionContentFailure=False', 'NamespaceContentRemaining=False', 'NamespaceFinalizersRemaining=False',
      ])
      assert.deepEqual(await contentLeft('team'), [])
      await assert.rejects(api.client.create(configMap('late', 'team')), (err: unknown) => isStatusError(err, 403))
      await api.client.patch('v1', 'Namespace', undefined, 'team', { metadata: { finalizers: null } })
      assert.equal(await getNs('team'), undefined)
    })
  })

  describe('with the garbage collector, through the runner', () => {
    let runner: ControllerRunner
    beforeEach(async () => {
      const { resources } = api
      runner = new ControllerRunner({ client: api.client, clock: api.clock, controllers: [garbageCollector({ resources }), namespaceController({ resources }), serviceAccountController()] })
      await runner.start()
    })
    afterEach(async () => { await runner.stop() })

    const populate = async (ns: string): Promise<void> => {
      for (const name of ['one', 'two', 'three']) await api.client.create(configMap(name, ns))
      const deploy = await api.client.create(deployment('web', ns))
      const rs = await api.client.create(replicaSet('web-1', deploy, ns))
      await api.client.create(pod('web-1-a', rs))
      await runner.idle()
    }

    it('deletes a namespace with configmaps and a deployment: the namespace and its content are gone', async function () {
      await api.client.create(namespace('team'))
      await populate('team')
      await api.client.delete('v1', 'Namespace', undefined, 'team')
      await settle(runner, api.clock)
      assert.equal(await getNs('team'), undefined)
      assert.deepEqual(await contentLeft('team'), [])
    })

    it('keeps the namespace Terminating while content waits on a finalizer, then finishes', async function () {
      await api.client.create(namespace('team'))
      await populate('team')
      await api.client.create(configMap('held', 'team', { finalizers: ['example.com/hold'] }))
      await api.client.delete('v1', 'Namespace', undefined, 'team')
      await settle(runner, api.clock)
      const ns = await getNs('team')
      assert.equal(ns?.status?.phase, 'Terminating')
      assert.deepEqual(ns?.status?.conditions?.filter(c => c.status === 'True').map(c => c.type), ['NamespaceContentRemaining', 'NamespaceFinalizersRemaining'])
      assert.deepEqual(await contentLeft('team'), ['ConfigMap/held'])
      await api.client.patch('v1', 'ConfigMap', 'team', 'held', { metadata: { finalizers: null } })
      await settle(runner, api.clock)
      assert.equal(await getNs('team'), undefined)
    })

    it('finalizes a namespace that also has a metadata finalizer; the server deletes it when that goes', async () => {
      await api.client.create(namespace('team', { finalizers: ['example.com/hold'] }))
      await populate('team')
      await api.client.delete('v1', 'Namespace', undefined, 'team')
      await settle(runner, api.clock)
      assert.deepEqual((await getNs('team'))?.spec?.finalizers, [])
      assert.deepEqual(await contentLeft('team'), [])
      await api.client.patch('v1', 'Namespace', undefined, 'team', { metadata: { finalizers: null } })
      await settle(runner, api.clock)
      assert.equal(await getNs('team'), undefined)
    })
  })

})
