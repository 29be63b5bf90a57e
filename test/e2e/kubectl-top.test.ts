// kubectl top and the metrics API with the real kubectl: k3s's metrics-server add-on behind the
// APIService v1beta1.metrics.k8s.io, scraping the kubelets every 15 s on the virtual clock;
// pods report what their k3sim.io/usage-* annotations say.
import assert from 'node:assert/strict'
import type { Cluster } from '../../src/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

describe('kubectl top against k3sim: the metrics-server add-on', function () {
  let k: KubectlCluster
  let cluster: Cluster
  before(async () => {
    k = await startKubectlCluster({ clock: 'virtual', disable: ['coredns', 'servicelb', 'traefik', 'local-storage'], node: { cpu: '2', memory: '4Gi' }, seed: 21 })
    cluster = k.cluster
  })
  after(async () => { await k.stop() })

  const ok = (args: string[], input?: string) => k.ok(args, input)
  const fails = (args: string[]) => k.fails(args)

  it('has no metrics API while metrics-server is not ready: the APIService is unavailable and requests get 503', async () => {
    assert.match(await ok(['get', 'apiservices']), /^v1beta1\.metrics\.k8s\.io\s+kube-system\/metrics-server\s+False \(MissingEndpoints\)\s+\d+s$/m)
    // The API server's own group/versions are local APIServices (autoregister), CRDs' too.
    const all = await ok(['get', 'apiservices'])
    for (const name of ['v1\\.', 'v1\\.apps', 'v2\\.autoscaling', 'v1\\.helm\\.cattle\\.io']) assert.match(all, new RegExp(`^${name}\\s+Local\\s+True\\s+\\d+s$`, 'm'))
    assert.equal(await fails(['top', 'node']), 'error: Metrics API not available\n')
    assert.match(await fails(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']), /the server is currently unable to handle the request/)
  })

  it('serves the API once metrics-server is ready, and has numbers after two scrapes', async () => {
    await cluster.clock.advance('5s')
    const status = JSON.parse(await ok(['get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions[0]}']))
    assert.deepEqual([status.type, status.status, status.reason, status.message], ['Available', 'True', 'Passed', 'all checks passed'])
    assert.equal(await fails(['top', 'node']), 'error: metrics not available yet\n')
    await cluster.clock.advance('30s')
    const nodes = await ok(['top', 'node'])
    assert.match(nodes, /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/)
    assert.match(nodes, /^k3sim-k3s-default-server-0\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m)
    assert.match(await ok(['top', 'pod', '-n', 'kube-system']), /^metrics-server-\S+\s+[1-5]m\s+\d+Mi\s*$/m)
  })

  it('reports what a pod\'s usage annotations say, and follows them when they change', async () => {
    await ok(['run', 'web', '--image=nginx', '--annotations=k3sim.io/usage-cpu=250m', '--annotations=k3sim.io/usage-memory=64Mi'])
    await cluster.settle()
    await cluster.clock.advance('30s')
    assert.match(await ok(['top', 'pod', 'web']), /^web\s+250m\s+64Mi\s*$/m)
    assert.match(await ok(['top', 'node']), /^k3sim-k3s-default-server-0\s+2\d\dm\s+1[2-5]%/m)
    await ok(['annotate', 'pod', 'web', 'k3sim.io/usage-cpu=1500m', '--overwrite'])
    await cluster.clock.advance('15s')
    assert.match(await ok(['top', 'pod', 'web', '--containers']), /^web\s+web\s+1500m\s+64Mi\s*$/m)
    const metrics = JSON.parse(await ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web']))
    assert.equal(metrics.kind, 'PodMetrics')
    assert.deepEqual(metrics.containers, [{ name: 'web', usage: { cpu: '1500m', memory: '64Mi' } }])
    assert.equal(metrics.window, '15s')
    assert.deepEqual(metrics.metadata.labels, { run: 'web' })
    assert.match(await ok(['get', 'podmetrics', 'web']), /^NAME\s+CPU\s+MEMORY\s+WINDOW\nweb\s+1500m\s+64Mi\s+15s\n$/)
  })

  it('answers for pods and nodes it does not know as metrics-server does', async () => {
    assert.equal(await fails(['top', 'pod', 'nope']), 'Error from server (NotFound): pods "nope" not found\n')
    assert.equal(await fails(['get', 'nodemetrics', 'nope']), 'Error from server (NotFound): node "nope" not found\n')
    assert.match(await fails(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=spec.unschedulable%3Dtrue']), /"spec.unschedulable" is not a known field selector: only "metadata.name", "metadata.namespace"/)
    await ok(['run', 'late', '--image=nginx'])
    await cluster.settle()
    assert.equal(await fails(['get', 'podmetrics', 'late']), 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/late" not found\n')
  })

  it('loses the API again when metrics-server has no ready pod', async () => {
    await ok(['-n', 'kube-system', 'scale', 'deployment', 'metrics-server', '--replicas=0'])
    await cluster.settle()
    assert.match(await ok(['get', 'apiservices']), /False \(MissingEndpoints\)/)
    assert.equal(await fails(['top', 'pod']), 'error: Metrics API not available\n')
  })

  it('has no metrics group at all once its APIService is deleted', async () => {
    await ok(['delete', 'apiservice', 'v1beta1.metrics.k8s.io'])
    assert.equal(await fails(['top', 'node']), 'error: Metrics API not available\n')
    assert.match(await fails(['get', '--raw', '/apis/metrics.k8s.io/v1beta1']), /NotFound/)
    assert.doesNotMatch(await ok(['api-versions']), /metrics/)
  })

  it('validates APIServices as kube-aggregator does', async () => {
    const bad = JSON.stringify({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.wrong' }, spec: { group: 'example.com', version: 'v1', groupPriorityMinimum: 0, versionPriority: 10 } })
    assert.equal(await k.fails(['create', '-f', '-'], bad), 'The APIService "v1.wrong" is invalid: \n* metadata.name: Invalid value: "v1.wrong": must be `spec.version+"."+spec.group`: "v1.example.com"\n* spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000\n')
  })
})
