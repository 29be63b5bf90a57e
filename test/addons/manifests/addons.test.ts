import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { installK3sAddons, installOrder, k3sAddons } from '../../../src/addons/manifests/index.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'

const names = (objs: KubeObject[], kind: string): string[] => objs.filter(o => o.kind === kind).map(o => o.metadata.name!).sort()

interface PodView { name: string, phase: string, ready: boolean, owner: string }
async function pods (cluster: Cluster): Promise<PodView[]> {
  const list = await cluster.client.list('v1', 'Pod', { namespace: 'kube-system' })
  return list.items.map(p => {
    const status = p.status as { phase: string, containerStatuses?: Array<{ ready: boolean }> }
    return { name: p.metadata.name!, phase: status.phase, ready: (status.containerStatuses ?? []).every(c => c.ready), owner: p.metadata.ownerReferences?.[0]?.kind ?? '' }
  })
}

describe('k3s add-on manifests', () => {
  it('builds the add-ons, and --disable drops them', () => {
    const all = k3sAddons({})
    assert.deepEqual(names(all, 'Deployment'), ['coredns', 'local-path-provisioner', 'metrics-server', 'traefik'])
    assert.deepEqual(names(all, 'Job'), ['helm-install-traefik', 'helm-install-traefik-crd'])
    assert.deepEqual(names(all, 'HelmChart'), ['traefik', 'traefik-crd'])
    assert.deepEqual(names(all, 'CustomResourceDefinition'), ['addons.k3s.cattle.io', 'helmchartconfigs.helm.cattle.io', 'helmcharts.helm.cattle.io'])
    assert.equal(all.filter(o => o.kind === 'PriorityClass').length, 0)
    assert.equal(all.filter(o => o.kind === 'APIService').length, 0)
    const dns = all.find(o => o.kind === 'Service' && o.metadata.name === 'kube-dns')!
    assert.equal((dns.spec as { clusterIP: string }).clusterIP, '10.43.0.10')
    assert.equal((k3sAddons({ clusterDNS: '10.43.0.20' }).find(o => o.metadata.name === 'kube-dns')!.spec as { clusterIP: string }).clusterIP, '10.43.0.20')

    const some = k3sAddons({ disable: ['traefik', 'metrics-server'] })
    assert.deepEqual(names(some, 'Deployment'), ['coredns', 'local-path-provisioner'])
    assert.deepEqual(names(some, 'HelmChart'), [])
    assert.deepEqual(names(some, 'Job'), [])
    assert.ok(!some.some(o => o.kind === 'Service' && ['traefik', 'metrics-server'].includes(o.metadata.name!)))
    const none = k3sAddons({ disable: ['coredns', 'local-storage', 'servicelb'] })
    assert.deepEqual(names(none, 'Deployment'), ['metrics-server', 'traefik'])
    assert.deepEqual(names(none, 'StorageClass'), [])
    assert.equal(k3sAddons({ disable: ['servicelb'] }).length, all.length)
    assert.throws(() => k3sAddons({ disable: ['bogus'] }), /unknown --disable name "bogus"/)
    const order = installOrder(all).map(o => o.kind)
    assert.equal(order[0], 'CustomResourceDefinition')
    assert.ok(order.indexOf('HelmChart') < order.indexOf('Job'))
  })

  describe('on a cluster', function () {
    let cluster: Cluster
    afterEach(async () => { await cluster?.stop() })

    it('a fresh cluster deploys them all at start: add-on pods Running, helm-install Jobs Completed, svclb-traefik', async () => {
      cluster = await Cluster.start({ agents: 1, clock: 'virtual', seed: 1 })
      await cluster.clock.advance('30s')
      const view = await pods(cluster)
      for (const prefix of ['coredns-', 'local-path-provisioner-', 'metrics-server-', 'traefik-']) {
        const p = view.find(v => v.name.startsWith(prefix) && !v.name.startsWith('traefik-crd'))
        assert.ok(p !== undefined, `no ${prefix} pod in ${JSON.stringify(view)}`)
        assert.equal(p.phase, 'Running', `${p.name}: ${JSON.stringify(p)}`)
        assert.ok(p.ready, `${p.name} not ready`)
        assert.equal(p.owner, 'ReplicaSet')
      }
      for (const job of ['helm-install-traefik-crd', 'helm-install-traefik']) {
        const p = view.find(v => v.name.startsWith(`${job}-`) && v.name.length === job.length + 6)
        assert.ok(p !== undefined, `no ${job} pod in ${JSON.stringify(view)}`)
        assert.equal(p.phase, 'Succeeded')
        const j = await cluster.client.get('batch/v1', 'Job', 'kube-system', job)
        assert.equal((j.status as { succeeded?: number }).succeeded, 1)
      }
      const dns = await cluster.client.get('v1', 'Service', 'kube-system', 'kube-dns')
      assert.equal((dns.spec as { clusterIP: string }).clusterIP, '10.43.0.10')
      assert.deepEqual((dns.spec as { ports: Array<{ name: string, port: number, protocol: string }> }).ports.map(p => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'])
      const traefik = await cluster.client.get('v1', 'Service', 'kube-system', 'traefik')
      assert.equal((traefik.spec as { type: string }).type, 'LoadBalancer')
      // ServiceLB runs too: one svclb-traefik pod per node, and the nodes' IPs as the ingress.
      const svclb = view.filter(v => v.name.startsWith('svclb-traefik-'))
      assert.equal(svclb.length, 2, JSON.stringify(view))
      assert.ok(svclb.every(v => v.phase === 'Running' && v.owner === 'DaemonSet'))
      const ingress = (traefik.status as { loadBalancer: { ingress?: Array<{ ip: string, ipMode: string }> } }).loadBalancer.ingress ?? []
      assert.equal(ingress.length, 2)
      assert.ok(ingress.every(i => /^172\.18\.0\.\d+$/.test(i.ip) && i.ipMode === 'VIP'), JSON.stringify(ingress))
      const sc = await cluster.client.get('storage.k8s.io/v1', 'StorageClass', undefined, 'local-path')
      assert.equal(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true')
      const coredns = view.find(v => v.name.startsWith('coredns-'))!
      const pod = await cluster.client.get('v1', 'Pod', 'kube-system', coredns.name)
      assert.equal((pod.spec as { priority: number }).priority, 2000000000)
    })

    it('installK3sAddons: NodeHosts, HelmChart owners and jobName; disable removes add-ons', async () => {
      cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 1 })
      await installK3sAddons(cluster.client, { disable: ['traefik', 'metrics-server'] })
      await cluster.clock.advance('30s')
      const view = await pods(cluster)
      assert.deepEqual(view.map(v => v.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '')).sort(), ['coredns', 'local-path-provisioner'])
      assert.ok(view.every(v => v.phase === 'Running'))
      await assert.rejects(cluster.client.get('v1', 'Service', 'kube-system', 'traefik'), /not found/)
      const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')
      const hosts = (cm.data as { NodeHosts: string }).NodeHosts.split('\n').map(l => l.split(' ').reverse().join(' ')).sort()
      assert.equal(hosts.length, 2)
      assert.match(hosts[0], /^k3sim-k3s-default-agent-0 172\.18\.0\.\d+$/)
      assert.match(hosts[1], /^k3sim-k3s-default-server-0 172\.18\.0\.\d+$/)

      await cluster.stop()
      cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', seed: 1 })
      await installK3sAddons(cluster.client, {})
      await cluster.clock.advance('30s')
      const chart = await cluster.client.get('helm.cattle.io/v1', 'HelmChart', 'kube-system', 'traefik')
      assert.equal((chart.status as { jobName: string }).jobName, 'helm-install-traefik')
      const job = await cluster.client.get('batch/v1', 'Job', 'kube-system', 'helm-install-traefik')
      assert.equal(job.metadata.ownerReferences?.[0]?.uid, chart.metadata.uid)
      assert.equal((job.status as { succeeded?: number }).succeeded, 1)
      const running = (await pods(cluster)).filter(v => v.phase === 'Running').map(v => v.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '')).sort()
      assert.deepEqual(running, ['coredns', 'local-path-provisioner', 'metrics-server', 'traefik'])
    })
  })
})
