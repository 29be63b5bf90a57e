import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'
import { applyNode, formatNodeHosts, parseNodeHosts, type NodeEntry } from '../../../src/addons/coredns/node-hosts.ts'

describe('coredns NodeHosts (k3s node controller)', () => {
  describe('k3s v1.32\'s updateCoreDNSConfigMap', () => {
    const entry = (name: string, ipv4: string, o: Partial<NodeEntry> = {}): NodeEntry => ({ name, hostName: name, ipv4, ipv6: '', removed: false, ...o })
    const run = (text: string, ...entries: NodeEntry[]): string => {
      const hosts = parseNodeHosts(text)
      for (const e of entries) applyNode(hosts, e)
      return formatNodeHosts(hosts)
    }
    const cases: Array<{ name: string, text: string, entries: NodeEntry[], want: string }> = [
      { name: 'a node joins: its InternalIP and name', text: '', entries: [entry('a', '10.0.0.1')], want: '10.0.0.1 a\n' },
      { name: 'lines are sorted by address as bytes, not as text', text: '', entries: [entry('b', '10.0.0.10'), entry('c', '10.0.0.9'), entry('d', '9.0.0.1')], want: '9.0.0.1 d\n10.0.0.9 c\n10.0.0.10 b\n' },
      { name: 'a node whose address changed loses its old line', text: '10.0.0.1 a\n10.0.0.2 b\n', entries: [entry('a', '10.0.0.7')], want: '10.0.0.2 b\n10.0.0.7 a\n' },
      { name: 'a deleted node\'s lines go; a line naming it second (an alias) stays', text: '10.0.0.1 a\n10.0.0.5 registry a\n10.0.0.2 b\n', entries: [entry('a', '10.0.0.1', { removed: true })], want: '10.0.0.2 b\n10.0.0.5 registry a\n' },
      { name: 'user lines keep all their names; comments are cut; lines of one field are dropped', text: '192.168.1.10 registry.local registry # mine\n# a comment\ngarbage\n\n', entries: [entry('a', '10.0.0.1')], want: '10.0.0.1 a\n192.168.1.10 registry.local registry\n' },
      { name: 'a hostname other than the node name is listed after it', text: '', entries: [entry('a', '10.0.0.1', { hostName: 'a.example' })], want: '10.0.0.1 a a.example\n' },
      { name: 'dual stack: a line per family, IPv6 after IPv4 (::ffff:a.b.c.d sorts before fd00::)', text: '', entries: [entry('a', '10.0.0.1', { ipv6: 'fd00::1' })], want: '10.0.0.1 a\nfd00::1 a\n' },
      { name: 'a node without an InternalIP changes nothing', text: '10.0.0.2 b\n', entries: [entry('a', '')], want: '10.0.0.2 b\n' },
      { name: 'an address held by another name is taken over by the node', text: '10.0.0.1 old\n', entries: [entry('a', '10.0.0.1')], want: '10.0.0.1 a\n' },
    ]
    for (const c of cases) it(c.name, () => assert.equal(run(c.text, ...c.entries), c.want))

    it('reports no change when the node\'s line is already right', () => {
      const hosts = parseNodeHosts('10.0.0.1 a\n')
      assert.equal(applyNode(hosts, entry('a', '10.0.0.1')), false)
      assert.equal(applyNode(hosts, entry('a', '10.0.0.2')), true)
    })
  })

  describe('on a cluster', function () {
    let cluster: Cluster | undefined
    afterEach(async () => { await cluster?.stop(); cluster = undefined })
    const hosts = async (c: Cluster): Promise<string | undefined> =>
      ((await c.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')) as KubeObject & { data: Record<string, string> }).data.NodeHosts

    it('follows nodes joining and leaving, keeping lines a user added, and puts back what an edit removed', async () => {
      cluster = await Cluster.start({ agents: 1, clock: 'virtual', seed: 1 })
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n172.18.0.3 k3sim-k3s-default-agent-0\n')
      const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')
      assert.ok(cm.metadata.managedFields?.some(f => f.manager === 'k3s' && JSON.stringify(f.fieldsV1).includes('f:NodeHosts')), JSON.stringify(cm.metadata.managedFields))

      await cluster.client.patch('v1', 'ConfigMap', 'kube-system', 'coredns', { data: { NodeHosts: `${(await hosts(cluster))!}192.168.1.10 registry.local registry # mine\n` } }, { type: 'merge' })
      await cluster.addNode({ name: 'late' })
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n172.18.0.3 k3sim-k3s-default-agent-0\n172.18.0.4 late\n192.168.1.10 registry.local registry\n')
      await cluster.removeNode('k3sim-k3s-default-agent-0')
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n172.18.0.4 late\n192.168.1.10 registry.local registry\n')
      // A node whose InternalIP changes (its status written by someone) gets its line moved.
      await cluster.client.patch('v1', 'Node', undefined, 'late', { status: { addresses: [{ type: 'InternalIP', address: '172.18.0.99' }, { type: 'Hostname', address: 'late' }] } }, { type: 'merge', subresource: 'status' })
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n172.18.0.99 late\n192.168.1.10 registry.local registry\n')
      // An edit that drops the key gets the nodes' lines back.
      await cluster.client.patch('v1', 'ConfigMap', 'kube-system', 'coredns', { data: { NodeHosts: null } }, { type: 'merge' })
      await cluster.settle()
      assert.equal(await hosts(cluster), '172.18.0.2 k3sim-k3s-default-server-0\n172.18.0.99 late\n')
      // The coredns pod runs with the key in place.
      const pods = (await cluster.client.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' })).items
      assert.equal((pods[0].status as { phase: string }).phase, 'Running')
    })

    it('writes once for a batch of nodes joining together', async () => {
      cluster = await Cluster.start({ clock: 'virtual', seed: 1, disable: ['traefik', 'metrics-server', 'local-storage'] })
      const before = Number((await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')).metadata.resourceVersion)
      const w = await cluster.client.watch('v1', 'ConfigMap', { namespace: 'kube-system', fieldSelector: 'metadata.name=coredns', resourceVersion: String(before) })
      await Promise.all(Array.from({ length: 50 }, (_, i) => cluster!.addNode({ name: `n${i}` })))
      await cluster.settle()
      assert.equal((await hosts(cluster))!.split('\n').length, 52)
      // A marker write ends the count: every write before it is the controller's.
      await cluster.client.patch('v1', 'ConfigMap', 'kube-system', 'coredns', { metadata: { annotations: { marker: 'end' } } }, { type: 'merge' })
      const writes: string[] = []
      for (let done = false; !done;) {
        for (const e of (await w.next()) ?? []) {
          if ((e.object as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.marker === 'end') done = true
          else writes.push(e.type)
        }
      }
      w.close()
      assert.ok(writes.length <= 2, `${writes.length} writes`)
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
