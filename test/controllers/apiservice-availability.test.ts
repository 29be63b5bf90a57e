// kube-aggregator's AvailableConditionController: each check in order, with its reason and
// message, and the condition written only when it changes.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { apiServiceAvailabilityController, availability } from '../../src/controllers/apiservice-availability/index.ts'
import { directContext, startApi } from './support.ts'

const apiService = (service: object | null = { name: 'metrics-server', namespace: 'kube-system' }): KubeObject => ({
  apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' },
  spec: { service, group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100 },
} as KubeObject)
const service = (ports = [{ name: 'https', port: 443 }]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { clusterIP: '10.43.0.9', ports } } as KubeObject)
const endpoints = (subsets: object[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'metrics-server', namespace: 'kube-system' }, subsets } as KubeObject)
const ready = [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ name: 'https', port: 10250 }] }]

describe('apiservice-availability controller', () => {
  const cases: Array<{ name: string, apiService: KubeObject, services?: KubeObject[], endpoints?: KubeObject[], serves?: boolean, want: [string, string, string] }> = [
    { name: 'a local APIService is always available', apiService: apiService(null), want: ['True', 'Local', 'Local APIServices are always available'] },
    { name: 'the Service missing', apiService: apiService(), want: ['False', 'ServiceNotFound', 'service/metrics-server in "kube-system" is not present'] },
    { name: 'the Service without the port', apiService: apiService(), services: [service([{ name: 'http', port: 80 }])], want: ['False', 'ServicePortError', 'service/metrics-server in "kube-system" is not listening on port 443'] },
    { name: 'no Endpoints object', apiService: apiService(), services: [service()], want: ['False', 'EndpointsNotFound', 'cannot find endpoints for service/metrics-server in "kube-system"'] },
    { name: 'only not-ready addresses', apiService: apiService(), services: [service()], endpoints: [endpoints([{ notReadyAddresses: [{ ip: '10.42.0.5' }], ports: [{ name: 'https', port: 10250 }] }])], want: ['False', 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'] },
    { name: 'ready addresses on another port name', apiService: apiService(), services: [service()], endpoints: [endpoints([{ addresses: [{ ip: '10.42.0.5' }], ports: [{ name: 'metrics', port: 9090 }] }])], want: ['False', 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'] },
    { name: 'a Service k3sim cannot proxy to fails the discovery check', apiService: apiService(), services: [service()], endpoints: [endpoints(ready)], serves: false, want: ['False', 'FailedDiscoveryCheck', 'failing or missing response from https://10.43.0.9:443/apis/metrics.k8s.io/v1beta1: k3sim proxies to no Service; only its own add-ons back APIServices'] },
    { name: 'everything in place', apiService: apiService(), services: [service()], endpoints: [endpoints(ready)], want: ['True', 'Passed', 'all checks passed'] },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const api = await startApi()
      const ctx = directContext(api.client, api.clock, { listers: { apiservices: [c.apiService], services: c.services ?? [], endpoints: c.endpoints ?? [] } })
      const got = availability(c.apiService, ctx, () => c.serves ?? true)
      assert.deepEqual([got.status, got.reason, got.message], c.want)
      api.core.stop()
    })
  }

  it('writes the condition, keeps lastTransitionTime while the status stays, and writes nothing when nothing changed', async () => {
    const api = await startApi()
    const stored = await api.client.create(apiService())
    const controller = apiServiceAvailabilityController({ serves: () => true })
    const sync = async (svcs: KubeObject[], eps: KubeObject[]): Promise<KubeObject> => {
      const current = await api.client.get('apiregistration.k8s.io/v1', 'APIService', undefined, stored.metadata.name!)
      await controller.sync(current.metadata.name!, directContext(api.client, api.clock, { listers: { apiservices: [current], services: svcs, endpoints: eps } }))
      return api.client.get('apiregistration.k8s.io/v1', 'APIService', undefined, stored.metadata.name!)
    }
    const first = await sync([], [])
    const c1 = (first.status as any).conditions[0]
    assert.deepEqual([c1.status, c1.reason], ['False', 'ServiceNotFound'])
    await api.clock.advance('1m')
    const second = await sync([service()], [])
    const c2 = (second.status as any).conditions[0]
    assert.deepEqual([c2.status, c2.reason, c2.lastTransitionTime], ['False', 'EndpointsNotFound', c1.lastTransitionTime])
    await api.clock.advance('1m')
    const third = await sync([service()], [endpoints(ready)])
    const c3 = (third.status as any).conditions[0]
    assert.deepEqual([c3.status, c3.reason], ['True', 'Passed'])
    assert.notEqual(c3.lastTransitionTime, c1.lastTransitionTime)
    const fourth = await sync([service()], [endpoints(ready)])
    assert.equal(fourth.metadata.resourceVersion, third.metadata.resourceVersion)
    api.core.stop()
  })
})
