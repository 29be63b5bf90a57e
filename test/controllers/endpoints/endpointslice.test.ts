// The EndpointSlice controller end to end, and its pure slicing (desiredSlices) by table.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { desiredSlices } from '../../../src/controllers/endpointslice/slices.ts'
import { NODE, pod, service, startCluster, type Json } from './fixtures.ts'

describe('endpointslice controller', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const slicesOf = async (svc: string): Promise<Json[]> =>
    (await cluster.client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` })).items as Json[]

  it('publishes one IPv4 slice named <service>-<5 chars>, labelled, owned by the Service', async () => {
    const svc = await cluster.client.create(service('web', {}, { labels: { team: 'a' } })) as Json
    for (const p of [pod('web-a', 'web'), pod('web-b', 'web', { ready: false })]) await cluster.client.create(p)
    await cluster.settle()
    const slices = await slicesOf('web')
    assert.equal(slices.length, 1)
    const [s] = slices
    assert.match(s.metadata.name, /^web-[a-z0-9]{5}$/)
    assert.deepEqual(s.metadata.labels, {
      team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }])
    assert.equal(s.addressType, 'IPv4')
    assert.deepEqual(s.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }])
    const a = await cluster.client.get('v1', 'Pod', 'default', 'web-a') as Json
    const byName = new Map(s.endpoints.map((e: Json) => [e.targetRef.name, e]))
    assert.deepEqual(byName.get('web-a'), {
      addresses: [a.status.podIP],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid },
      nodeName: NODE,
    })
    assert.deepEqual((byName.get('web-b') as Json).conditions, { ready: false, serving: false, terminating: false })
    assert.ok(s.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'])
  })

  it('drops a deleted pod\'s endpoint, keeping the same slice', async () => {
    await cluster.client.create(service('web'))
    for (const p of [pod('web-a', 'web'), pod('web-b', 'web')]) await cluster.client.create(p)
    await cluster.settle()
    const before = (await slicesOf('web'))[0].metadata.name
    await cluster.client.delete('v1', 'Pod', 'default', 'web-a')
    await cluster.clock.advance('60s')
    const slices = await slicesOf('web')
    assert.deepEqual(slices.map(s => [s.metadata.name, s.endpoints.map((e: Json) => e.targetRef.name)]), [[before, ['web-b']]])
  })

  it('publishes the API server as slice default/kubernetes', async () => {
    const s = await cluster.client.get('discovery.k8s.io/v1', 'EndpointSlice', 'default', 'kubernetes') as Json
    assert.deepEqual(s.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' })
    assert.deepEqual([s.addressType, s.endpoints, s.ports], ['IPv4', [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], [{ name: 'https', protocol: 'TCP', port: 6443 }]])
  })
})

describe('desiredSlices', () => {
  const svc = (spec: Json = {}): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns', uid: 'u' }, spec: { selector: { a: 'b' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }], ...spec } })
  const p = (i: number, opts: { port?: number, ready?: boolean, deleting?: boolean, phase?: string } = {}): any => ({
    metadata: { name: `p${i}`, namespace: 'ns', uid: `uid${i}`, deletionTimestamp: opts.deleting === true ? '2025-01-01T00:00:00Z' : undefined },
    spec: { nodeName: 'n', containers: [{ name: 'c', ports: [{ name: 'web', containerPort: opts.port ?? 8080 }] }] },
    status: { phase: opts.phase ?? 'Running', podIP: `10.42.0.${i}`, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  })
  const cases: Array<{ name: string, service?: any, pods: any[], max?: number, want: Array<[number, number[] | undefined]> }> = [
    { name: 'a service with no pods gets one placeholder slice without endpoints or ports', pods: [], want: [[0, undefined]] },
    { name: '250 pods make slices of 100, 100 and 50', pods: Array.from({ length: 250 }, (_, i) => p(i)), want: [[100, [8080]], [100, [8080]], [50, [8080]]] },
    { name: 'pods resolving the named port differently go to different slices', pods: [p(1), p(2, { port: 9000 })], want: [[1, [8080]], [1, [9000]]] },
    { name: 'terminal pods are left out, terminating ones stay', pods: [p(1, { phase: 'Succeeded' }), p(2, { deleting: true })], want: [[1, [8080]]] },
    { name: 'a custom maximum is honoured', pods: [p(1), p(2), p(3)], max: 2, want: [[2, [8080]], [1, [8080]]] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = desiredSlices(c.service ?? svc(), c.pods, c.max)
      assert.deepEqual(got.map(s => [s.endpoints.length, s.ports?.map(x => x.port)]), c.want)
    })
  }

  it('a terminating pod is serving but not ready', () => {
    const [s] = desiredSlices(svc(), [p(1, { deleting: true })])
    assert.deepEqual(s.endpoints[0].conditions, { ready: false, serving: true, terminating: true })
  })

  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const [s] = desiredSlices(svc({ publishNotReadyAddresses: true }), [p(1, { ready: false })])
    assert.deepEqual(s.endpoints[0].conditions, { ready: true, serving: false, terminating: false })
  })
})
