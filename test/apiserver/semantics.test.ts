// Object semantics of the handler layer, through the in-process Client: generation, status
// separation, finalizers and graceful deletion, Events with a 1 h lease, two-version resources,
// watch transitions under selectors, and pagination.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

async function rejects (p: Promise<unknown>, code: number, message?: RegExp): Promise<void> {
  try { await p } catch (err) {
    assert.ok(isStatusError(err), String(err))
    assert.equal(err.code, code, err.message)
    if (message !== undefined) assert.match(err.message, message)
    return
  }
  assert.fail(`expected a ${code}`)
}

describe('API semantics (in-process)', () => {
  let clock: VirtualClock
  let backend: MemoryBackend
  let client: InProcessClient
  beforeEach(async () => {
    clock = new VirtualClock()
    backend = new MemoryBackend({ clock })
    const core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await createDefaultServiceAccounts(client)
  })
  afterEach(() => backend.close())

  const deployment = (name: string, replicas = 1): Json => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  })

  it('bumps generation on spec changes only, and keeps status out of main writes', async () => {
    const d = await client.create(deployment('g') as any)
    assert.equal(d.metadata.generation, 1)
    const labelled = await client.patch<any>('apps/v1', 'Deployment', 'default', 'g', { metadata: { labels: { a: 'b' } } })
    assert.equal(labelled.metadata.generation, 1)
    const scaled = await client.patch<any>('apps/v1', 'Deployment', 'default', 'g', { spec: { replicas: 3 }, status: { replicas: 99 } })
    assert.deepEqual([scaled.metadata.generation, scaled.status.replicas], [2, undefined])
    const st = await client.patch<any>('apps/v1', 'Deployment', 'default', 'g', { status: { replicas: 3 }, spec: { replicas: 7 } }, { subresource: 'status' })
    assert.deepEqual([st.status.replicas, st.spec.replicas, st.metadata.generation], [3, 3, 2])
  })

  it('a deployments/status write takes annotations but not labels or spec; a replicasets/status write takes status only', async () => {
    const d = await client.create<any>({ ...deployment('s'), metadata: { name: 's', namespace: 'default', labels: { keep: 'me' } } } as any)
    const st = await client.update<any>({ ...d, metadata: { ...d.metadata, labels: { changed: 'no' }, annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { ...d.spec, replicas: 5 }, status: { replicas: 1 } }, { subresource: 'status' })
    assert.deepEqual([st.metadata.labels, st.metadata.annotations, st.spec.replicas, st.status.replicas], [{ keep: 'me' }, { 'deployment.kubernetes.io/revision': '1' }, 1, 1])
    const again = await client.update<any>(st, { subresource: 'status' })
    assert.equal(again.metadata.resourceVersion, st.metadata.resourceVersion, 'a no-op status write keeps the resourceVersion')
    const rs = await client.create<any>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })
    const rst = await client.update<any>({ ...rs, metadata: { ...rs.metadata, annotations: { a: 'b' } }, status: { replicas: 2 } }, { subresource: 'status' })
    assert.deepEqual([rst.metadata.annotations, rst.status.replicas], [undefined, 2])
  })

  it('keeps the resourceVersion of a no-op write', async () => {
    const cm = await client.create<any>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', namespace: 'default' }, data: { a: '1' } })
    const again = await client.patch('v1', 'ConfigMap', 'default', 'n', { data: { a: '1' } })
    assert.equal(again.metadata.resourceVersion, cm.metadata.resourceVersion)
  })

  it('deletes a pod bound to a node gracefully, and an unbound one at once', async () => {
    const pod = (name: string, nodeName?: string): any => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } })
    await client.create(pod('bound', 'node-1'))
    await client.create(pod('free'))
    const marked = await client.delete('v1', 'Pod', 'default', 'bound')
    assert.deepEqual([marked.metadata.deletionGracePeriodSeconds, marked.metadata.deletionTimestamp], [30, '2025-01-01T00:00:30Z'])
    assert.ok(await client.get('v1', 'Pod', 'default', 'bound'))
    await client.delete('v1', 'Pod', 'default', 'bound', { gracePeriodSeconds: 0 })
    await rejects(client.get('v1', 'Pod', 'default', 'bound'), 404)
    await client.delete('v1', 'Pod', 'default', 'free')
    await rejects(client.get('v1', 'Pod', 'default', 'free'), 404)
  })

  it('only marks an object with finalizers, and removes it with its last finalizer', async () => {
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', namespace: 'default', finalizers: ['example.com/keep'] } })
    const marked = await client.delete('v1', 'ConfigMap', 'default', 'f')
    assert.ok(marked.metadata.deletionTimestamp)
    await client.patch('v1', 'ConfigMap', 'default', 'f', { metadata: { labels: { still: 'here' } } })
    assert.ok(await client.get('v1', 'ConfigMap', 'default', 'f'))
    await client.patch('v1', 'ConfigMap', 'default', 'f', { metadata: { finalizers: null } })
    await rejects(client.get('v1', 'ConfigMap', 'default', 'f'), 404)
  })

  it('stores Events for one hour, and serves them as core/v1 and events.k8s.io/v1', async () => {
    await client.create({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default' }, eventTime: '2025-01-01T00:00:00.000000Z', reason: 'Tested', note: 'hello', type: 'Normal', action: 'Testing', reportingController: 'test', reportingInstance: 'test-1', regarding: { kind: 'Pod', name: 'p', namespace: 'default' } } as any)
    const core = await client.get<any>('v1', 'Event', 'default', 'e1')
    assert.deepEqual([core.message, core.involvedObject.name, core.reportingComponent], ['hello', 'p', 'test'])
    const modern = await client.get<any>('events.k8s.io/v1', 'Event', 'default', 'e1')
    assert.deepEqual([modern.apiVersion, modern.note, modern.regarding.name], ['events.k8s.io/v1', 'hello', 'p'])
    await clock.advance('59m')
    assert.ok(await client.get('v1', 'Event', 'default', 'e1'))
    // The lease's expiry deletes the key through a store write: wait for its DELETED event, not a timer.
    const watch = await client.watch('v1', 'Event', { namespace: 'default', resourceVersion: core.metadata.resourceVersion })
    await clock.advance('3m')
    for (let batch = await watch.next(); batch !== null && !batch.some(e => e.type === 'DELETED'); batch = await watch.next());
    watch.close()
    await rejects(client.get('v1', 'Event', 'default', 'e1'), 404)
  })

  it('serves HorizontalPodAutoscalers as autoscaling/v1 and v2', async () => {
    await client.create({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } } as any)
    const v2 = await client.get<any>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'h')
    assert.equal(v2.spec.metrics[0].resource.target.averageUtilization, 70)
    const v1 = await client.get<any>('autoscaling/v1', 'HorizontalPodAutoscaler', 'default', 'h')
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 70)
  })

  it('keeps what only v2 can say through a v1 read-modify-write, in upstream\'s round-trip annotations', async () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }
    const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }
    const behavior = { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } }
    await client.create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'rt', namespace: 'default', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[]', keep: 'me' } }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, maxReplicas: 5, metrics: [memory, cpu], behavior } } as any)
    const v1 = await client.get<any>('autoscaling/v1', 'HorizontalPodAutoscaler', 'default', 'rt')
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 60)
    assert.equal(v1.spec.metrics, undefined)
    assert.deepEqual(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']), [{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } }])
    assert.deepEqual(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/behavior']).ScaleDown, { StabilizationWindowSeconds: 60, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 30 }] })
    assert.equal(v1.metadata.annotations.keep, 'me')
    await client.update({ ...v1, spec: { ...v1.spec, minReplicas: 2 } })
    const v2 = await client.get<any>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'rt')
    assert.deepEqual(v2.spec.metrics, [memory, cpu])
    assert.equal(v2.spec.minReplicas, 2)
    assert.deepEqual(v2.spec.behavior.scaleDown, behavior.scaleDown)
    assert.deepEqual(v2.metadata.annotations, { keep: 'me' }, 'v2 never shows the round-trip annotations')
  })

  it('round-trips every metric type through v1, stores nothing new for an unchanged v1 update, and ignores malformed round-trip annotations', async () => {
    const metrics = [
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'hits' }, target: { type: 'Value', value: '100' } } },
      { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ]
    await client.create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'all', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 5, metrics } } as any)
    const stored = await client.get<any>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'all')
    const v1 = await client.get<any>('autoscaling/v1', 'HorizontalPodAutoscaler', 'default', 'all')
    const again = await client.update(v1)
    assert.equal(again.metadata.resourceVersion, stored.metadata.resourceVersion, 'an unchanged v1 update writes nothing')
    assert.deepEqual((await client.get<any>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'all')).spec.metrics, metrics)
    const annotations = { 'autoscaling.alpha.kubernetes.io/metrics': '[null]', 'autoscaling.alpha.kubernetes.io/current-metrics': '{"a":1}', 'autoscaling.alpha.kubernetes.io/behavior': '{"ScaleUp":{"Policies":{}}}', 'autoscaling.alpha.kubernetes.io/conditions': 'not json' }
    const odd = await client.create({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'odd', namespace: 'default', annotations }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, maxReplicas: 3 } } as any)
    assert.equal(odd.metadata.annotations, undefined)
    const oddV2 = await client.get<any>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'odd')
    assert.deepEqual(oddV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }])
    assert.equal(oddV2.spec.behavior, undefined)
  })

  it('watches with a label selector: objects entering and leaving it are ADDED and DELETED', async () => {
    const w = await client.watch('v1', 'ConfigMap', { namespace: 'default', labelSelector: 'watch=me', resourceVersion: String(backend.revision) })
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'default' } })
    await client.patch('v1', 'ConfigMap', 'default', 'w', { metadata: { labels: { watch: 'me' } } })
    await client.patch('v1', 'ConfigMap', 'default', 'w', { data: { x: 'y' } })
    await client.patch('v1', 'ConfigMap', 'default', 'w', { metadata: { labels: { watch: 'not-me' } } })
    const seen: string[] = []
    while (seen.length < 3) for (const e of (await w.next())!) seen.push(e.type)
    w.close()
    assert.deepEqual(seen, ['ADDED', 'MODIFIED', 'DELETED'])
  })

  it('pages a list with limit and continue, and refuses an expired continue token', async () => {
    for (let i = 0; i < 5; i++) await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `p${i}`, namespace: 'default' } })
    const first = await client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2 })
    assert.deepEqual([first.items.map(i => i.metadata.name), first.metadata.remainingItemCount], [['p0', 'p1'], 3])
    const second = await client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2, continue: first.metadata.continue })
    assert.deepEqual(second.items.map(i => i.metadata.name), ['p2', 'p3'])
    const last = await client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2, continue: second.metadata.continue })
    assert.deepEqual([last.items.map(i => i.metadata.name), last.metadata.continue], [['p4'], undefined])
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: 'default' } })
    await backend.compact(backend.revision)
    await rejects(client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2, continue: first.metadata.continue }), 410, /The provided continue parameter is too old/)
  })

  it('allocates ClusterIPs and NodePorts and refuses taken ones', async () => {
    const svc = (name: string, spec: Json): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec })
    const a = await client.create<any>(svc('a', { type: 'NodePort', ports: [{ port: 80 }] }))
    assert.match(a.spec.clusterIP, /^10\.43\.\d+\.\d+$/)
    assert.ok(a.spec.ports[0].nodePort >= 30000 && a.spec.ports[0].nodePort <= 32767)
    await rejects(client.create(svc('b', { clusterIP: a.spec.clusterIP, ports: [{ port: 80 }] })), 422, /provided IP is already allocated/)
    await rejects(client.create(svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: a.spec.ports[0].nodePort }] })), 422, /provided port is already allocated/)
    await rejects(client.create(svc('d', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })), 422, /The range of valid ports is 30000-32767/)
    // validateUpgradeDowngradeClusterIPs, the error of Helm upgrades that change a Service's address.
    await rejects(client.patch('v1', 'Service', 'default', 'a', { spec: { clusterIP: '10.43.9.9' } }), 422, /^Service "a" is invalid: spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"10\.43\.9\.9"\}: may not change once set$/)
    // clusterIP "" (Helm charts template it) asks for an address at create and keeps it on update.
    const blank = await client.create<any>(svc('blank', { clusterIP: '', ports: [{ port: 80 }] }))
    assert.match(blank.spec.clusterIP, /^10\.43\.\d+\.\d+$/)
    const kept = await client.patch<any>('v1', 'Service', 'default', 'blank', { spec: { clusterIP: '' } })
    assert.equal(kept.spec.clusterIP, blank.spec.clusterIP)
    assert.deepEqual(kept.spec.clusterIPs, [blank.spec.clusterIP])
    const headless = await client.create<any>(svc('h', { clusterIP: 'None', ports: [{ port: 5432 }] }))
    assert.equal(headless.spec.clusterIP, 'None')
    await rejects(client.patch('v1', 'Service', 'default', 'h', { spec: { clusterIP: a.spec.clusterIP } }), 422, /spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"10\.43\.[0-9.]+"\}: may not change once set$/)
  })

  it('checks a Service as ValidateService does: each port\'s name before its number, then the type, its values sorted', async () => {
    const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad', namespace: 'default' }, spec: { type: 'Foo', ports: [{ port: 0 }, { port: 80 }, { name: 'web', port: 81 }, { name: 'web', port: 82 }, { name: 'Web_Port', port: 83, protocol: 'FOO' }] } } as any
    await rejects(client.create(bad), 422, new RegExp('^' + [
      'Service "bad" is invalid: \\[spec\\.ports\\[0\\]\\.name: Required value',
      'spec\\.ports\\[0\\]\\.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec\\.ports\\[0\\]\\.targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec\\.ports\\[1\\]\\.name: Required value',
      'spec\\.ports\\[3\\]\\.name: Duplicate value: "web"',
      'spec\\.ports\\[4\\]\\.name: Invalid value: "Web_Port": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character \\(e\\.g\\. \'my-name\',  or \'123-abc\', regex used for validation is \'\\[a-z0-9\\]\\(\\[-a-z0-9\\]\\*\\[a-z0-9\\]\\)\\?\'\\)',
      'spec\\.ports\\[4\\]\\.protocol: Unsupported value: "FOO": supported values: "SCTP", "TCP", "UDP"',
      'spec\\.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\\]$',
    ].join(', ')))
  })
})
