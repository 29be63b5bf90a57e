// kubectl's workload flows against a cluster with controllers and kubelets: a Deployment rolls
// out, scales, updates its image and rolls back; its Service gets Endpoints; a Job completes.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cluster } from '../../src/index.ts'
import { runKubectl } from '../support/kubectl.ts'

describe('kubectl against k3sim: workloads', function () {
  let cluster: Cluster
  let home: string
  let kubeconfig: string
  before(async () => {
    cluster = await Cluster.start({ agents: 1, apiServer: { port: 0 }, node: { cpu: '4', memory: '8Gi' }, seed: 21 })
    home = mkdtempSync(join(tmpdir(), 'k3sim-workloads-'))
    kubeconfig = join(home, 'kubeconfig.yaml')
    writeFileSync(kubeconfig, cluster.kubeconfig())
  })
  after(async () => { await cluster.stop(); rmSync(home, { recursive: true, force: true }) })

  const ok = async (...args: string[]): Promise<string> => {
    const r = await runKubectl(args, { home, kubeconfig })
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }

  it('rolls a Deployment out, scales it, updates it and rolls it back', async () => {
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80')
    assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=30s'), /deployment "web" successfully rolled out\n$/)
    assert.match(await ok('get', 'deploy', 'web'), /^web\s+2\/2\s+2\s+2\s+/m)
    await ok('scale', 'deployment', 'web', '--replicas=3')
    await ok('rollout', 'status', 'deployment/web', '--timeout=30s')
    assert.equal((await ok('get', 'pods', '-l', 'app=web', '-o', 'name')).trim().split('\n').length, 3)
    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.28')
    await ok('rollout', 'status', 'deployment/web', '--timeout=30s')
    assert.equal(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.28')
    assert.match(await ok('rollout', 'history', 'deployment/web'), /^REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/m)
    assert.match(await ok('rollout', 'undo', 'deployment/web'), /deployment\.apps\/web rolled back/)
    await ok('rollout', 'status', 'deployment/web', '--timeout=30s')
    assert.equal(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.27')
    const events = await ok('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}')
    assert.match(events, /Scaled up replica set web-[a-z0-9]+ from 0 to 2/)
  })

  it('gives the Service Endpoints of the ready pods', async () => {
    await ok('expose', 'deployment', 'web', '--port=80')
    await cluster.settle()
    const eps = await ok('get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].ip}')
    assert.equal(eps.split(' ').length, 3)
    for (const ip of eps.split(' ')) assert.match(ip, /^10\.42\.\d+\.\d+$/)
  })

  it('defaults an empty updateStrategy, so rollout status follows a DaemonSet and a StatefulSet', async () => {
    const manifest = ['DaemonSet', 'StatefulSet'].map(kind => `
apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${kind.toLowerCase()}-x }
spec:
  selector: { matchLabels: { app: ${kind.toLowerCase()}-x } }
  updateStrategy: {}
  template:
    metadata: { labels: { app: ${kind.toLowerCase()}-x } }
    spec: { containers: [{ name: c, image: busybox }] }
`).join('---')
    const created = await runKubectl(['create', '-f', '-'], { home, kubeconfig, input: manifest })
    assert.equal(created.code, 0, created.stderr)
    assert.equal(await ok('get', 'ds', 'daemonset-x', '-o', 'jsonpath={.spec.updateStrategy}'), '{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}')
    assert.equal(await ok('get', 'sts', 'statefulset-x', '-o', 'jsonpath={.spec.updateStrategy}'), '{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}')
    assert.match(await ok('rollout', 'status', 'ds/daemonset-x', '--timeout=30s'), /daemon set "daemonset-x" successfully rolled out\n$/)
    // With a rollingUpdate (the defaulted partition 0), kubectl reports a partitioned roll out.
    assert.equal(await ok('rollout', 'status', 'sts/statefulset-x', '--timeout=30s'), 'partitioned roll out complete: 1 new pods have been updated...\n')
    // kubectl create deployment sends `strategy: {}` (a protobuf Deployment).
    assert.equal(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.strategy}'), '{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"}')
  })

  it('runs a Job to completion', async () => {
    await ok('create', 'job', 'once', '--image=busybox', '--', 'echo', 'done')
    assert.equal(await ok('wait', '--for=condition=Complete', 'job/once', '--timeout=30s'), 'job.batch/once condition met\n')
    assert.match(await ok('get', 'job', 'once'), /^once\s+Complete\s+1\/1\s+/m)
  })
})
