// Kubernetes' node-failure behaviour in virtual time, through a whole Cluster: a node stops, its
// conditions go Unknown and it is tainted; after the 300 s tolerations its pods are marked for
// deletion; the node comes back and is Ready again. Runs in well under a second of wall time.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'

type Json = Record<string, any>

describe('node failure in virtual time', () => {
  it('goes NotReady, is tainted, has its pods evicted after 300 s, and recovers', async () => {
    const cluster = await Cluster.start({ agents: 2, clock: 'virtual', seed: 5 })
    const node = 'k3sim-k3s-default-agent-0'
    try {
      await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'victim', namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.27' }] } } as any)
      await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stays', namespace: 'default' }, spec: { nodeName: node, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], containers: [{ name: 'c', image: 'nginx:1.27' }] } } as any)
      await cluster.settle()
      await cluster.stopNode(node)
      await cluster.clock.advance('40s')
      const ready = async (): Promise<Json> => ((await cluster.client.get('v1', 'Node', undefined, node)).status as Json).conditions.find((c: Json) => c.type === 'Ready')
      assert.equal((await ready()).status, 'True', 'still within the 50 s grace period')
      // Upstream: the first monitor pass more than 50 s after the last heartbeat (55 s) marks the
      // node Unknown and adds NoSchedule; the next pass adds NoExecute.
      await cluster.clock.advance('25s')
      const r = await ready()
      assert.deepEqual([r.status, r.reason, r.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'])
      const taints = ((await cluster.client.get('v1', 'Node', undefined, node)).spec as Json).taints.map((t: Json) => `${t.key}:${t.effect}`)
      assert.deepEqual(taints.sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'])
      assert.ok(cluster.events({ name: node, reason: 'NodeNotReady' }).length === 1)
      const podReady = ((await cluster.client.get('v1', 'Pod', 'default', 'victim')).status as Json).conditions.find((c: Json) => c.type === 'Ready')
      assert.equal(podReady.status, 'False')
      await cluster.clock.advance('5m')
      const victim = await cluster.client.get('v1', 'Pod', 'default', 'victim')
      assert.ok(victim.metadata.deletionTimestamp, 'the pod is marked for deletion (Terminating)')
      const disruption = ((victim.status as Json).conditions as Json[]).find(c => c.type === 'DisruptionTarget')
      assert.deepEqual([disruption?.reason, disruption?.message], ['DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint'])
      assert.equal(cluster.events({ name: 'victim', reason: 'TaintManagerEviction' })[0]?.message, 'Marking for deletion Pod default/victim')
      assert.equal((await cluster.client.get('v1', 'Pod', 'default', 'stays')).metadata.deletionTimestamp, undefined)
      await cluster.startNode(node)
      await cluster.clock.advance('10s')
      assert.equal((await ready()).status, 'True')
      assert.equal(((await cluster.client.get('v1', 'Node', undefined, node)).spec as Json).taints, undefined)
      await assert.rejects(cluster.client.get('v1', 'Pod', 'default', 'victim'), /not found/, 'the returning kubelet finishes the deletion')
      assert.equal((((await cluster.client.get('v1', 'Pod', 'default', 'stays')).status as Json).conditions as Json[]).find(c => c.type === 'Ready')?.status, 'True')
    } finally {
      await cluster.stop()
    }
  })
})
