import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'
import { nodeHosts } from '../../../src/addons/coredns/node-hosts.ts'

const nodes = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o))
const none = new Set<string>()

describe('coredns NodeHosts (k3s node controller)', () => {
  describe('nodeHosts()', () => {
    const cases: Array<{ name: string, current: string, nodes: Record<string, string>, removed?: string[], want: string }> = [
      { name: 'empty: one line per node, by name, each ending in a newline', current: '', nodes: { b: '10.0.0.2', a: '10.0.0.1' }, want: '10.0.0.1 a\n10.0.0.2 b\n' },
      { name: 'existing lines keep their order; new nodes are appended', current: '10.0.0.9 z\n10.0.0.1 a\n', nodes: { a: '10.0.0.1', z: '10.0.0.9', m: '10.0.0.5' }, want: '10.0.0.9 z\n10.0.0.1 a\n10.0.0.5 m\n' },
      { name: 'a node whose address changed is rewritten in place', current: '10.0.0.1 a\n10.0.0.2 b\n', nodes: { a: '10.0.0.7', b: '10.0.0.2' }, want: '10.0.0.7 a\n10.0.0.2 b\n' },
      { name: 'lines for other hosts (added by a user) are kept', current: '192.168.1.10 registry.local\n', nodes: { a: '10.0.0.1' }, want: '192.168.1.10 registry.local\n10.0.0.1 a\n' },
      { name: 'a deleted node\'s line goes, other hosts stay', current: '10.0.0.1 a\n10.0.0.2 b\n192.168.1.10 registry.local\n', nodes: { a: '10.0.0.1' }, removed: ['b'], want: '10.0.0.1 a\n192.168.1.10 registry.local\n' },
      { name: 'a node deleted and back is kept', current: '10.0.0.1 a\n', nodes: { a: '10.0.0.1' }, removed: ['a'], want: '10.0.0.1 a\n' },
      { name: 'lines without exactly two fields are dropped, as k3s drops them', current: 'garbage\n10.0.0.3 c extra\n\n  10.0.0.1   a  \n', nodes: { a: '10.0.0.1' }, want: '10.0.0.1 a\n' },
      { name: 'a host listed twice is written once', current: '10.0.0.1 a\n10.0.0.8 a\n', nodes: {}, want: '10.0.0.8 a\n' },
    ]
    for (const c of cases) {
      it(c.name, () => assert.equal(nodeHosts(c.current, nodes(c.nodes), new Set(c.removed ?? [])), c.want))
    }
    it('is unchanged when nothing changed (no write)', () => {
      const current = '10.0.0.2 b\n10.0.0.1 a\n'
      assert.equal(nodeHosts(current, nodes({ a: '10.0.0.1', b: '10.0.0.2' }), none), current)
    })
  })

  describe('on a cluster', function () {
    let cluster: Cluster | undefined
    afterEach(async () => { await cluster?.stop(); cluster = undefined })
    const hosts = async (c: Cluster): Promise<string | undefined> =>
      ((await c.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')) as KubeObject & { data: Record<string, string> }).data.NodeHosts

    it('follows nodes joining and leaving, keeping lines a user added', async () => {
      cluster = await Cluster.start({ agents: 1, clock: 'virtual', seed: 1 })
      assert.equal(await hosts(cluster), '172.18.0.3 k3sim-k3s-default-agent-0\n172.18.0.2 k3sim-k3s-default-server-0\n')
      const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')
      assert.ok(cm.metadata.managedFields?.some(f => f.manager === 'k3s' && JSON.stringify(f.fieldsV1).includes('f:NodeHosts')), JSON.stringify(cm.metadata.managedFields))

      await cluster.client.patch('v1', 'ConfigMap', 'kube-system', 'coredns', { data: { NodeHosts: `${(await hosts(cluster))!}192.168.1.10 registry.local\n` } }, { type: 'merge' })
      await cluster.addNode({ name: 'late' })
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.3 k3sim-k3s-default-agent-0\n172.18.0.2 k3sim-k3s-default-server-0\n192.168.1.10 registry.local\n172.18.0.4 late\n')
      await cluster.removeNode('k3sim-k3s-default-agent-0')
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n192.168.1.10 registry.local\n172.18.0.4 late\n')
      // The coredns pod runs with the key in place.
      const pods = (await cluster.client.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' })).items
      assert.equal((pods[0].status as { phase: string }).phase, 'Running')
    })

    it('leaves a user\'s coredns ConfigMap alone with --disable coredns, as k3s does', async () => {
      cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 1 })
      await cluster.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } })
      await cluster.addNode({ name: 'late' })
      await cluster.settle()
      assert.equal(await hosts(cluster), undefined)
    })
  })
})
