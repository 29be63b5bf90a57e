// A kubelet stops: the node lifecycle controller, through the runner on a virtual clock, marks
// its node Unknown after the 50 s grace period, taints it unreachable, marks its pods NotReady,
// evicts them when their tolerations run out, and undoes the taints when the kubelet is back.
import assert from 'node:assert/strict'
import type { Taint } from '../../../src/controllers/node-lifecycle/types.ts'
import { at, DAEMONSET_TOLERATIONS, runningPod, startHarness, type Harness } from './fixtures.ts'

const statusOf = (node: { status?: { conditions?: Array<{ type: string, status: string }> } }, type = 'Ready'): string | undefined =>
  node.status?.conditions?.find(c => c.type === type)?.status
const taintList = (taints: Taint[] | undefined): string[] => (taints ?? []).map(t => `${t.key}:${t.effect}@${t.timeAdded ?? '-'}`)

describe('controllers/node-lifecycle: a node whose kubelet stops', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    // Two nodes: with every node down the controller would enter "master disruption mode".
    await h.kubelets.register('n1')
    await h.kubelets.register('n2')
    h.kubelets.start('n2')
    await runningPod(h.api, 'web', 'n1') // admission adds the default 300 s tolerations
    await runningPod(h.api, 'slow', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 }])
    await runningPod(h.api, 'impatient', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }])
    await runningPod(h.api, 'ds', 'n1', DAEMONSET_TOLERATIONS)
    await runningPod(h.api, 'elsewhere', 'n2')
    await h.runner.start()
    await h.settle()
  })
  afterEach(async () => { await h.stop() })

  it('records RegisteredNode once per node and keeps the runner idle between passes', async () => {
    await h.advance('1m')
    const registered = await h.events({ reason: 'RegisteredNode' })
    assert.deepEqual(registered.map(e => [e.involvedObject.name, e.message, e.source.component, e.type, e.count]).sort(), [
      ['n1', 'Node n1 event: Registered Node n1 in Controller', 'node-controller', 'Normal', 1],
      ['n2', 'Node n2 event: Registered Node n2 in Controller', 'node-controller', 'Normal', 1],
    ])
    assert.equal(h.runner.busy(), false)
    assert.equal(h.runner.pendingRetries(), 0)
  })

  it('stays Ready for the 50 s grace period, then goes Unknown, tainted, with its pods NotReady', async () => {
    await h.advance('40s')
    let n1 = await h.node('n1')
    assert.equal(statusOf(n1), 'True')
    assert.deepEqual(n1.spec?.taints, undefined)

    // Passes run every 5 s from the start; the first with more than 50 s of silence is at 55 s.
    await h.advance('15s')
    n1 = await h.node('n1')
    assert.deepEqual(n1.status?.conditions?.map(c => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]), [
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(0), at(55)],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(0), at(55)],
      ['PIDPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(0), at(55)],
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(0), at(55)],
    ])
    // NoSchedule follows the condition at once; NoExecute is queued by the next pass.
    assert.deepEqual(taintList(n1.spec?.taints), [`node.kubernetes.io/unreachable:NoSchedule@${at(55)}`])
    assert.equal(statusOf(await h.node('n2')), 'True')

    const notReady = await h.events({ reason: 'NodeNotReady' })
    assert.deepEqual(notReady.map(e => [e.involvedObject.kind, e.involvedObject.name, e.type, e.message, e.source.component]).sort(), [
      ['Node', 'n1', 'Normal', 'Node n1 status is now: NodeNotReady', 'node-controller'],
      ['Pod', 'ds', 'Warning', 'Node is not ready', 'node-controller'],
      ['Pod', 'impatient', 'Warning', 'Node is not ready', 'node-controller'],
      ['Pod', 'slow', 'Warning', 'Node is not ready', 'node-controller'],
      ['Pod', 'web', 'Warning', 'Node is not ready', 'node-controller'],
    ])
    const web = await h.pod('web')
    assert.deepEqual(web.status?.conditions?.find(c => c.type === 'Ready'), { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: at(55) })
    assert.equal(statusOf(web, 'ContainersReady'), 'True')
    assert.equal(statusOf(await h.pod('elsewhere')), 'True')

    await h.advance('5s')
    n1 = await h.node('n1')
    assert.deepEqual(taintList(n1.spec?.taints), [
      `node.kubernetes.io/unreachable:NoSchedule@${at(55)}`,
      `node.kubernetes.io/unreachable:NoExecute@${at(60)}`,
    ])
    assert.deepEqual(h.errors, [])
  })

  it('evicts by tolerations: at once for 0 s, at timeAdded + 300 s by default, never for DaemonSet pods', async () => {
    await h.advance('60s') // NoExecute taint at 60 s
    const impatient = await h.pod('impatient')
    assert.ok(impatient.metadata.deletionTimestamp !== undefined, 'tolerationSeconds 0: deleted at once')
    assert.equal((await h.pod('web')).metadata.deletionTimestamp, undefined)
    assert.deepEqual([...h.controller.eviction.scheduled()].sort(), [
      ['default/slow', Date.parse(at(660))], ['default/web', Date.parse(at(360))],
    ])

    await h.advance('4m59s')
    assert.equal((await h.pod('web')).metadata.deletionTimestamp, undefined)
    await h.advance('1s') // 360 s = timeAdded + 300 s
    const web = await h.pod('web')
    assert.ok(web.metadata.deletionTimestamp !== undefined, 'graceful deletion: Terminating while no kubelet finishes it')
    const { lastTransitionTime, ...target } = web.status?.conditions?.find(c => c.type === 'DisruptionTarget') ?? {}
    assert.deepEqual(target, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null })
    assert.equal(lastTransitionTime, at(360))
    const ds = await h.pod('ds')
    assert.equal(ds.metadata.deletionTimestamp, undefined)
    assert.equal(ds.status?.conditions?.some(c => c.type === 'DisruptionTarget'), false)
    assert.equal((await h.pod('elsewhere')).metadata.deletionTimestamp, undefined)

    const evictions = await h.events({ reason: 'TaintManagerEviction' })
    assert.deepEqual(evictions.map(e => [e.involvedObject.name, e.type, e.message, e.source.component, e.firstTimestamp]).sort(), [
      ['impatient', 'Normal', 'Marking for deletion Pod default/impatient', 'taint-eviction-controller', at(60)],
      ['web', 'Normal', 'Marking for deletion Pod default/web', 'taint-eviction-controller', at(360)],
    ])
    assert.deepEqual(h.errors, [])
  })

  it('removes the taints and cancels pending evictions when the kubelet is back', async () => {
    await h.advance('6m') // web evicted at 360 s, slow still pending (660 s)
    await h.kubelets.recover('n1')
    await h.settle()
    let n1 = await h.node('n1')
    assert.equal(statusOf(n1), 'True')
    // The NoSchedule taint follows the posted condition at once, NoExecute at the next pass.
    assert.deepEqual(taintList(n1.spec?.taints), [`node.kubernetes.io/unreachable:NoExecute@${at(60)}`])
    await h.advance('5s')
    n1 = await h.node('n1')
    assert.deepEqual(n1.spec?.taints, undefined)
    const cancelled = (await h.events({ reason: 'TaintManagerEviction' })).filter(e => e.message.startsWith('Cancelling'))
    assert.deepEqual(cancelled.map(e => [e.involvedObject.name, e.message]), [['slow', 'Cancelling deletion of Pod default/slow']])
    assert.deepEqual([...h.controller.eviction.scheduled()], [])
    await h.advance('10m')
    assert.equal((await h.pod('slow')).metadata.deletionTimestamp, undefined)
    assert.equal(statusOf(await h.node('n1')), 'True')
    assert.equal((await h.events({ reason: 'RegisteredNode' })).length, 2)
    assert.deepEqual(h.errors, [])
  })
})
