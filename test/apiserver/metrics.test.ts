// kube-apiserver's /metrics: the request metrics of every client as endpoints/metrics labels
// them (verb, dry run, group, version, resource, subresource, scope, component, code), watches
// as long-running requests, apiserver_storage_objects, and client_golang's text format.
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'
import { family, histogramFamily } from '../../src/apiserver/metrics/exposition.ts'
import { RequestMetrics } from '../../src/apiserver/metrics/request-metrics.ts'


const line = (text: string, prefix: string): string | undefined => text.split('\n').find(l => l.startsWith(prefix))
const total = (labels: string): string => `apiserver_request_total{${labels}} `

describe('apiserver /metrics', () => {
  it('counts each request under upstream\'s labels: verb, scope, subresource, dry run and code', async () => {
    const { core, client } = await startCore()
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }
    await client.create(pod as any)
    await client.create({ ...pod, metadata: { name: 'dry', namespace: 'default' } } as any, { dryRun: true })
    await client.get('v1', 'Pod', 'default', 'web')
    await client.get('v1', 'Pod', 'default', 'nope').catch(() => undefined)
    await client.list('v1', 'Pod', { namespace: 'default' })
    await client.list('v1', 'Pod')
    await client.patch('v1', 'Pod', 'default', 'web', { metadata: { labels: { a: 'b' } } }, { type: 'merge' })
    await client.patch('v1', 'Pod', 'default', 'web', { status: { phase: 'Running' } }, { type: 'merge', subresource: 'status' })
    await client.patch('v1', 'ConfigMap', 'default', 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } }, { type: 'apply', fieldManager: 'me' })
    const text = await core.metrics()
    const common = 'component="apiserver",dry_run=""'
    for (const [labels, value] of [
      [`code="201",${common},group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"`, 1],
      [`code="201",component="apiserver",dry_run="All",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"`, 1],
      [`code="200",${common},group="",resource="pods",scope="resource",subresource="",verb="GET",version="v1"`, 1],
      [`code="404",${common},group="",resource="pods",scope="resource",subresource="",verb="GET",version="v1"`, 1],
      [`code="200",${common},group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"`, 1],
      [`code="200",${common},group="",resource="pods",scope="cluster",subresource="",verb="LIST",version="v1"`, 1],
      [`code="200",${common},group="",resource="pods",scope="resource",subresource="",verb="PATCH",version="v1"`, 1],
      [`code="200",${common},group="",resource="pods",scope="resource",subresource="status",verb="PATCH",version="v1"`, 1],
      [`code="201",${common},group="",resource="configmaps",scope="resource",subresource="",verb="APPLY",version="v1"`, 1],
    ] as Array<[string, number]>) {
      assert.equal(line(text, total(labels)), `${total(labels)}${value}`, labels)
    }
    assert.equal(line(text, 'apiserver_storage_objects{resource="pods"} '), 'apiserver_storage_objects{resource="pods"} 1')
    assert.equal(line(text, 'apiserver_storage_objects{resource="deployments.apps"} '), 'apiserver_storage_objects{resource="deployments.apps"} 0')
    assert.equal(text.split('\n').filter(l => l.startsWith('apiserver_storage_objects{resource="events"}')).length, 1, 'one per group and resource')
    const count = `apiserver_request_duration_seconds_count{${common},group="",resource="pods",scope="resource",subresource="",verb="GET",version="v1"}`
    assert.equal(line(text, count), `${count} 2`, 'both GETs, the 404 too')
    // Families in name order, each once.
    const families = text.split('\n').filter(l => l.startsWith('# TYPE ')).map(l => l.split(' ')[2])
    assert.deepEqual(families, [...new Set(families)].sort())
    assert.ok(families.includes('process_cpu_seconds_total') && families.includes('process_resident_memory_bytes'))
  })

  it('reads the dry run of the URL only: a DELETE\'s in its DeleteOptions body is not reported (client-go sends it there)', async () => {
    const { core, client } = await startCore()
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } } as any)
    await client.delete('v1', 'ConfigMap', 'default', 'cm', { dryRun: true })
    const t = total('code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="DELETE",version="v1"')
    assert.equal(line(await core.metrics(), t), `${t}1`)
    assert.equal((await client.get('v1', 'ConfigMap', 'default', 'cm')).metadata.name, 'cm', 'still there: a dry run')
  })

  it('counts a refusal with its code (a 422 from validation)', async () => {
    const { core, client } = await startCore()
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'default' } } as any).catch(() => undefined)
    const text = await core.metrics()
    const t = total('code="422",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="POST",version="v1"')
    assert.equal(line(text, t), `${t}1`)
  })

  it('counts a watch as long-running while it lasts, then once with code 200 and its whole duration', async () => {
    const { core, client } = await startCore()
    const gauge = 'apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"} '
    const watch = await client.watch('v1', 'Pod', { namespace: 'default' })
    assert.equal(line(await core.metrics(), gauge), `${gauge}1`)
    assert.equal(line(await core.metrics(), total('code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"')), undefined)
    watch.close()
    const text = await core.metrics()
    assert.equal(line(text, gauge), `${gauge}0`)
    const t = total('code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"')
    assert.equal(line(text, t), `${t}1`)
  })

  it('a watch of one object (metadata.name= in its field selector) is long-running at scope resource, as RequestInfo names it', async () => {
    const { core, client } = await startCore()
    const watch = await client.watch('v1', 'Pod', { namespace: 'default', fieldSelector: 'metadata.name=web' })
    const text = await core.metrics()
    const gauge = 'apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="resource",subresource="",verb="WATCH",version="v1"} '
    assert.equal(line(text, gauge), `${gauge}1`)
    watch.close()
    // The route's own scope stays the installer's: a namespace's watch.
    const t = total('code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"')
    assert.equal(line(await core.metrics(), t), `${t}1`)
  })

  it('puts a request taking exactly a bucket\'s bound in that bucket (le is inclusive)', () => {
    let now = 0
    const m = new RequestMetrics(() => now)
    const req: any = { verb: 'get', info: { group: '', version: 'v1', resource: 'pods', namespaced: true }, namespace: 'default', name: 'x', options: {} }
    const r = m.start(req)
    now = 5
    r.end(200)
    const text = m.exposition()
    assert.match(text, /apiserver_request_duration_seconds_bucket\{[^}]*le="0\.005"\} 1\n/)
    assert.match(text, /apiserver_request_duration_seconds_sum\{[^}]*\} 0\.005\n/)
  })

  it('keeps the most requests in flight in the last second, per kind (a watch is not in flight)', () => {
    let now = 0
    const m = new RequestMetrics(() => now)
    const info = { group: '', version: 'v1', resource: 'pods', namespaced: true } as any
    const req = (verb: string): any => ({ verb, info, namespace: 'default', options: {} })
    const a = m.start(req('get'))
    const b = m.start(req('list'))
    m.start(req('watch'))
    const c = m.start(req('create'))
    now = 500; a.end(200); b.end(200); c.end(201)
    now = 1500
    const inflight = (t: string): string[] => t.split('\n').filter(l => l.startsWith('apiserver_current_inflight_requests{'))
    assert.deepEqual(inflight(m.exposition()), ['apiserver_current_inflight_requests{request_kind="mutating"} 1', 'apiserver_current_inflight_requests{request_kind="readOnly"} 2'])
    now = 3500
    assert.deepEqual(inflight(m.exposition()), ['apiserver_current_inflight_requests{request_kind="mutating"} 0', 'apiserver_current_inflight_requests{request_kind="readOnly"} 0'])
  })

  it('writes the text format as client_golang: label pairs by name, samples by label values, cumulative buckets, Go floats', () => {
    assert.equal(family('x_total', 'counter', '[STABLE] An x.', [
      { labels: [['verb', 'GET'], ['code', '200']], value: 3 },
      { labels: [['verb', 'LIST'], ['code', '200']], value: 1e6 },
      { labels: [['verb', 'GET'], ['code', '\\"x\n']], value: 0.5 },
    ]), '# HELP x_total [STABLE] An x.\n# TYPE x_total counter\nx_total{code="200",verb="GET"} 3\nx_total{code="200",verb="LIST"} 1e+06\nx_total{code="\\\\\\"x\\n",verb="GET"} 0.5\n')
    assert.equal(family('empty', 'gauge', 'h', []), '')
    assert.equal(family('h', 'gauge', 'a\\b\nc', [{ labels: [], value: 1 }]), '# HELP h a\\\\b\\nc\n# TYPE h gauge\nh 1\n')
    assert.match(histogramFamily('big', 'h', [1], [{ labels: [], counts: [1234567], sum: 2e6, count: 1234568 }]), /^big_bucket\{le="1"\} 1\.234567e\+06\nbig_bucket\{le="\+Inf"\} 1\.234568e\+06\nbig_sum 2e\+06\nbig_count 1\.234568e\+06\n/m)
    assert.equal(histogramFamily('d_seconds', 'h', [0.005, 1, 60], [{ labels: [['verb', 'GET']], counts: [2, 0, 1], sum: 1.5, count: 4 }]),
      '# HELP d_seconds h\n# TYPE d_seconds histogram\nd_seconds_bucket{verb="GET",le="0.005"} 2\nd_seconds_bucket{verb="GET",le="1"} 2\nd_seconds_bucket{verb="GET",le="60"} 3\nd_seconds_bucket{verb="GET",le="+Inf"} 4\nd_seconds_sum{verb="GET"} 1.5\nd_seconds_count{verb="GET"} 4\n')
  })
})
