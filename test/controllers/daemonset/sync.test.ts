// The DaemonSet controller's sync(key) called once against a recording client (sample-controller's
// controller_test.go style): nodes, the DaemonSet and its pods are set up through the API, the
// listers hold what the API holds, and each case asserts exactly the writes one sync makes.
// Expectations follow pkg/controller/daemon (daemon_controller.go, update.go) of v1.32.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { daemonSetController } from '../../../src/controllers/daemonset/index.ts'
import { computeHash } from '../../../src/controllers/history.ts'
import { setPodStatus, startApi, syncOnce, type Api, type RecordingClient } from '../support.ts'

type Json = Record<string, any>

const node = (name: string, o: { labels?: Record<string, string>, taints?: Json[] } = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, spec: o.taints === undefined ? {} : { taints: o.taints } })

function daemonSet (o: { nodeSelector?: Record<string, string>, maxUnavailable?: number | string, image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'ds' } },
      template: {
        metadata: { labels: { app: 'ds' } },
        spec: { containers: [{ name: 'agent', image: o.image ?? 'busybox:1.36' }], ...(o.nodeSelector === undefined ? {} : { nodeSelector: o.nodeSelector }) },
      },
      ...(o.maxUnavailable === undefined ? {} : { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable } } }),
    },
  }
}

const DAEMON_TOLERATIONS = [
  'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
  'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
]
const pinnedTo = (pod: Json): string => pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]

