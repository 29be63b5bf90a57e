// kubectl against a cluster with kubelets: nodes as k3s shows them, a pod pinned to a node
// running with its IP from the node's CIDR, its logs, and describe node.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { Cluster } from '../../src/index.ts'
import { runKubectl } from '../support/kubectl.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

describe('kubectl against a k3sim cluster with nodes', function () {
  let cluster: Cluster
  let home: string
  let kubeconfig: string
  before(async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 2, apiServer: { port: 0 }, node: { cpu: '2', memory: '4Gi' }, seed: 7 })
    home = mkdtempSync(join(tmpdir(), 'k3sim-nodes-'))
    kubeconfig = join(home, 'kubeconfig.yaml')
    writeFileSync(kubeconfig, cluster.kubeconfig())
  })
  after(async () => { await cluster.stop(); rmSync(home, { recursive: true, force: true }) })

  const ok = async (...args: string[]): Promise<string> => {
    const r = await runKubectl(args, { home, kubeconfig })
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }

  it('lists the nodes Ready, with k3s\'s roles and version', async () => {
    const out = await ok('get', 'nodes')
    assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m)
    assert.match(out, /^k3sim-k3s-default-agent-0\s+Ready\s+<none>\s+\d+s\s+v1\.32\.3\+k3s1$/m)
    assert.match(out, /^k3sim-k3s-default-server-0\s+Ready\s+control-plane,master\s+\d+s\s+v1\.32\.3\+k3s1$/m)
    const wide = await ok('get', 'node', 'k3sim-k3s-default-agent-1', '-o', 'wide')
    assert.match(wide, /172\.18\.0\.4\s+<none>\s+K3s v1\.32\.3\+k3s1\s+\S+\s+containerd:\/\/1\.7\.23-k3s2/)
  })

  it('runs a pod pinned to a node, with an IP from that node\'s CIDR', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', annotations: { 'k3sim.io/profile-inline': 'logs: ["hello from web", "ready to serve"]' } }, spec: { nodeName: 'k3sim-k3s-default-agent-1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } as any)
    await cluster.settle()
    const out = await ok('get', 'pods', '-o', 'wide')
    assert.match(out, /^web\s+1\/1\s+Running\s+0\s+\d+s\s+10\.42\.2\.2\s+k3sim-k3s-default-agent-1\s+<none>\s+<none>$/m)
    assert.equal(await ok('logs', 'web'), 'hello from web\nready to serve\n')
    assert.equal(await ok('logs', 'web', '--tail=1'), 'ready to serve\n')
  })

  it('follows logs as they are written, and shows timestamps', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ticker', namespace: 'default', annotations: { 'k3sim.io/profile-inline': 'logEvery: { interval: 50ms, line: "tick {n}" }' } }, spec: { nodeName: 'k3sim-k3s-default-agent-0', containers: [{ name: 'c', image: 'busybox' }] } } as any)
    await cluster.settle()
    const child = spawn('kubectl', ['logs', '-f', 'ticker'], { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig } })
    let out = ''
    await new Promise<void>(resolve => child.stdout.on('data', (c: Buffer) => { out += c.toString(); if ((out.match(/tick/g) ?? []).length >= 3) resolve() }))
    child.kill()
    assert.match(out, /^tick \d+\ntick \d+\ntick \d+\n/)
    const stamped = await ok('logs', 'ticker', '--timestamps', '--tail=1')
    assert.match(stamped, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z tick \d+\n$/)
  })

  it('describes a node: capacity, allocatable, conditions, lease and events', async () => {
    const out = await ok('describe', 'node', 'k3sim-k3s-default-agent-1')
    assert.match(out, /^Roles:\s+<none>$/m)
    assert.match(out, /^Capacity:\n\s+cpu:\s+2\n/m)
    assert.match(out, /^\s+memory:\s+4Gi$/m)
    assert.match(out, /^\s+Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status$/m)
    assert.match(out, /^\s+HolderIdentity:\s+k3sim-k3s-default-agent-1$/m)
    assert.match(out, /^PodCIDR:\s+10\.42\.2\.0\/24$/m)
    assert.match(out, /Normal\s+NodeReady\s+\d+s\s+kubelet\s+Node k3sim-k3s-default-agent-1 status is now: NodeReady/)
    assert.match(out, /default\s+web\s+0 \(0%\)/)
  })
})
