// Taints the node lifecycle controller keeps in step with node state, and taint-based eviction
// for taints anyone adds.
import assert from 'node:assert/strict'
import type { Node, Taint } from '../../../src/controllers/node-lifecycle/types.ts'
import { at, runningPod, startHarness, type Harness } from './fixtures.ts'

const taintList = (taints: Taint[] | undefined): string[] => (taints ?? []).map(t => `${t.key}:${t.effect}@${t.timeAdded ?? '-'}`)

describe('controllers/node-lifecycle: taints', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    for (const name of ['n1', 'n2']) {
      await h.kubelets.register(name)
      h.kubelets.start(name)
    }
  })
  afterEach(async () => { await h.stop() })

  const setSpec = async (name: string, change: (spec: NonNullable<Node['spec']>) => void): Promise<void> => {
    const node = await h.node(name)
    const spec = { ...node.spec }
    change(spec)
    await h.api.client.update({ ...node, spec })
  }

  it('a cordoned node gets node.kubernetes.io/unschedulable:NoSchedule until uncordoned', async () => {
    await h.runner.start()
    await h.settle()
    await h.advance('2s')
    await setSpec('n2', spec => { spec.unschedulable = true })
    await h.settle()
    assert.deepEqual(taintList((await h.node('n2')).spec?.taints), [`node.kubernetes.io/unschedulable:NoSchedule@${at(2)}`])
    await setSpec('n2', spec => { delete spec.unschedulable })
    await h.settle()
    assert.equal((await h.node('n2')).spec?.taints, undefined)
  })

  it('reconciles the beta os/arch labels from the stable ones', async () => {
    await h.kubelets.register('n3', { labels: { 'beta.kubernetes.io/os': 'windows' } })
    const node = await h.node('n3')
    const labels = { ...node.metadata.labels }
    delete labels['beta.kubernetes.io/arch']
    await h.api.client.update({ ...node, metadata: { ...node.metadata, labels } })
    await h.runner.start()
    await h.settle()
    const after = (await h.node('n3')).metadata.labels!
    assert.equal(after['beta.kubernetes.io/os'], 'linux')
    assert.equal(after['beta.kubernetes.io/arch'], 'amd64')
  })

  it('Ready=False from the kubelet: not-ready taints, swapped for unreachable once it goes silent; the deadline stands', async () => {
    await runningPod(h.api, 'web', 'n1')
    await h.runner.start()
    await h.settle()
    await h.advance('22s')
    h.kubelets.stop('n1')
    await h.kubelets.renew('n1')
    await h.kubelets.postReady('n1', { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' })
    await h.settle()
    assert.deepEqual(taintList((await h.node('n1')).spec?.taints), [`node.kubernetes.io/not-ready:NoSchedule@${at(22)}`])
    await h.advance('3s') // the pass at 25 s observes Ready=False
    assert.deepEqual(taintList((await h.node('n1')).spec?.taints), [
      `node.kubernetes.io/not-ready:NoSchedule@${at(22)}`, `node.kubernetes.io/not-ready:NoExecute@${at(25)}`,
    ])
    // The kubelet reported it: no NodeNotReady from the controller, pods are the kubelet's business.
    assert.deepEqual(await h.events({ reason: 'NodeNotReady' }), [])
    assert.deepEqual([...h.controller.eviction.scheduled()], [['default/web', Date.parse(at(325))]])

    await h.advance('60s') // last heartbeat seen at 25 s: Unknown at 80 s, NoExecute swapped at 85 s
    const n1 = await h.node('n1')
    assert.deepEqual(n1.status?.conditions?.find(c => c.type === 'Ready')?.reason, 'NodeStatusUnknown')
    assert.deepEqual(taintList(n1.spec?.taints), [
      `node.kubernetes.io/unreachable:NoSchedule@${at(80)}`, `node.kubernetes.io/unreachable:NoExecute@${at(85)}`,
    ])
    assert.deepEqual([...h.controller.eviction.scheduled()], [['default/web', Date.parse(at(325))]])
    await h.advance('4m')
    assert.ok((await h.pod('web')).metadata.deletionTimestamp !== undefined)
    assert.deepEqual(h.errors, [])
  })

  it('evicts for any NoExecute taint: untolerated at once, Exists kept, cancelled when the taint goes first', async () => {
    await runningPod(h.api, 'plain', 'n1')
    await runningPod(h.api, 'tolerant', 'n1', [{ operator: 'Exists' }])
    await runningPod(h.api, 'patient', 'n1', [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute', tolerationSeconds: 30 }])
    await runningPod(h.api, 'other', 'n2')
    await h.runner.start()
    await h.settle()
    await setSpec('n1', spec => { spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] })
    await h.settle()
    const plain = await h.pod('plain')
    assert.ok(plain.metadata.deletionTimestamp !== undefined, 'not tolerated: deleted at once')
    assert.equal(plain.status?.conditions?.find(c => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager')
    assert.deepEqual([...h.controller.eviction.scheduled()], [['default/patient', Date.parse(at(30))]])

    await h.advance('10s')
    await setSpec('n1', spec => { delete spec.taints })
    await h.settle()
    await h.advance('1m')
    for (const name of ['tolerant', 'patient', 'other']) assert.equal((await h.pod(name)).metadata.deletionTimestamp, undefined, name)
    const messages = (await h.events({ reason: 'TaintManagerEviction' })).map(e => e.message).sort()
    assert.deepEqual(messages, ['Cancelling deletion of Pod default/patient', 'Marking for deletion Pod default/plain'])
  })

  it('a pod bound later to a node that is not Ready is marked NotReady at once', async () => {
    await h.runner.start()
    await h.settle()
    h.kubelets.stop('n1')
    await h.advance('55s')
    assert.equal((await h.node('n1')).status?.conditions?.find(c => c.type === 'Ready')?.status, 'Unknown')
    // Ready already (as if from a kubelet), then bound: the binding is what the controller sees.
    const unbound = await runningPod(h.api, 'late', '')
    await h.settle()
    await h.api.client.post('v1', 'Pod', 'default', 'late', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'n1' } })
    assert.equal(unbound.status?.conditions?.find(c => c.type === 'Ready')?.status, 'True')
    await h.settle()
    const late = await h.pod('late')
    assert.equal(late.status?.conditions?.find(c => c.type === 'Ready')?.status, 'False')
    assert.deepEqual((await h.events({ reason: 'NodeNotReady', name: 'late' })).map(e => [e.type, e.message]), [['Warning', 'Node is not ready']])
  })

  it('stop() leaves no timers on the clock and the runner settles', async () => {
    await runningPod(h.api, 'web', 'n1')
    await h.runner.start()
    await h.settle()
    h.kubelets.stop('n1')
    await h.advance('70s')
    assert.equal(h.controller.eviction.scheduled().size, 1)
    await h.stop()
    assert.equal(h.api.clock.pending(), 0)
    await h.runner.idle()
  })
})