describe('controllers/daemonset sync', () => {
  let api: Api
  beforeEach(async () => { api = await startApi() })

  const sync = (): Promise<RecordingClient> => syncOnce(api, () => daemonSetController(), 'default/ds')
  const ds = (): Promise<KubeObject> => api.client.get('apps/v1', 'DaemonSet', 'default', 'ds')
  /** The revision hash of the DaemonSet's current template, as the controller names it. */
  const hash = async (): Promise<string> => computeHash((await ds() as Json).spec.template, 0)
  const pods = async (): Promise<KubeObject[]> => (await api.client.list('v1', 'Pod', { namespace: 'default' })).items
  const podOn = async (n: string): Promise<KubeObject> => (await pods()).find(p => pinnedTo(p) === n)!
  /** Nodes and a DaemonSet whose pods were created by one sync and are Running and Ready. */
  const running = async (nodes: KubeObject[], set: KubeObject = daemonSet()): Promise<void> => {
    for (const n of nodes) await api.client.create(n)
    await api.client.create(set)
    await sync()
    for (const p of await pods()) await setPodStatus(api.client, p)
  }
  const updateTemplate = async (image: string): Promise<void> => {
    const live = await ds()
    ;(live.spec as Json).template.spec.containers[0].image = image
    await api.client.update(live)
  }

  it('creates one pod per eligible node, pinned with matchFields metadata.name node affinity and the daemon tolerations', async () => {
    for (const n of ['a', 'b']) await api.client.create(node(n))
    await api.client.create(daemonSet())
    const h = await hash()
    const rec = await sync()
    assert.deepEqual(rec.calls, [`create ControllerRevision default/ds-${h}`, 'create Pod default/ds-', 'create Pod default/ds-', 'update DaemonSet default/ds status'])
    const sent = rec.sent('create Pod default/ds-')
    assert.deepEqual(sent.map(pinnedTo), ['a', 'b'])
    for (const p of sent) {
      assert.deepEqual(p.metadata.generateName, 'ds-')
      assert.deepEqual(p.metadata.labels, { app: 'ds', 'controller-revision-hash': h, 'pod-template-generation': '1' })
      assert.deepEqual(p.metadata.ownerReferences.map((r: Json) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['DaemonSet', 'ds', true, true]])
      assert.deepEqual(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pinnedTo(p)] }] }])
      assert.deepEqual(p.spec.tolerations.map((t: Json) => `${t.key}:${t.effect}`), DAEMON_TOLERATIONS)
      assert.equal(p.spec.nodeName, undefined, 'the scheduler binds it')
    }
    const names = (await pods()).map(p => p.metadata.name).sort()
    assert.deepEqual([...rec.events].sort(), names.map(n => `SuccessfulCreate Created pod: ${n}`))
    assert.deepEqual(rec.sent('update DaemonSet default/ds status')[0].status,
      { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0, observedGeneration: 1, numberUnavailable: 2 })
  })

  describe('placement', () => {
    interface Case { name: string, nodes: KubeObject[], set?: KubeObject, pinned: string[] }
    const cases: Case[] = [
      { name: 'creates nothing on a node whose untolerated NoSchedule taint excludes it', nodes: [node('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), node('b')], pinned: ['b'] },
      { name: 'creates nothing on a node with an untolerated NoExecute taint', nodes: [node('a', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }), node('b')], pinned: ['b'] },
      { name: 'creates a pod on a cordoned node: the daemon tolerations include unschedulable', nodes: [node('a', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })], pinned: ['a'] },
      { name: 'creates a pod on a NotReady node: the daemon tolerations include not-ready', nodes: [node('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] })], pinned: ['a'] },
      { name: 'creates pods only on nodes matching the nodeSelector', nodes: [node('a', { labels: { disk: 'ssd' } }), node('b')], set: daemonSet({ nodeSelector: { disk: 'ssd' } }), pinned: ['a'] },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        for (const n of c.nodes) await api.client.create(n)
        await api.client.create(c.set ?? daemonSet())
        const rec = await sync()
        assert.deepEqual(rec.sent(/^create Pod/).map(pinnedTo), c.pinned)
        assert.equal(rec.sent(/status$/)[0].status.desiredNumberScheduled, c.pinned.length)
      })
    }
  })

  it('writes status counts (desiredNumberScheduled, currentNumberScheduled, numberReady, updatedNumberScheduled, observedGeneration) and nothing else once pods run', async () => {
    await running([node('a'), node('b'), node('c')])
    await setPodStatus(api.client, await podOn('c'), { ready: false })
    const rec = await sync()
    assert.deepEqual(rec.calls, ['update DaemonSet default/ds status'])
    assert.deepEqual(rec.sent(/status$/)[0].status,
      { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 1 })
  })

  it('a second sync with nothing changed writes nothing', async () => {
    await running([node('a'), node('b')])
    await sync()
    const rec = await sync()
    assert.deepEqual(rec.calls, [])
    assert.deepEqual(rec.events, [])
  })

  describe('a node that changed under a running pod', () => {
    interface Case { name: string, change: Json, deleted: boolean, status: Json }
    const cases: Case[] = [
      {
        name: 'deletes the pod on a node that no longer matches the nodeSelector',
        change: { metadata: { labels: { disk: null } } },
        deleted: true,
        status: { currentNumberScheduled: 1, numberMisscheduled: 1, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
      },
      {
        name: 'deletes the pod on a node newly tainted NoExecute',
        change: { spec: { taints: [{ key: 'evict', effect: 'NoExecute' }] } },
        deleted: true,
        status: { currentNumberScheduled: 1, numberMisscheduled: 1, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
      },
      {
        name: 'keeps the pod on a node newly tainted NoSchedule (it should continue running), counting it misscheduled',
        change: { spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] } },
        deleted: false,
        status: { currentNumberScheduled: 1, numberMisscheduled: 1, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
      },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        await running([node('a', { labels: { disk: 'ssd' } }), node('b', { labels: { disk: 'ssd' } })], daemonSet({ nodeSelector: { disk: 'ssd' } }))
        await api.client.patch('v1', 'Node', undefined, 'a', c.change, { type: 'merge' })
        const victim = await podOn('a')
        const rec = await sync()
        assert.deepEqual(rec.calls, [...(c.deleted ? [`delete Pod default/${victim.metadata.name}`] : []), 'update DaemonSet default/ds status'])
        assert.deepEqual(rec.events, c.deleted ? [`SuccessfulDelete Deleted pod: ${victim.metadata.name}`] : [])
        assert.deepEqual(rec.sent(/status$/)[0].status, c.status)
      })
    }
  })

  describe('finished pods', () => {
    const cases = [
      { phase: 'Failed', event: (p: string) => `FailedDaemonPod Found failed daemon pod default/${p} on node a, will try to kill it` },
      { phase: 'Succeeded', event: (p: string) => `SucceededDaemonPod Found succeeded daemon pod default/${p} on node a, will try to delete it` },
    ]
    for (const c of cases) {
      it(`deletes a ${c.phase} daemon pod with a ${c.event('x').split(' ')[0]} event, and creates its replacement only in a later sync`, async () => {
        await running([node('a')])
        const done = await setPodStatus(api.client, await podOn('a'), { phase: c.phase })
        const rec = await sync()
        assert.deepEqual(rec.calls, [`delete Pod default/${done.metadata.name}`, 'update DaemonSet default/ds status'])
        assert.deepEqual(rec.events, [c.event(done.metadata.name!), `SuccessfulDelete Deleted pod: ${done.metadata.name}`])
        assert.deepEqual((await sync()).calls.filter(c => c.includes('Pod')), ['create Pod default/ds-'])
      })
    }
  })

  describe('rolling update', () => {
    const cases: Array<{ name: string, maxUnavailable?: number | string, deletes: number }> = [
      { name: 'deletes at most maxUnavailable old pods (default 1)', deletes: 1 },
      { name: 'deletes at most maxUnavailable old pods (2)', maxUnavailable: 2, deletes: 2 },
      { name: 'rounds a percentage maxUnavailable up (50% of 3 nodes is 2)', maxUnavailable: '50%', deletes: 2 },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        await running([node('a'), node('b'), node('c')], daemonSet({ maxUnavailable: c.maxUnavailable }))
        await updateTemplate('busybox:1.37')
        const h = await hash()
        const old = (await pods()).sort((x, y) => pinnedTo(x).localeCompare(pinnedTo(y))).map(p => p.metadata.name)
        const rec = await sync()
        assert.deepEqual(rec.calls, [`create ControllerRevision default/ds-${h}`, ...old.slice(0, c.deletes).map(p => `delete Pod default/${p}`), 'update DaemonSet default/ds status'])
        assert.deepEqual(rec.sent(/status$/)[0].status,
          { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 2, numberAvailable: 3 })
      })
    }

    it('replaces an unavailable old pod first, counting it against maxUnavailable', async () => {
      await running([node('a'), node('b'), node('c')])
      const unready = await setPodStatus(api.client, await podOn('b'), { ready: false })
      await updateTemplate('busybox:1.37')
      const rec = await sync()
      assert.deepEqual(rec.calls.filter(c => c.startsWith('delete')), [`delete Pod default/${unready.metadata.name}`])
    })

    it('waits while an updated pod is not yet available', async () => {
      await running([node('a'), node('b')])
      await updateTemplate('busybox:1.37')
      // An unscheduled pod is deleted at once, so the next sync creates its replacement (not ready yet).
      assert.equal((await sync()).sent(/^delete Pod/).length, 1)
      assert.deepEqual((await sync()).calls, ['create Pod default/ds-', 'update DaemonSet default/ds status'])
      assert.deepEqual((await sync()).calls, ['update DaemonSet default/ds status'], 'the new pod is not available: no further old pod is deleted')
    })

    it('does not roll in a sync that created a pod, budget left or not (upstream waits for the creation to be observed)', async () => {
      await running([node('a'), node('b')], daemonSet({ maxUnavailable: 2 }))
      await updateTemplate('busybox:1.37')
      await api.client.create(node('c'))
      const rec = await sync()
      assert.deepEqual(rec.calls.filter(c => !c.includes('ControllerRevision')), ['create Pod default/ds-', 'update DaemonSet default/ds status'])
    })

    it('OnDelete: a changed template replaces no pod', async () => {
      const set = daemonSet()
      ;(set.spec as Json).updateStrategy = { type: 'OnDelete' }
      await running([node('a')], set)
      await updateTemplate('busybox:1.37')
      assert.deepEqual((await sync()).calls.filter(c => c.includes('Pod')), [])
    })
  })

  it('a DaemonSet being deleted gets no writes at all, not even its status', async () => {
    await running([node('a')])
    const live = await ds()
    await api.client.update({ ...live, metadata: { ...live.metadata, finalizers: ['example.com/hold'] } })
    await api.client.delete('apps/v1', 'DaemonSet', 'default', 'ds')
    await api.client.create(node('b'))
    assert.deepEqual((await sync()).calls, [])
  })
})
