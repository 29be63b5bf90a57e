// The StatefulSet controller's sync(key) called once against a recording client: the set and its
// pods are set up through the API (pods' status written as a kubelet would), and each case asserts
// exactly the writes one sync makes. Expectations follow updateStatefulSet, processReplica and
// processCondemned in pkg/controller/statefulset/stateful_set_control.go (v1.32).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { computeHash } from '../../../src/controllers/history.ts'
import { statefulSetController } from '../../../src/controllers/statefulset/index.ts'
import { makeStatefulSet } from './fixtures.ts'
import { setPodStatus, startApi, syncOnce, type Api, type RecordingClient } from '../support.ts'

type Json = Record<string, any>


const STATUS = 'update StatefulSet default/web status'
const create = (...names: string[]): string[] => names.map(n => `create Pod default/${n}`)
const del = (...names: string[]): string[] => names.map(n => `delete Pod default/${n}`)

describe('controllers/statefulset sync', () => {
  let api: Api
  beforeEach(async () => { api = await startApi() })

  const sync = (): Promise<RecordingClient> => syncOnce(api, () => statefulSetController(), 'default/web')
  const sts = async (): Promise<Json> => await api.client.get('apps/v1', 'StatefulSet', 'default', 'web')
  /** The ControllerRevision name of the set's current template (pods carry it whole). */
  const revision = async (): Promise<string> => `web-${computeHash((await sts()).spec.template, 0)}`
  const pod = (name: string): Promise<KubeObject> => api.client.get('v1', 'Pod', 'default', name)
  const status = (rec: RecordingClient): Json => rec.sent(STATUS)[0]?.status
  /** Sync until nothing changes, marking each created pod Running and Ready: a settled set. */
  const settled = async (set: KubeObject): Promise<void> => {
    await api.client.create(set)
    for (let i = 0; i < 20; i++) {
      const rec = await sync()
      for (const p of rec.sent(/^create Pod/)) await setPodStatus(api.client, p)
      if (rec.calls.length === 0) return
    }
    throw new Error('the set did not settle in 20 syncs')
  }
  const setSpec = async (change: (spec: Json) => void): Promise<void> => {
    const live = await sts()
    change(live.spec)
    await api.client.update(live as KubeObject)
  }

  it('OrderedReady creates only ordinal 0 first, with its stable identity', async () => {
    await api.client.create(makeStatefulSet(3))
    const rev = await revision()
    const rec = await sync()
    assert.deepEqual(rec.calls, [`create ControllerRevision default/${rev}`, ...create('web-0'), STATUS])
    const p = rec.sent('create Pod default/web-0')[0]
    assert.deepEqual([p.spec.hostname, p.spec.subdomain], ['web-0', 'web'])
    assert.deepEqual(p.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': rev })
    assert.deepEqual(p.metadata.ownerReferences.map((r: Json) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['StatefulSet', 'web', true, true]])
    assert.deepEqual(rec.events, ['SuccessfulCreate create Pod web-0 in StatefulSet web successful'])
    assert.deepEqual(status(rec), { observedGeneration: 1, replicas: 0, currentRevision: rev, updateRevision: rev, collisionCount: 0, availableReplicas: 0 })
  })

  describe('does not create web-1 until web-0 is Running and Ready', () => {
    const cases: Array<{ name: string, web0: { phase?: string, ready?: boolean }, calls: string[] }> = [
      { name: 'web-0 Pending: only the status is written', web0: { phase: 'Pending' }, calls: [STATUS] },
      { name: 'web-0 Running but not Ready: only the status is written', web0: { ready: false }, calls: [STATUS] },
      { name: 'web-0 Running and Ready: web-1 is created', web0: {}, calls: [...create('web-1'), STATUS] },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        await api.client.create(makeStatefulSet(3))
        await sync()
        await setPodStatus(api.client, await pod('web-0'), c.web0)
        assert.deepEqual((await sync()).calls, c.calls)
      })
    }
  })

  it('Parallel creates all missing ordinals in one sync', async () => {
    await api.client.create(makeStatefulSet(3, { podManagementPolicy: 'Parallel' }))
    const rec = await sync()
    assert.deepEqual(rec.calls.filter(c => c.includes('Pod')), create('web-0', 'web-1', 'web-2'))
  })

  it('creates the PVC per volumeClaimTemplate before the pod, and mounts it by claim name', async () => {
    const claim = { metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }
    await api.client.create(makeStatefulSet(2, { volumeClaimTemplates: [claim] }))
    const rec = await sync()
    assert.deepEqual(rec.calls.slice(1), ['create PersistentVolumeClaim default/data-web-0', ...create('web-0'), STATUS])
    const pvc = rec.sent('create PersistentVolumeClaim default/data-web-0')[0]
    assert.deepEqual(pvc.metadata.labels, { tier: 'db', app: 'web' })
    assert.deepEqual(pvc.metadata.ownerReferences, undefined, 'retention policy Retain: the claim outlives the set')
    assert.deepEqual(pvc.spec, { ...claim.spec, volumeMode: 'Filesystem' }, 'the template\'s spec, as the API server defaulted it')
    assert.deepEqual(rec.sent('create Pod default/web-0')[0].spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }])
    assert.deepEqual(rec.events, ['SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success', 'SuccessfulCreate create Pod web-0 in StatefulSet web successful'])
  })

  it('reuses an existing claim: a recreated pod gets its old PVC, nothing new is created', async () => {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }
    await settled(makeStatefulSet(1, { volumeClaimTemplates: [claim] }))
    await api.client.delete('v1', 'Pod', 'default', 'web-0')
    assert.deepEqual((await sync()).calls.filter(c => !c.startsWith('update')), create('web-0'))
  })

  describe('scales down from the highest ordinal', () => {
    const cases = [
      { name: 'OrderedReady: one pod per sync, the highest first', extra: {}, deletes: ['web-2'] },
      { name: 'Parallel: every condemned pod in one sync, highest first', extra: { podManagementPolicy: 'Parallel' }, deletes: ['web-2', 'web-1'] },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        await settled(makeStatefulSet(3, c.extra))
        await setSpec(s => { s.replicas = 1 })
        const rec = await sync()
        assert.deepEqual(rec.calls, [...del(...c.deletes), STATUS])
        assert.deepEqual(rec.events, c.deletes.map(p => `SuccessfulDelete delete Pod ${p} in StatefulSet web successful`))
      })
    }
  })

  it('OrderedReady waits for a terminating pod to be gone before scaling further or recreating it', async () => {
    await settled(makeStatefulSet(2))
    const web0 = await pod('web-0')
    await api.client.update({ ...web0, metadata: { ...web0.metadata, finalizers: ['example.com/hold'] } })
    await api.client.delete('v1', 'Pod', 'default', 'web-0')
    await setSpec(s => { s.replicas = 3 })
    const rec = await sync()
    assert.deepEqual(rec.calls, [STATUS], 'neither web-0 again (stable identity) nor web-2')
  })

  it('deletes a Failed pod and recreates it only in a later sync', async () => {
    await settled(makeStatefulSet(2))
    await setPodStatus(api.client, await pod('web-1'), { phase: 'Failed' })
    assert.deepEqual((await sync()).calls, [...del('web-1'), STATUS])
    assert.deepEqual((await sync()).calls.filter(c => c.includes('Pod')), create('web-1'))
  })

  describe('rolling update', () => {
    it('deletes the highest ordinal first, then waits for its replacement to be Running and Ready', async () => {
      await settled(makeStatefulSet(3))
      const old = await revision()
      await setSpec(s => { s.template.spec.containers[0].image = 'nginx:1.28' })
      const rev = await revision()
      const rec = await sync()
      assert.deepEqual(rec.calls, [`create ControllerRevision default/${rev}`, ...del('web-2'), STATUS])
      assert.deepEqual(status(rec), { observedGeneration: 2, replicas: 3, readyReplicas: 3, currentReplicas: 2, currentRevision: old, updateRevision: rev, collisionCount: 0, availableReplicas: 3 },
        'the pod deleted for the update no longer counts as current')
      const recreate = await sync()
      assert.deepEqual(recreate.calls.filter(c => c.includes('Pod')), create('web-2'))
      assert.equal(recreate.sent('create Pod default/web-2')[0].metadata.labels['controller-revision-hash'], rev)
      assert.deepEqual((await sync()).calls, [STATUS], 'web-2 is not Ready yet: web-1 stays')
      await setPodStatus(api.client, await pod('web-2'))
      assert.deepEqual((await sync()).calls, [...del('web-1'), STATUS])
    })

    it('with partition leaves ordinals below it alone, and a recreated low ordinal keeps the current revision', async () => {
      await settled(makeStatefulSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }))
      const old = await revision()
      await setSpec(s => { s.template.spec.containers[0].image = 'nginx:1.28' })
      const rev = await revision()
      assert.deepEqual((await sync()).calls.filter(c => c.includes('Pod')), del('web-2'))
      const recreated = await sync()
      assert.equal(recreated.sent('create Pod default/web-2')[0].metadata.labels['controller-revision-hash'], rev)
      await setPodStatus(api.client, await pod('web-2'))
      const rec = await sync()
      assert.deepEqual(rec.calls, [STATUS], 'web-1 and web-0 are below the partition')
      assert.deepEqual(status(rec), { observedGeneration: 2, replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, currentRevision: old, updateRevision: rev, collisionCount: 0, availableReplicas: 3 })
      await api.client.delete('v1', 'Pod', 'default', 'web-0')
      const again = await sync()
      assert.equal(again.sent('create Pod default/web-0')[0].metadata.labels['controller-revision-hash'], old)
      assert.equal(again.sent('create Pod default/web-0')[0].spec.containers[0].image, 'nginx:1.27')
    })

    it('status: once every replica is updated and ready, the update revision becomes current', async () => {
      await settled(makeStatefulSet(1))
      await setSpec(s => { s.template.spec.containers[0].image = 'nginx:1.28' })
      const rev = await revision()
      await sync()
      await sync()
      await setPodStatus(api.client, await pod('web-0'))
      const rec = await sync()
      assert.deepEqual(status(rec), { observedGeneration: 2, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, currentRevision: rev, updateRevision: rev, collisionCount: 0, availableReplicas: 1 })
    })

    it('OnDelete: a changed template deletes no pod; a pod the user deletes comes back updated', async () => {
      await settled(makeStatefulSet(2, { updateStrategy: { type: 'OnDelete' } }))
      await setSpec(s => { s.template.spec.containers[0].image = 'nginx:1.28' })
      assert.deepEqual((await sync()).calls.filter(c => c.includes('Pod')), [])
      await api.client.delete('v1', 'Pod', 'default', 'web-1')
      assert.equal((await sync()).sent('create Pod default/web-1')[0].spec.containers[0].image, 'nginx:1.28')
    })
  })

  it('status of a settled set: replicas, readyReplicas, currentReplicas and both revisions', async () => {
    await settled(makeStatefulSet(3))
    const rev = await revision()
    assert.deepEqual((await sts()).status, { observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: rev, updateRevision: rev, collisionCount: 0, availableReplicas: 3 })
  })

  it('nothing changed → no writes', async () => {
    await settled(makeStatefulSet(3))
    const rec = await sync()
    assert.deepEqual([rec.calls, rec.events], [[], []])
  })
})
