// ServiceLB end to end: a LoadBalancer Service gets its svclb DaemonSet (k3s-facts §6), the
// DaemonSet controller runs its pods, their nodes become the Service's ingress.
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import { serviceLBController } from '../../../src/addons/servicelb/index.ts'
import { daemonSetController } from '../../../src/controllers/daemonset/index.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const lbService = (name: string, spec: Json = {}): any => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'web', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }], ...spec },
})

describe('servicelb', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 2, clock: 'virtual', seed: 1, controllers: () => [serviceLBController(), daemonSetController()] })
  })
  afterEach(async () => { await cluster.stop() })

  const getSvc = (name: string): Promise<Json> => cluster.client.get('v1', 'Service', 'default', name) as Promise<Json>
  const daemonSets = async (): Promise<Json[]> => (await cluster.client.list('apps/v1', 'DaemonSet', { namespace: 'kube-system' })).items as Json[]
  const svclbPods = async (): Promise<Json[]> => ((await cluster.client.list('v1', 'Pod', { namespace: 'kube-system' })).items as Json[]).filter(p => p.metadata.name.startsWith('svclb-'))

  it('writes the svclb DaemonSet exactly as k3s does', async () => {
    await cluster.client.create(lbService('web'))
    await cluster.settle()
    const svc = await getSvc('web')
    const name = `svclb-web-${svc.metadata.uid.slice(0, 8)}`
    assert.deepEqual(svc.metadata.finalizers, ['svccontroller.k3s.cattle.io/daemonset'])
    const ds = await cluster.client.get('apps/v1', 'DaemonSet', 'kube-system', name) as Json
    assert.deepEqual(ds.metadata.labels, { 'svccontroller.k3s.cattle.io/nodeselector': 'false', 'svccontroller.k3s.cattle.io/svcname': 'web', 'svccontroller.k3s.cattle.io/svcnamespace': 'default' })
    assert.deepEqual(ds.spec.selector, { matchLabels: { app: name } })
    assert.deepEqual(ds.spec.template.metadata.labels, { app: name, 'svccontroller.k3s.cattle.io/svcname': 'web', 'svccontroller.k3s.cattle.io/svcnamespace': 'default' })
    // k3s writes maxUnavailable 1; the API server's SetDefaults_DaemonSet adds maxSurge 0.
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } })
    const spec = ds.spec.template.spec
    assert.equal(spec.serviceAccountName, 'svclb')
    assert.equal(spec.automountServiceAccountToken, false)
    assert.equal(spec.priorityClassName, 'system-node-critical')
    assert.deepEqual(spec.securityContext, { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] })
    assert.deepEqual(spec.tolerations, [
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
    ])
    assert.equal(spec.nodeSelector, undefined)
    assert.deepEqual(spec.containers.map((c: Json) => c.name), ['lb-tcp-80', 'lb-udp-53'])
    const [c] = spec.containers
    assert.equal(c.image, 'rancher/klipper-lb:v0.4.9')
    assert.equal(c.imagePullPolicy, 'IfNotPresent')
    assert.deepEqual(c.ports, [{ name: 'lb-tcp-80', containerPort: 80, hostPort: 80, protocol: 'TCP' }])
    assert.deepEqual(c.env, [
      { name: 'SRC_PORT', value: '80' }, { name: 'SRC_RANGES', value: '0.0.0.0/0' }, { name: 'DEST_PROTO', value: 'TCP' },
      { name: 'DEST_PORT', value: '80' }, { name: 'DEST_IPS', value: svc.spec.clusterIPs.join(',') },
    ])
    assert.deepEqual(c.securityContext, { capabilities: { add: ['NET_ADMIN'] } })
    assert.equal(spec.containers[1].env.find((e: Json) => e.name === 'DEST_PROTO').value, 'UDP')
    const events = cluster.events({ name: 'web', kind: 'Service' }) as Json[]
    const ensuring = events.find(e => e.reason === 'EnsuringLoadBalancer')!
    assert.deepEqual([ensuring.message, ensuring.source.component], ['Ensuring load balancer', 'service-controller'])
    const appliedEv = events.find(e => e.reason === 'AppliedDaemonSet')!
    assert.deepEqual([appliedEv.message, appliedEv.source.component], [`Applied LoadBalancer DaemonSet kube-system/${name}`, 'service-lb-controller'])
  })

  it('publishes the ready svclb pods\' node IPs as ingress, sorted, ipMode VIP', async () => {
    await cluster.client.create(lbService('web'))
    await cluster.settle()
    await cluster.clock.advance('30s')
    const pods = await svclbPods()
    assert.equal(pods.length, 3)
    assert.ok(pods.every(p => p.status.phase === 'Running'))
    const nodes = (await cluster.client.list('v1', 'Node')).items as Json[]
    const ips = nodes.map(n => n.status.addresses.find((a: Json) => a.type === 'InternalIP').address as string).sort()
    const svc = await getSvc('web')
    assert.deepEqual(svc.status.loadBalancer.ingress, ips.map(ip => ({ ip, ipMode: 'VIP' })))
    const updated = cluster.events({ name: 'web', reason: 'UpdatedLoadBalancer' }).map(e => (e as Json).message)
    assert.match(updated[0], /^Updated LoadBalancer with new IPs: \[\] -> \[[0-9. ]+\]$/)
    assert.ok((updated.at(-1) as string).endsWith(` -> [${ips.join(' ')}]`), String(updated.at(-1)))
    assert.ok(cluster.events({ name: 'web', reason: 'UnAvailableLoadBalancer', type: 'Warning' }).length >= 1)
  })

  it('limits pods to nodes labelled enablelb when any node is', async () => {
    const agent = 'k3sim-k3s-default-agent-1'
    await cluster.client.patch('v1', 'Node', undefined, agent, { metadata: { labels: { 'svccontroller.k3s.cattle.io/enablelb': 'true' } } }, { type: 'merge' })
    await cluster.client.create(lbService('web'))
    await cluster.settle()
    await cluster.clock.advance('30s')
    const [ds] = await daemonSets()
    assert.equal(ds.metadata.labels['svccontroller.k3s.cattle.io/nodeselector'], 'true')
    assert.deepEqual(ds.spec.template.spec.nodeSelector, { 'svccontroller.k3s.cattle.io/enablelb': 'true' })
    const pods = await svclbPods()
    assert.deepEqual(pods.map(p => p.spec.nodeName), [agent])
    assert.equal((await getSvc('web')).status.loadBalancer.ingress.length, 1)
  })

  it('leaves Services with a loadBalancerClass and ClusterIP Services alone', async () => {
    await cluster.client.create(lbService('other', { loadBalancerClass: 'example.com/lb' }))
    await cluster.client.create(lbService('plain', { type: 'ClusterIP' }))
    await cluster.settle()
    assert.deepEqual(await daemonSets(), [])
    assert.equal((await getSvc('other')).metadata.finalizers, undefined)
  })

  it('deletes the DaemonSet and removes the finalizer when the Service is deleted', async () => {
    await cluster.client.create(lbService('web'))
    await cluster.settle()
    const svc = await getSvc('web')
    const name = `svclb-web-${svc.metadata.uid.slice(0, 8)}`
    assert.equal((await daemonSets()).length, 1)
    await cluster.client.delete('v1', 'Service', 'default', 'web')
    await cluster.settle()
    await cluster.clock.advance('60s')
    assert.deepEqual(await daemonSets(), [])
    await assert.rejects(getSvc('web'), (err: any) => err.code === 404 || err.status?.code === 404 || /not found/.test(String(err)))
    const deleted = cluster.events({ name: 'web', reason: 'DeletedDaemonSet' }) as Json[]
    assert.equal(deleted[0]?.message, `Deleted LoadBalancer DaemonSet kube-system/${name}`)
  })

  it('cuts long Service names to 48 characters without a trailing dash', async () => {
    const long = `${'a'.repeat(47)}-bcd`
    await cluster.client.create(lbService(long))
    await cluster.settle()
    const svc = await getSvc(long)
    assert.deepEqual((await daemonSets()).map(d => d.metadata.name), [`svclb-${'a'.repeat(47)}-${svc.metadata.uid.slice(0, 8)}`])
  })
})
