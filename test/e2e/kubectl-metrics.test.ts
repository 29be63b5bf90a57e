// `kubectl get --raw /metrics` against the API server: Prometheus' text with the requests of
// every client (kubectl's own, the in-process controllers'), for cluster-admin and the
// system:monitoring group, refused to a user without the non-resource URL.
import assert from 'node:assert/strict'
import { request } from 'node:https'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

describe('kubectl get --raw /metrics (kube-apiserver\'s metrics)', function () {
  let k: KubectlCluster
  before(async () => { k = await startKubectlCluster({ clock: 'virtual', agents: 0, disable: ['coredns', 'servicelb', 'traefik', 'local-storage'], seed: 43 }) })
  after(async () => { await k.stop() })

  it('counts kubectl\'s requests and the controllers\' alike, and each stored resource', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'])
    await k.cluster.settle()
    await k.ok(['get', 'pods'])
    const text = await k.ok(['get', '--raw', '/metrics'])
    // kubectl's own list (a Table, but a LIST all the same), and the ReplicaSet controller's pod creates.
    assert.match(text, /^apiserver_request_total\{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"\} [1-9]\d*$/m)
    // Every pod there was created by a controller's POST (metrics-server's too); kubectl made the
    // one Deployment POSTed (the add-on deployer applies metrics-server's: an APPLY).
    const pods = (await k.ok(['get', 'pods', '-A', '--no-headers'])).trim().split('\n').length
    assert.match(text, new RegExp(`^apiserver_request_total\\{code="201",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"\\} ${pods}$`, 'm'))
    assert.match(text, /^apiserver_request_total\{code="201",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="",verb="POST",version="v1"\} 1$/m)
    assert.match(text, new RegExp(`^apiserver_storage_objects\\{resource="pods"\\} ${pods}$`, 'm'))
    assert.match(text, /^apiserver_storage_objects\{resource="replicasets.apps"\} 2$/m)
    assert.match(text, /^# TYPE apiserver_request_duration_seconds histogram$/m)
    assert.match(text, /^process_resident_memory_bytes \d/m)
  })

  it('counts neither what kube-aggregator forwards (kubectl top) nor what authorization refused', async () => {
    await k.run(['top', 'nodes'])
    // The HPA controller's way in: the in-process client.
    await k.cluster.client.list('metrics.k8s.io/v1beta1', 'NodeMetrics').catch(() => undefined)
    await k.fails(['get', 'secrets', '--as=nobody'])
    const text = await k.ok(['get', '--raw', '/metrics'])
    assert.doesNotMatch(text, /group="metrics\.k8s\.io"/)
    assert.doesNotMatch(text, /^apiserver_request_total\{code="403"/m)
  })

  it('is served as Prometheus\' text format 0.0.4', async () => {
    const config = parse(readFileSync(k.kubeconfig, 'utf8'))
    const cluster = config.clusters[0].cluster
    const user = config.users[0].user
    const url = new URL('/metrics', cluster.server)
    const contentType = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(url, {
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        cert: Buffer.from(user['client-certificate-data'], 'base64'),
        key: Buffer.from(user['client-key-data'], 'base64'),
      }, res => { res.resume(); resolve(res.headers['content-type']) })
      req.on('error', reject)
      req.end()
    })
    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8')
  })

  it('is a non-resource URL: the system:monitoring group may get it, another user may not', async () => {
    assert.match(await k.ok(['get', '--raw', '/metrics', '--as=prom', '--as-group=system:monitoring']), /^# HELP /)
    assert.match(await k.fails(['get', '--raw', '/metrics', '--as=nobody']), /forbidden: User "nobody" cannot get path "\/metrics"/)
  })
})
