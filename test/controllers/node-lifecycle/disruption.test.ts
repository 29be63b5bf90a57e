// Zone disruption and the tainting rate limit, and nodes that never posted status.
import assert from 'node:assert/strict'
import { garbageCollector } from '../../../src/controllers/garbage-collector/index.ts'
import type { Taint } from '../../../src/controllers/node-lifecycle/types.ts'
import { ControllerRunner } from '../../../src/controllers/runner.ts'
import { at, runningPod, startHarness, type Harness } from './fixtures.ts'

const taintList = (taints: Taint[] | undefined): string[] => (taints ?? []).map(t => `${t.key}:${t.effect}@${t.timeAdded ?? '-'}`)

describe('controllers/node-lifecycle: disruption', () => {
  let h: Harness
  beforeEach(async () => { h = await startHarness() })
  afterEach(async () => { await h.stop() })

  const start = async (): Promise<void> => {
    await h.runner.start()
    await h.settle()
  }

  it('all nodes down ("master disruption mode"): NotReady and NoSchedule, but no NoExecute taint and no eviction', async () => {
    await h.kubelets.register('server-0')
    await runningPod(h.api, 'web', 'server-0')
    await start()
    await h.advance('10m')
    const node = await h.node('server-0')
    assert.equal(node.status?.conditions?.find(c => c.type === 'Ready')?.status, 'Unknown')
    assert.deepEqual(taintList(node.spec?.taints), [`node.kubernetes.io/unreachable:NoSchedule@${at(55)}`])
    const web = await h.pod('web')
    assert.equal(web.metadata.deletionTimestamp, undefined)
    assert.equal(web.status?.conditions?.find(c => c.type === 'Ready')?.status, 'False')

    // Back: NoSchedule goes with the Ready post, and tainting resumes for later failures.
    await h.kubelets.recover('server-0')
    await h.advance('5s')
    assert.equal((await h.node('server-0')).spec?.taints, undefined)
    assert.deepEqual(h.errors, [])
  })

  it('taints NoExecute one node per 10 s in a zone (--node-eviction-rate 0.1)', async () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      await h.kubelets.register(name)
      if (name === 'c' || name === 'd') h.kubelets.start(name)
    }
    await start()
    await h.advance('75s') // a and b Unknown at 55 s; the pass at 60 s queues both
    assert.deepEqual(taintList((await h.node('a')).spec?.taints), [
      `node.kubernetes.io/unreachable:NoSchedule@${at(55)}`, `node.kubernetes.io/unreachable:NoExecute@${at(60)}`,
    ])
    assert.deepEqual(taintList((await h.node('b')).spec?.taints), [
      `node.kubernetes.io/unreachable:NoSchedule@${at(55)}`, `node.kubernetes.io/unreachable:NoExecute@${at(70)}`,
    ])
    assert.equal((await h.node('c')).spec?.taints, undefined)
  })

  it('a node that never posted status goes Unknown after the 60 s startup grace period', async () => {
    await h.kubelets.register('up')
    h.kubelets.start('up')
    await h.kubelets.register('mute', { conditions: false, lease: false })
    await start()
    await h.advance('60s')
    assert.equal((await h.node('mute')).status?.conditions, undefined)
    await h.advance('5s')
    const mute = await h.node('mute')
    const created = mute.metadata.creationTimestamp
    assert.deepEqual(mute.status?.conditions?.map(c => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]), [
      ['Ready', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', created, at(65)],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', created, at(65)],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', created, at(65)],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', created, at(65)],
    ])
    // It was never Ready, so no NodeNotReady; both taints follow in the same pass (the observed
    // Ready was already a fake Unknown one).
    assert.deepEqual(await h.events({ reason: 'NodeNotReady' }), [])
    assert.deepEqual(taintList(mute.spec?.taints), [
      `node.kubernetes.io/unreachable:NoSchedule@${at(65)}`, `node.kubernetes.io/unreachable:NoExecute@${at(65)}`,
    ])
    assert.equal((await h.events({ reason: 'RegisteredNode', name: 'mute' })).length, 1)
  })

  it('runs beside the garbage collector on shared informers', async () => {
    await h.stop()
    h = await startHarness({ withGarbageCollector: true })
    await h.kubelets.register('a')
    await h.kubelets.register('b')
    h.kubelets.start('b')
    await runningPod(h.api, 'web', 'a')
    await start()
    // Nodes, Pods and Leases: the collector's informers, not new ones.
    const gcAlone = new ControllerRunner({ client: h.api.client, clock: h.api.clock, controllers: [garbageCollector({ resources: h.api.resources })] })
    assert.equal(h.runner.informers.size, gcAlone.informers.size)
    await h.advance('6m')
    assert.ok((await h.pod('web')).metadata.deletionTimestamp !== undefined)
    assert.deepEqual(h.errors, [])
  })

  it('a node with only a renewed Lease (no status posts) stays healthy', async () => {
    await h.kubelets.register('leasy')
    h.kubelets.start('leasy')
    await start()
    await h.advance('10m')
    const node = await h.node('leasy')
    assert.equal(node.status?.conditions?.find(c => c.type === 'Ready')?.status, 'True')
    assert.equal(node.spec?.taints, undefined)
  })
})
