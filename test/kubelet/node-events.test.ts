// The kubelet's node schedulability events (recordNodeSchedulableEvent, one of its 10-second node
// status functions): a cordon shows as NodeNotSchedulable, an uncordon as NodeSchedulable.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

const NODE = 'k3sim-k3s-default-agent-0'

describe('kubelet: node schedulability events', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 3 }) })
  afterEach(async () => { await cluster.stop() })

  const reasons = (): string[] => cluster.events({ name: NODE }).map(e => String(e.reason)).filter(r => /Schedulable/.test(r))
  const cordon = async (unschedulable: boolean): Promise<void> => {
    await cluster.client.patch('v1', 'Node', undefined, NODE, { spec: { unschedulable } }, { type: 'strategic' })
  }

  it('announces a cordon and an uncordon within one node status period, from the kubelet', async () => {
    await cluster.clock.advance('30s')
    assert.deepEqual(reasons(), [], 'a node never cordoned says nothing')
    await cordon(true)
    await cluster.clock.advance('10s')
    assert.deepEqual(reasons(), ['NodeNotSchedulable'])
    const [event] = cluster.events({ name: NODE, reason: 'NodeNotSchedulable' })
    assert.equal(event.message ?? event.note, `Node ${NODE} status is now: NodeNotSchedulable`)
    assert.equal(event.type, 'Normal')
    await cordon(false)
    await cluster.clock.advance('10s')
    assert.deepEqual(reasons().sort(), ['NodeNotSchedulable', 'NodeSchedulable'])
  })

  it('a kubelet started on a cordoned node announces it, as after a restart', async () => {
    await cordon(true)
    await cluster.stopNode(NODE)
    await cluster.clock.advance('10s')
    assert.deepEqual(reasons(), [], 'a stopped kubelet announces nothing')
    await cluster.startNode(NODE)
    await cluster.clock.advance('10s')
    assert.deepEqual(reasons(), ['NodeNotSchedulable'])
  })
})
