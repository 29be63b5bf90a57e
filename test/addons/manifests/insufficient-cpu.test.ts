// The "Insufficient cpu" walkthrough on k3s-sized nodes: the add-ons' own requests (coredns and
// metrics-server, 100m each) count against the server node, so a 1-CPU pod that would fit a bare
// 2-CPU node does not; adding an agent schedules it.
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import type { KubeObject } from '../../../src/api/object.ts'

const deployment = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'big', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'big' } },
    template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '1' } } }] } },
  },
} as KubeObject)

async function bigPods (cluster: Cluster): Promise<Array<{ name: string, phase: string, node?: string }>> {
  const list = await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=big' })
  return list.items.map(p => ({ name: p.metadata.name!, phase: (p.status as { phase: string }).phase, node: (p.spec as { nodeName?: string }).nodeName }))
}

describe('Insufficient cpu, counting the add-ons\' requests', () => {
  let cluster: Cluster
  afterEach(async () => { await cluster?.stop() })

  it('leaves the second 1-CPU pod Pending on a 2-CPU server with the exact message; an agent schedules it', async () => {
    cluster = await Cluster.start({ clock: 'virtual', seed: 5, node: { cpu: '2', memory: '4Gi' } })
    const used = (await cluster.client.list('v1', 'Pod', { namespace: 'kube-system' })).items
      .filter(p => (p.status as { phase: string }).phase === 'Running')
      .flatMap(p => (p.spec as { containers: Array<{ resources?: { requests?: { cpu?: string } } }> }).containers)
      .map(c => c.resources?.requests?.cpu).filter(c => c !== undefined)
    assert.deepEqual(used.sort(), ['100m', '100m'])

    await cluster.client.create(deployment(2))
    await cluster.clock.advance('5s')
    const pods = await bigPods(cluster)
    assert.equal(pods.filter(p => p.phase === 'Running').length, 1, JSON.stringify(pods))
    const pending = pods.find(p => p.phase === 'Pending')
    assert.ok(pending !== undefined)
    const events = cluster.events({ name: pending.name, reason: 'FailedScheduling' })
    assert.equal(events.at(-1)?.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.')

    await cluster.addNode({ name: 'k3sim-k3s-default-agent-0', role: 'agent' })
    await cluster.clock.advance('5s')
    const after = await bigPods(cluster)
    assert.ok(after.every(p => p.phase === 'Running'), JSON.stringify(after))
    assert.equal(after.find(p => p.name === pending.name)?.node, 'k3sim-k3s-default-agent-0')
  })
})
