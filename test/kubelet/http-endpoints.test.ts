// The kubelet's HTTP endpoints (http-endpoints.ts) byte for byte: Prometheus text as the
// kubelet's resource collector writes it, the stats summary as go-restful indents it, the pod
// list as Go's encoder writes it, and the kubelet's 404 and 405 texts.
import assert from 'node:assert/strict'
import type { NodeUsageSample } from '../../src/api/resource-usage.ts'
import { serveKubeletHttp, type KubeletView } from '../../src/kubelet/http-endpoints.ts'
import type { NodeIdentity } from '../../src/kubelet/node-object.ts'
import { parseResourcePath } from '../../src/apiserver/http/paths.ts'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const identity: NodeIdentity = { name: 'n1', role: 'agent', index: 1, cpu: '2', memory: '4Gi', pods: 110, ephemeralStorage: 100 * 2 ** 30, runtimeVersion: 'containerd://2.0.4-k3s2', kernelVersion: '6.1.0', seed: 's', boot: 'b' }
const usage: NodeUsageSample = {
  node: 'n1',
  timestamp: T0 + 10_000,
  usage: { cpuNanoCores: 260_000_000, memoryBytes: 200 * 2 ** 20 },
  pods: [{ namespace: 'default', name: 'web<1>', uid: 'u1', containers: [{ name: 'c', startedAt: T0 + 4_000, usage: { cpuNanoCores: 250_000_000, memoryBytes: 64 * 2 ** 20 } }] }],
}
const view: KubeletView = { identity, now: () => T0 + 10_000, bootedAt: T0, pods: () => [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a&b' }, spec: {} }], usage: async () => usage }
const get = (path: string, method = 'GET') => serveKubeletHttp(view, method, path, new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?')) : ''))

describe('kubelet HTTP endpoints', () => {
  it('writes /metrics/resource as the resource collector does: families by name, ns counters, %g values, scrape times', async () => {
    const r = await get('/metrics/resource')
    assert.equal(r.headers['Content-Type'], 'text/plain; version=0.0.4; charset=utf-8')
    assert.equal(r.body, [
      '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
      '# TYPE container_cpu_usage_seconds_total counter',
      'container_cpu_usage_seconds_total{container="c",namespace="default",pod="web<1>"} 1.5 1767225610000',
      '# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes',
      '# TYPE container_memory_working_set_bytes gauge',
      'container_memory_working_set_bytes{container="c",namespace="default",pod="web<1>"} 6.7108864e+07 1767225610000',
      '# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds',
      '# TYPE container_start_time_seconds gauge',
      'container_start_time_seconds{container="c",namespace="default",pod="web<1>"} 1.767225604e+09',
      '# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds',
      '# TYPE node_cpu_usage_seconds_total counter',
      'node_cpu_usage_seconds_total 1.6 1767225610000',
      '# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes',
      '# TYPE node_memory_working_set_bytes gauge',
      'node_memory_working_set_bytes 2.097152e+08 1767225610000',
      '# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds',
      '# TYPE pod_cpu_usage_seconds_total counter',
      'pod_cpu_usage_seconds_total{namespace="default",pod="web<1>"} 1.5 1767225610000',
      '# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes',
      '# TYPE pod_memory_working_set_bytes gauge',
      'pod_memory_working_set_bytes{namespace="default",pod="web<1>"} 6.7108864e+07 1767225610000',
      '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
      '# TYPE resource_scrape_error gauge',
      'resource_scrape_error 0',
      '',
    ].join('\n'))
  })

  it('indents /stats/summary by one space and escapes <, > and & as Go does', async () => {
    const r = await get('/stats/summary')
    const summary = JSON.parse(r.body)
    assert.ok(r.body.startsWith('{\n "node": {\n  "nodeName": "n1",\n  "systemContainers": [\n   {\n    "name": "kubelet",'))
    assert.ok(r.body.includes('"name": "web\\u003c1\\u003e"'))
    assert.deepEqual(summary.pods[0].cpu, { time: '2026-01-01T00:00:10Z', usageNanoCores: 250_000_000, usageCoreNanoSeconds: 1_500_000_000 })
    assert.deepEqual(summary.node.cpu, { time: '2026-01-01T00:00:10Z', usageNanoCores: 260_000_000, usageCoreNanoSeconds: 1_600_000_000 })
    assert.equal(summary.node.memory.availableBytes, 4 * 2 ** 30 - 200 * 2 ** 20)
    assert.equal(summary.node.startTime, '2026-01-01T00:00:00Z')
  })

  it('lists pods as a PodList without item kinds, with a newline after, Go-escaped', async () => {
    assert.equal((await get('/pods')).body, '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"a\\u0026b"},"spec":{}}]}\n')
  })

  it('answers unknown paths and methods with the kubelet\'s own texts', async () => {
    assert.deepEqual(await get('/nope'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: '404 page not found\n' })
    assert.equal((await get('/stats/nope')).body, '404: Page Not Found')
    assert.deepEqual([(await get('/pods', 'POST')).status, (await get('/pods', 'POST')).body], [405, '405: Method Not Allowed'])
    assert.equal((await get('/healthz/syncloop')).body, 'ok')
  })

  it('parses a node proxy path: the node, then the rest of the path as the kubelet\'s', () => {
    const has = (_g: string, _v: string, r: string, s: string): boolean => r === 'nodes' && s === 'proxy'
    assert.deepEqual(parseResourcePath('/api/v1/nodes/n1/proxy/stats/summary', has), { group: '', version: 'v1', resource: 'nodes', name: 'n1', subresource: 'proxy', watchPrefix: false, proxyPath: '/stats/summary' })
    assert.equal(parseResourcePath('/api/v1/nodes/n1/proxy', has)?.proxyPath, '')
    assert.equal(parseResourcePath('/api/v1/nodes/n1/proxy/healthz/', has)?.proxyPath, '/healthz/')
    assert.equal(parseResourcePath('/api/v1/nodes/n1/proxy//', has)?.proxyPath, '/', 'not empty: no endless redirect to /proxy///')
    assert.equal(parseResourcePath('/api/v1/nodes/n1/status/extra', has), undefined, 'only proxy takes a path')
  })
})
