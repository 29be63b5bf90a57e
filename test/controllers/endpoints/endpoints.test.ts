// The endpoints controller end to end: fake kubelets give pods IPs and Ready conditions, the
// controller publishes them in the Service's Endpoints (v1.32 behaviour).
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { NODE, pod, service, startCluster, type Json } from './fixtures.ts'

describe('endpoints controller', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const endpoints = (name: string): Promise<Json> => cluster.client.get('v1', 'Endpoints', 'default', name) as Promise<Json>
  const podOf = (name: string): Promise<Json> => cluster.client.get('v1', 'Pod', 'default', name) as Promise<Json>

  it('lists ready pods in addresses and the unready one in notReadyAddresses, with the resolved ports', async () => {
    await cluster.client.create(service('web'))
    for (const p of [pod('web-a', 'web'), pod('web-b', 'web'), pod('web-c', 'web', { ready: false })]) await cluster.client.create(p)
    await cluster.settle()
    const ep = await endpoints('web')
    assert.equal(ep.subsets.length, 1)
    const [subset] = ep.subsets
    const a = await podOf('web-a')
    const c = await podOf('web-c')
    assert.deepEqual(subset.addresses.map((x: Json) => x.targetRef.name).sort(), ['web-a', 'web-b'])
    assert.deepEqual(subset.addresses.find((x: Json) => x.targetRef.name === 'web-a'), {
      ip: a.status.podIP, nodeName: NODE, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid },
    })
    assert.deepEqual(subset.notReadyAddresses, [{ ip: c.status.podIP, nodeName: NODE, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-c', uid: c.metadata.uid } }])
    assert.deepEqual(subset.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }])
    assert.match(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('removes a deleted pod from the Endpoints', async () => {
    await cluster.client.create(service('web'))
    for (const p of [pod('web-a', 'web'), pod('web-b', 'web')]) await cluster.client.create(p)
    await cluster.settle()
    assert.equal((await endpoints('web')).subsets[0].addresses.length, 2)
    await cluster.client.delete('v1', 'Pod', 'default', 'web-a')
    await cluster.settle()
    await cluster.clock.advance('60s')
    const ep = await endpoints('web')
    assert.deepEqual(ep.subsets[0].addresses.map((x: Json) => x.targetRef.name), ['web-b'])
  })

  it('resolves a named targetPort against each pod\'s container ports', async () => {
    await cluster.client.create(service('api', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] }))
    await cluster.client.create(pod('api-8080', 'api'))
    await cluster.client.create(pod('api-9000', 'api', { ports: [{ name: 'web', containerPort: 9000, protocol: 'TCP' }] }))
    await cluster.client.create(pod('api-none', 'api', { ports: [{ name: 'other', containerPort: 7000, protocol: 'TCP' }] }))
    await cluster.settle()
    const ep = await endpoints('api')
    const byPort = ep.subsets.map((s: Json) => [s.ports[0].port, s.addresses.map((x: Json) => x.targetRef.name)])
    assert.deepEqual(byPort.sort(), [[8080, ['api-8080']], [9000, ['api-9000']]])
    assert.ok(ep.subsets.every((s: Json) => s.ports[0].name === 'http'))
  })

  it('publishes a headless service\'s pods and labels its Endpoints headless', async () => {
    await cluster.client.create(service('db', { clusterIP: 'None' }, { labels: { tier: 'data' } }))
    await cluster.client.create(pod('db-0', 'db'))
    await cluster.settle()
    const ep = await endpoints('db')
    assert.deepEqual(ep.metadata.labels, { tier: 'data', 'service.kubernetes.io/headless': '' })
    assert.equal(ep.subsets[0].addresses[0].targetRef.name, 'db-0')
  })

  it('leaves a service without a selector alone', async () => {
    await cluster.client.create(service('external', { selector: undefined }))
    await cluster.client.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }] } as any)
    await cluster.settle()
    assert.deepEqual((await endpoints('external')).subsets, [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }])
  })

  it('deletes the Endpoints with the Service', async () => {
    await cluster.client.create(service('web'))
    await cluster.settle()
    await endpoints('web')
    await cluster.client.delete('v1', 'Service', 'default', 'web')
    await cluster.settle()
    await assert.rejects(endpoints('web'), /not found/)
  })

  it('gets default/kubernetes back with its Endpoints and EndpointSlice within 10 s of cluster time after `delete svc --all`', async () => {
    await cluster.client.delete('v1', 'Service', 'default', 'kubernetes')
    await cluster.settle()
    await assert.rejects(cluster.client.get('v1', 'Service', 'default', 'kubernetes'), /not found/)
    await assert.rejects(endpoints('kubernetes'), /not found/)
    // kube-apiserver's kubernetesservice controller runs every EndpointInterval (10 s).
    await cluster.clock.advance('10s')
    await cluster.settle()
    const svc = await cluster.client.get('v1', 'Service', 'default', 'kubernetes') as Json
    assert.deepEqual([svc.spec.clusterIP, svc.spec.ports, svc.metadata.labels], [
      '10.43.0.1', [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], { component: 'apiserver', provider: 'kubernetes' }])
    assert.deepEqual((await endpoints('kubernetes')).subsets, [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }])
    const slice = await cluster.client.get('discovery.k8s.io/v1', 'EndpointSlice', 'default', 'kubernetes') as Json
    assert.deepEqual(slice.endpoints.map((e: Json) => e.addresses), [['172.18.0.2']])
  })

  it('publishes the API server (172.18.0.2:6443, port https) for default/kubernetes', async () => {
    const ep = await endpoints('kubernetes')
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }])
    assert.equal(ep.metadata.labels['endpointslice.kubernetes.io/skip-mirror'], 'true')
  })
})
