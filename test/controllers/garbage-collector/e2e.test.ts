// The garbage collector running in the ControllerRunner: owner + dependents are written, the
// owner is deleted with each propagation policy, the runner goes idle, the outcome is asserted.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import type { DeleteOptions } from '../../../src/client/client.ts'
import type { ControllerError } from '../../../src/controllers/controller.ts'
import { garbageCollector } from '../../../src/controllers/garbage-collector/index.ts'
import { ControllerRunner } from '../../../src/controllers/runner.ts'
import { configMap, deployment, ownerRef, pod, replicaSet, settle, startApi, tryGet, type Api } from '../support.ts'

describe('controllers/garbage-collector through the runner', () => {
  let api: Api
  let runner: ControllerRunner
  let errors: ControllerError[]
  beforeEach(async () => {
    api = await startApi()
    errors = []
    runner = new ControllerRunner({ client: api.client, clock: api.clock, controllers: [garbageCollector({ resources: api.resources })], onError: e => errors.push(e) })
    await runner.start()
  })
  afterEach(async () => { await runner.stop() })

  /** deploy/web → rs/web-1 → pod/web-1-a, pod/web-1-b, as the workload controllers would write them. */
  const workload = async (): Promise<{ deploy: KubeObject, rs: KubeObject, pods: KubeObject[] }> => {
    const deploy = await api.client.create(deployment('web'))
    const rs = await api.client.create(replicaSet('web-1', deploy))
    const pods = [await api.client.create(pod('web-1-a', rs)), await api.client.create(pod('web-1-b', rs))]
    await runner.idle()
    return { deploy, rs, pods }
  }
  const del = async (obj: KubeObject, options: DeleteOptions = {}): Promise<void> => {
    await api.client.delete(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!, options)
    await settle(runner, api.clock)
  }
  const live = async (...objs: KubeObject[]): Promise<string[]> =>
    (await Promise.all(objs.map(async o => (await tryGet(api.client, o)) === undefined ? [] : [o.metadata.name!]))).flat()

  for (const policy of [undefined, 'Background', 'Foreground'] as const) {
    it(`deletes the whole tree when the owner is deleted with ${policy ?? 'no'} propagation policy`, async () => {
      const { deploy, rs, pods } = await workload()
      await del(deploy, policy === undefined ? {} : { propagationPolicy: policy })
      assert.deepEqual(await live(deploy, rs, ...pods), [])
      assert.equal(runner.busy(), false)
      assert.deepEqual(errors, [])
    })
  }

  it('orphans the dependents when the owner is deleted with Orphan, keeping their own dependents', async () => {
    const { deploy, rs, pods } = await workload()
    await del(deploy, { propagationPolicy: 'Orphan' })
    assert.deepEqual(await live(deploy, rs, ...pods), ['web-1', 'web-1-a', 'web-1-b'])
    assert.equal((await tryGet(api.client, rs))?.metadata.ownerReferences, undefined)
    assert.deepEqual((await tryGet(api.client, pods[0]))?.metadata.ownerReferences?.map(r => r.name), ['web-1'])
  })

  it('keeps a foreground-deleted owner until its last blocking dependent is gone', async () => {
    const deploy = await api.client.create(deployment('web'))
    const rs = await api.client.create(replicaSet('web-1', deploy))
    const held = await api.client.create(pod('held', rs, { finalizers: ['example.com/hold'] }))
    await del(deploy, { propagationPolicy: 'Foreground' })
    assert.deepEqual(await live(deploy, rs, held), ['web', 'web-1', 'held'], 'the held pod blocks the chain')
    assert.deepEqual((await tryGet(api.client, deploy))?.metadata.finalizers, ['foregroundDeletion'])
    await api.client.patch('v1', 'Pod', 'default', 'held', { metadata: { finalizers: null } })
    await settle(runner, api.clock)
    assert.deepEqual(await live(deploy, rs, held), [])
  })

  it('collects namespaced dependents of a cluster-scoped owner', async () => {
    const owner = await api.client.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'owner' }, rules: [] })
    const deps = [await api.client.create(configMap('a', 'default', { ownerReferences: [ownerRef(owner)] })), await api.client.create(configMap('b', 'kube-system', { ownerReferences: [ownerRef(owner)] }))]
    await runner.idle()
    assert.deepEqual(await live(...deps), ['a', 'b'])
    await del(owner)
    assert.deepEqual(await live(...deps), [])
  })

  it('collects a dependent created with an owner that never existed, or that lives in another namespace', async () => {
    const elsewhere = await api.client.create(configMap('owner', 'kube-system'))
    const deps = [
      await api.client.create(configMap('phantom', 'default', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] })),
      await api.client.create(configMap('misplaced', 'default', { ownerReferences: [ownerRef(elsewhere)] })),
    ]
    await settle(runner, api.clock)
    assert.deepEqual(await live(...deps, elsewhere), ['owner'])
  })

  it('leaves alone an object that loses its owner reference before the owner goes', async () => {
    const owner = await api.client.create(configMap('owner'))
    const dep = await api.client.create(configMap('dep', 'default', { ownerReferences: [ownerRef(owner)] }))
    await api.client.patch('v1', 'ConfigMap', 'default', 'dep', { metadata: { ownerReferences: null } })
    await del(owner)
    assert.deepEqual(await live(owner, dep), ['dep'])
    assert.deepEqual(errors, [])
  })
})
