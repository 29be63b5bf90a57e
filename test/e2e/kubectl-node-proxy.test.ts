// nodes/proxy with the real kubectl: `kubectl get --raw /api/v1/nodes/<node>/proxy/<path>`
// reaches the node's kubelet and prints what it answered — /healthz, /configz, /pods,
// /stats/summary, /metrics/resource — and its 404s, a missing node and a stopped kubelet as
// kube-apiserver answers them.
import assert from 'node:assert/strict'
import type { Cluster } from '../../src/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const NODE = 'k3sim-k3s-default-server-0'
const raw = (path: string): string[] => ['get', '--raw', `/api/v1/nodes/${NODE}/proxy${path}`]

describe('kubectl get --raw through nodes/proxy (the kubelet\'s own endpoints), pods/proxy and services/proxy', function () {
  let k: KubectlCluster
  let cluster: Cluster
  before(async () => {
    k = await startKubectlCluster({ clock: 'virtual', agents: 1, disable: ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server'], node: { cpu: '2', memory: '4Gi' }, seed: 31 })
    cluster = k.cluster
    await k.ok(['run', 'web', '--image=nginx', '--annotations=k3sim.io/usage-cpu=250m', '--annotations=k3sim.io/usage-memory=64Mi', '--overrides={"spec":{"nodeName":"' + NODE + '"}}'])
    await cluster.settle()
    await cluster.clock.advance('10s')
  })
  after(async () => { await k.stop() })

  it('answers healthz with ok, and each check with ?verbose', async () => {
    assert.equal(await k.ok(raw('/healthz')), 'ok')
    assert.equal(await k.ok(raw('/healthz?verbose')), '[+]ping ok\n[+]log ok\n[+]syncloop ok\nhealthz check passed\n')
  })

  it('shows the kubelet configuration k3s v1.32.3 gives it', async () => {
    const text = await k.ok(raw('/configz'))
    assert.ok(text.startsWith('{"kubeletconfig":{"enableServer":true,"staticPodPath":"/var/lib/rancher/k3s/agent/pod-manifests","podLogsDir":"/var/log/pods","syncFrequency":"1m0s","fileCheckFrequency":"20s","httpCheckFrequency":"20s","address":"0.0.0.0","port":10250,"readOnlyPort":10255,'), text.slice(0, 300))
    const config = JSON.parse(text).kubeletconfig
    assert.deepEqual([config.clusterDNS, config.clusterDomain, config.maxPods, config.failSwapOn, config.cgroupDriver], [['10.43.0.10'], 'cluster.local', 110, false, 'cgroupfs'])
  })

  it('lists the pods the kubelet runs, as a PodList of items without kind', async () => {
    const list = JSON.parse(await k.ok(raw('/pods')))
    assert.deepEqual([list.kind, list.apiVersion, list.metadata], ['PodList', 'v1', {}])
    const web = list.items.find((p: { metadata: { name: string } }) => p.metadata.name === 'web')
    assert.ok(web !== undefined, 'the pod bound to this node')
    assert.equal(web.kind, undefined)
    assert.equal(web.status.phase, 'Running')
    assert.ok(list.items.every((p: { spec: { nodeName: string } }) => p.spec.nodeName === NODE), 'only this node\'s pods')
  })

  it('reports the runtime\'s CPU and memory in the stats summary and the resource metrics', async () => {
    const summary = JSON.parse(await k.ok(raw('/stats/summary')))
    assert.equal(summary.node.nodeName, NODE)
    assert.deepEqual(summary.node.systemContainers.map((c: { name: string }) => c.name), ['kubelet', 'pods'])
    const web = summary.pods.find((p: { podRef: { name: string } }) => p.podRef.name === 'web')
    assert.deepEqual([web.containers[0].name, web.containers[0].cpu.usageNanoCores, web.containers[0].memory.workingSetBytes], ['web', 250_000_000, 64 * 2 ** 20])
    assert.ok(summary.node.cpu.usageNanoCores >= 250_000_000)
    const metrics = await k.ok(raw('/metrics/resource'))
    assert.match(metrics, /^# HELP container_cpu_usage_seconds_total \[STABLE\] Cumulative cpu time consumed by the container in core-seconds\n# TYPE container_cpu_usage_seconds_total counter\n/)
    assert.match(metrics, /^container_memory_working_set_bytes\{container="web",namespace="default",pod="web"\} 6\.7108864e\+07 \d{13}$/m)
    assert.match(metrics, /^pod_memory_working_set_bytes\{namespace="default",pod="web"\} 6\.7108864e\+07 \d{13}$/m)
    assert.match(metrics, /\nresource_scrape_error 0\n$/)
  })

  it('authorizes nodes/proxy, whatever path follows, as the subresource with the request\'s verb', async () => {
    await k.ok(['create', 'clusterrole', 'kubelet-reader', '--verb=get', '--resource=nodes/proxy'])
    await k.ok(['create', 'clusterrolebinding', 'jane-kubelet', '--clusterrole=kubelet-reader', '--user=jane'])
    await k.ok(['create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes'])
    await k.ok(['create', 'clusterrolebinding', 'joe-nodes', '--clusterrole=node-reader', '--user=joe'])
    assert.equal(JSON.parse(await k.ok([...raw('/stats/summary'), '--as=jane'])).node.nodeName, NODE)
    assert.equal(await k.fails([...raw('/stats/summary'), '--as=joe']), `Error from server (Forbidden): nodes "${NODE}" is forbidden: User "joe" cannot get resource "nodes/proxy" in API group "" at the cluster scope\n`)
    assert.match(await k.fails(['create', '--raw', `/api/v1/nodes/${NODE}/proxy/pods`, '-f', '-', '--as=jane'], '{}'), /^Error from server \(Forbidden\): nodes "[^"]+" is forbidden: User "jane" cannot create resource "nodes\/proxy"/)
  })

  it('answers pods/proxy and services/proxy for pods that listen on nothing (the fake runtime) as upstream does', async () => {
    const refused = await k.fails(['get', '--raw', '/api/v1/namespaces/default/pods/web:80/proxy/'])
    assert.match(refused, /^Error from server \(ServiceUnavailable\): error trying to reach service: dial tcp 10\.42\.0\.\d+:80: connect: connection refused\n$/)
    assert.equal(await k.fails(['get', '--raw', '/api/v1/namespaces/default/pods/a:b:c:d/proxy/']), 'Error from server (BadRequest): invalid pod request "a:b:c:d"\n')
    assert.equal(await k.fails(['get', '--raw', '/api/v1/namespaces/default/pods/ftp:web:80/proxy/']), 'Error from server (BadRequest): invalid pod request "ftp:web:80"\n')
    await k.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80'])
    await cluster.settle()
    assert.equal(await k.fails(['get', '--raw', '/api/v1/namespaces/default/services/empty:80/proxy/']), 'Error from server (ServiceUnavailable): no endpoints available for service "empty"\n')
    assert.equal(await k.fails(['get', '--raw', '/api/v1/namespaces/default/services/nope/proxy/']), 'Error from server (NotFound): endpoints "nope" not found\n')
    await k.ok(['run', 'pending', '--image=nginx', '--overrides={"spec":{"nodeName":"no-such-node"}}'])
    assert.equal(await k.fails(['get', '--raw', '/api/v1/namespaces/default/pods/pending/proxy/']), 'Error from server (BadRequest): address not allowed\n')
  })

  it('passes the kubelet\'s 404s through, and says what it could not reach', async () => {
    assert.equal(await k.fails(raw('/nope')), 'Error from server (NotFound): the server could not find the requested resource\n')
    assert.equal(await k.fails(raw('/stats/nope')), 'Error from server (NotFound): the server could not find the requested resource\n')
    assert.equal(await k.fails(raw('/healthz?dryRun=All')), 'Error from server (BadRequest): dryRun is not supported\n')
    assert.equal(await k.ok(raw('/healthz?limit=x&timeoutSeconds=y')), 'ok', 'the query is the kubelet\'s, not list options')
    assert.equal(await k.fails(['get', '--raw', '/api/v1/nodes/nosuch/proxy/healthz']), 'Error from server (NotFound): nodes "nosuch" not found\n')
    assert.equal(await k.fails(['get', '--raw', `/api/v1/nodes/${NODE}:9999/proxy/healthz`]), 'Error from server (ServiceUnavailable): error trying to reach service: dial tcp 172.18.0.2:9999: connect: connection refused\n')
    // k3s v1.32.3 still opens the read-only port: plain HTTP (another port's default), no debugging handlers.
    assert.equal(await k.ok(['get', '--raw', `/api/v1/nodes/${NODE}:10255/proxy/healthz`]), 'ok')
    assert.equal(await k.ok(['get', '--raw', `/api/v1/nodes/http:${NODE}:10255/proxy/healthz`]), 'ok')
    assert.equal(await k.fails(['get', '--raw', `/api/v1/nodes/http:${NODE}:10255/proxy/configz`]), 'Error from server (NotFound): the server could not find the requested resource\n')
    assert.equal(await k.fails(['get', '--raw', `/api/v1/nodes/https:${NODE}:10255/proxy/healthz`]), 'Error from server (ServiceUnavailable): error trying to reach service: tls: first record does not look like a TLS handshake\n')
    // The kubelet's own port is https whatever scheme the request names.
    assert.equal(await k.ok(['get', '--raw', `/api/v1/nodes/http:${NODE}:10250/proxy/healthz`]), 'ok')
    await cluster.stopNode('k3sim-k3s-default-agent-0')
    assert.equal(await k.fails(['get', '--raw', '/api/v1/nodes/k3sim-k3s-default-agent-0/proxy/healthz']), 'Error from server (ServiceUnavailable): error trying to reach service: dial tcp 172.18.0.3:10250: connect: connection refused\n')
  })
})
