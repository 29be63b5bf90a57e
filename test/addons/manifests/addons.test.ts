import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { checksum } from '../../../src/addons/deploy/files.ts'
import { ADDON_NAMES, installK3sAddons, installOrder, k3sAddons, k3sManifests, manifestText } from '../../../src/addons/manifests/index.ts'

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
    const traefikCrds = ['ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps', 'serverstransports', 'serverstransporttcps', 'tlsoptions', 'tlsstores', 'traefikservices'].map(p => `${p}.traefik.io`)
    const k3sCrds = ['addons.k3s.cattle.io', 'etcdsnapshotfiles.k3s.cattle.io', 'helmchartconfigs.helm.cattle.io', 'helmcharts.helm.cattle.io']
    assert.deepEqual(names(all, 'CustomResourceDefinition'), [...k3sCrds, ...traefikCrds])
    assert.equal(all.filter(o => o.kind === 'PriorityClass').length, 0)
    assert.deepEqual(names(all, 'APIService'), ['v1beta1.metrics.k8s.io'])
    const dns = all.find(o => o.kind === 'Service' && o.metadata.name === 'kube-dns')!
    assert.equal((dns.spec as { clusterIP: string }).clusterIP, '10.43.0.10')
    assert.equal((k3sAddons({ clusterDNS: '10.43.0.20' }).find(o => o.metadata.name === 'kube-dns')!.spec as { clusterIP: string }).clusterIP, '10.43.0.20')

    const some = k3sAddons({ disable: ['traefik', 'metrics-server'] })
    assert.deepEqual(names(some, 'Deployment'), ['coredns', 'local-path-provisioner'])
    assert.deepEqual(names(some, 'APIService'), [])
    assert.deepEqual(names(some, 'HelmChart'), [])
    assert.deepEqual(names(some, 'Job'), [])
    assert.deepEqual(names(some, 'CustomResourceDefinition'), k3sCrds)
    assert.ok(!some.some(o => o.kind === 'Service' && ['traefik', 'metrics-server'].includes(o.metadata.name!)))
    const none = k3sAddons({ disable: ['coredns', 'local-storage', 'servicelb'] })
    assert.deepEqual(names(none, 'Deployment'), ['metrics-server', 'traefik'])
    assert.deepEqual(names(none, 'StorageClass'), [])
    assert.equal(k3sAddons({ disable: ['servicelb'] }).length, all.length)
    assert.throws(() => k3sAddons({ disable: ['bogus'] }), /unknown --disable name "bogus"; known: coredns, servicelb, traefik, local-storage, metrics-server, runtimes$/)
    const order = installOrder(all).map(o => o.kind)
    assert.equal(order[0], 'CustomResourceDefinition')
    assert.ok(order.indexOf('HelmChart') < order.indexOf('Job'))
  })

  it('groups them by the files of k3s\'s server/manifests, sorted by path; --disable drops files', () => {
    const files = (o: Parameters<typeof k3sManifests>[0]): string[] => k3sManifests(o).map(m => m.file)
    const metrics = ['aggregated-metrics-reader', 'auth-delegator', 'auth-reader', 'metrics-apiservice', 'metrics-server-deployment', 'metrics-server-service', 'resource-reader'].map(f => `metrics-server/${f}.yaml`)
    assert.deepEqual(files({}), ['ccm.yaml', 'coredns.yaml', 'local-storage.yaml', ...metrics, 'rolebindings.yaml', 'runtimes.yaml', 'traefik.yaml'])
    assert.deepEqual(files({ disable: [...ADDON_NAMES] }), ['ccm.yaml', 'rolebindings.yaml'])
    assert.deepEqual(files({ disable: ['runtimes', 'metrics-server'] }), ['ccm.yaml', 'coredns.yaml', 'local-storage.yaml', 'rolebindings.yaml', 'traefik.yaml'])
    const byFile = new Map(k3sManifests({}).map(m => [m.file, m.objects.map(o => `${o.kind}/${o.metadata.name}`)]))
    assert.deepEqual(byFile.get('traefik.yaml'), ['HelmChart/traefik-crd', 'HelmChart/traefik'])
    assert.deepEqual(byFile.get('metrics-server/metrics-server-deployment.yaml'), ['ServiceAccount/metrics-server', 'Deployment/metrics-server'])
    assert.deepEqual(byFile.get('metrics-server/resource-reader.yaml'), ['ClusterRole/system:metrics-server', 'ClusterRoleBinding/system:metrics-server'])
    assert.equal(byFile.get('runtimes.yaml')!.length, 10)
    // The coredns ConfigMap has no NodeHosts: k3s's node controller writes it.
    const cm = k3sManifests({}).find(m => m.file === 'coredns.yaml')!.objects.find(o => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> }
    assert.deepEqual(Object.keys(cm.data), ['Corefile'])
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

    it('installK3sAddons: only what disable leaves; HelmChart owners and jobName', async () => {
      cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 1 })
      await installK3sAddons(cluster.client, { disable: ['traefik', 'metrics-server', 'coredns', 'runtimes'] })
      await cluster.clock.advance('30s')
      const view = await pods(cluster)
      assert.deepEqual(view.map(v => v.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '')).sort(), ['local-path-provisioner'])
      assert.ok(view.every(v => v.phase === 'Running'), JSON.stringify(view))
      await assert.rejects(cluster.client.get('v1', 'Service', 'kube-system', 'traefik'), /not found/)
      const addons = (await cluster.client.list('k3s.cattle.io/v1', 'Addon')).items.map(a => a.metadata.name)
      assert.deepEqual(addons, ['ccm', 'local-storage', 'rolebindings'])

      await cluster.stop()
      cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', seed: 1 })
      await installK3sAddons(cluster.client, { disable: ['coredns'] })
      await cluster.clock.advance('30s')
      const chart = await cluster.client.get('helm.cattle.io/v1', 'HelmChart', 'kube-system', 'traefik')
      assert.equal((chart.status as { jobName: string }).jobName, 'helm-install-traefik')
      const job = await cluster.client.get('batch/v1', 'Job', 'kube-system', 'helm-install-traefik')
      assert.equal(job.metadata.ownerReferences?.[0]?.uid, chart.metadata.uid)
      assert.equal((job.status as { succeeded?: number }).succeeded, 1)
      const running = (await pods(cluster)).filter(v => v.phase === 'Running').map(v => v.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '')).sort()
      assert.deepEqual(running, ['local-path-provisioner', 'metrics-server', 'traefik'])
    })

    it('each bundled manifest is an Addon, applied as the deploy controller applies a file', async () => {
      cluster = await Cluster.start({ clock: 'virtual', seed: 1 })
      const addons = (await cluster.client.list('k3s.cattle.io/v1', 'Addon', { namespace: 'kube-system' })).items as Array<KubeObject & { spec: { source: string, checksum: string } }>
      const manifests = k3sManifests({})
      assert.deepEqual(addons.map(a => a.metadata.name), manifests.map(m => m.file.replace(/^.*\//, '').replace(/\..*$/, '')).sort())
      for (const m of manifests) {
        const addon = addons.find(a => a.spec.source === `/var/lib/rancher/k3s/server/manifests/${m.file}`)
        assert.ok(addon !== undefined, m.file)
        assert.equal(addon.spec.checksum, checksum(manifestText(m.objects)), m.file)
      }
      assert.equal(addons.find(a => a.metadata.name === 'coredns')!.metadata.annotations?.['addon.k3s.cattle.io/gvks'],
        '/v1, Kind=ServiceAccount;rbac.authorization.k8s.io/v1, Kind=ClusterRole;rbac.authorization.k8s.io/v1, Kind=ClusterRoleBinding;/v1, Kind=ConfigMap;apps/v1, Kind=Deployment;/v1, Kind=Service')
      // The objects carry their Addon as owner and were written by deploy@<server node>.
      const coredns = await cluster.client.get('apps/v1', 'Deployment', 'kube-system', 'coredns')
      assert.equal(coredns.metadata.annotations?.['objectset.rio.cattle.io/owner-name'], 'coredns')
      assert.equal(coredns.metadata.annotations?.['objectset.rio.cattle.io/owner-gvk'], 'k3s.cattle.io/v1, Kind=Addon')
      assert.match(coredns.metadata.labels?.['objectset.rio.cattle.io/hash'] ?? '', /^[0-9a-f]{40}$/)
      assert.ok(coredns.metadata.managedFields?.some(f => f.manager === 'deploy@k3sim-k3s-default-server-0'), JSON.stringify(coredns.metadata.managedFields))
      const role = await cluster.client.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:metrics-server')
      assert.equal(role.metadata.annotations?.['objectset.rio.cattle.io/owner-name'], 'resource-reader')
      const events = cluster.events({ kind: 'Addon', name: 'coredns' }) as Array<KubeObject & { reason: string, message: string, source: { component: string, host: string } }>
      assert.deepEqual(events.map(e => `${e.reason}: ${e.message}`), [
        'ApplyingManifest: Applying manifest at "/var/lib/rancher/k3s/server/manifests/coredns.yaml"',
        'AppliedManifest: Applied manifest at "/var/lib/rancher/k3s/server/manifests/coredns.yaml"',
      ])
      assert.deepEqual(events[0].source, { component: 'deploy', host: 'k3sim-k3s-default-server-0' })
      const runtimeClasses = (await cluster.client.list('node.k8s.io/v1', 'RuntimeClass')).items
      assert.deepEqual(runtimeClasses.map(r => `${r.metadata.name}=${(r as KubeObject & { handler: string }).handler}`).slice(0, 3), ['crun=crun', 'lunatic=lunatic', 'nvidia=nvidia'])
    })

    it('a restart re-applies the bundled manifests over what is stored, without duplicates', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'k3sim-addons-'))
      try {
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1 })
        const before = (await cluster.client.list('k3s.cattle.io/v1', 'Addon')).items.map(a => `${a.metadata.name} ${a.metadata.uid}`)
        await cluster.client.patch('apps/v1', 'Deployment', 'kube-system', 'coredns', { spec: { replicas: 2 } }, { type: 'merge' })
        await cluster.stop()
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1 })
        assert.deepEqual((await cluster.client.list('k3s.cattle.io/v1', 'Addon')).items.map(a => `${a.metadata.name} ${a.metadata.uid}`), before)
        assert.equal(cluster.events({ kind: 'Addon', name: 'coredns', reason: 'AppliedManifest' }).length, 2)
        // replicas is not in the manifest: the user's scale survives the re-apply.
        const coredns = await cluster.client.get('apps/v1', 'Deployment', 'kube-system', 'coredns')
        assert.equal((coredns.spec as { replicas: number }).replicas, 2)
        const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'coredns') as KubeObject & { data: Record<string, string> }
        assert.match(cm.data.NodeHosts, /^172\.18\.0\.2 k3sim-k3s-default-server-0\n$/)
      } finally {
        await cluster.stop()
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('a restart with --disable removes what those components deployed, as k3s does', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'k3sim-addons-'))
      const exists = async (c: Cluster, apiVersion: string, kind: string, name: string): Promise<boolean> =>
        await c.client.get(apiVersion, kind, 'kube-system', name).then(() => true, () => false)
      try {
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1 })
        assert.ok(await exists(cluster, 'apps/v1', 'Deployment', 'traefik'))
        const crd = async (): Promise<boolean> => await cluster.client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'ingressroutes.traefik.io').then(() => true, () => false)
        assert.ok(await crd())
        await cluster.stop()
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1, disable: ['traefik', 'metrics-server'] })
        await cluster.clock.advance('10s')
        const addons = (await cluster.client.list('k3s.cattle.io/v1', 'Addon')).items.map(a => a.metadata.name)
        assert.deepEqual(addons, ['ccm', 'coredns', 'local-storage', 'rolebindings', 'runtimes'])
        for (const [apiVersion, kind, name] of [['helm.cattle.io/v1', 'HelmChart', 'traefik'], ['apps/v1', 'Deployment', 'traefik'], ['v1', 'Service', 'traefik'],
          ['batch/v1', 'Job', 'helm-install-traefik'], ['apps/v1', 'Deployment', 'metrics-server'], ['v1', 'Service', 'metrics-server']]) {
          assert.equal(await exists(cluster, apiVersion, kind, name), false, `${kind} ${name}`)
        }
        // helm uninstall of traefik-crd removes its CRDs (they are the chart's templates).
        assert.equal(await crd(), false)
        await assert.rejects(cluster.client.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:metrics-server'), /not found/)
        await assert.rejects(cluster.client.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, 'helm-kube-system-traefik'), /not found/)
        const deleting = cluster.events({ reason: 'DeletingManifest' }) as Array<KubeObject & { message: string }>
        assert.ok(deleting.some(e => e.message === 'Deleting manifest at "/var/lib/rancher/k3s/server/manifests/traefik.yaml"'), JSON.stringify(deleting.map(e => e.message)))
        const running = (await pods(cluster)).filter(v => v.phase === 'Running').map(v => v.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '')).sort()
        assert.deepEqual(running, ['coredns', 'local-path-provisioner'])
      } finally {
        await cluster.stop()
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('a bundled manifest that no longer applies is an ApplyManifestFailed event; the rest apply and the cluster starts', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'k3sim-addons-'))
      const logs: string[] = []
      try {
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1 })
        // Recreated with another address, kube-dns can no longer take the manifest's (immutable) clusterIP.
        await cluster.client.delete('v1', 'Service', 'kube-system', 'kube-dns')
        await cluster.client.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.43.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } } as KubeObject)
        await cluster.stop()
        cluster = await Cluster.start({ dataDir: dir, clock: 'virtual', seed: 1, log: m => logs.push(m) })
        const failed = cluster.events({ kind: 'Addon', name: 'coredns', reason: 'ApplyManifestFailed' }) as Array<KubeObject & { type: string, message: string }>
        assert.equal(failed.length, 1)
        assert.equal(failed[0].type, 'Warning')
        assert.match(failed[0].message, /^Applying manifest at "\/var\/lib\/rancher\/k3s\/server\/manifests\/coredns\.yaml" failed: failed to apply Service "kube-dns" in namespace "kube-system": .*spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"10\.43\.0\.10"\}: may not change once set/)
        assert.ok(logs.some(l => l.startsWith('deploy: failed to apply coredns.yaml: ')), logs.join('\n'))
        assert.equal(cluster.events({ kind: 'Addon', name: 'traefik', reason: 'AppliedManifest' }).length, 2)
      } finally {
        await cluster.stop()
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
})
