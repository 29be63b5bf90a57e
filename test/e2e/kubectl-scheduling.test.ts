// The seed scenario with the real kubectl: one node with 2 CPUs, three pods asking 1 CPU each:
// two run, one stays Pending with kube-scheduler's exact message; a second node joins and the
// pending pod is scheduled with no other action.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cluster } from '../../src/index.ts'
import { runKubectl } from '../support/kubectl.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

describe('kubectl against k3sim: scheduling', function () {
  let cluster: Cluster
  let home: string
  let kubeconfig: string
  before(async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], apiServer: { port: 0 }, node: { cpu: '2', memory: '4Gi' }, seed: 11 })
    home = mkdtempSync(join(tmpdir(), 'k3sim-sched-'))
    kubeconfig = join(home, 'kubeconfig.yaml')
    writeFileSync(kubeconfig, cluster.kubeconfig())
  })
  after(async () => { await cluster.stop(); rmSync(home, { recursive: true, force: true }) })

  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await runKubectl(args, { home, kubeconfig, input })
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  const pod = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '1' } } }] } })

  it('runs two pods of 1 CPU on a 2-CPU node and leaves the third Pending, saying why', async () => {
    for (const name of ['one', 'two', 'three']) await ok(['create', '-f', '-'], pod(name))
    await cluster.settle()
    const out = await ok(['get', 'pods', '--sort-by=.metadata.name'])
    assert.match(out, /^one\s+1\/1\s+Running\s+0/m)
    assert.match(out, /^three\s+0\/1\s+Pending\s+0/m)
    assert.match(out, /^two\s+1\/1\s+Running\s+0/m)
    const describe = await ok(['describe', 'pod', 'three'])
    assert.match(describe, /Warning\s+FailedScheduling\s+\d+s( \(x\d+ over \d+s\))?\s+default-scheduler\s+0\/1 nodes are available: 1 Insufficient cpu\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/m)
    assert.match(describe, /^\s+PodScheduled\s+False\s*$/m)
    const scheduled = await ok(['get', 'events', '--field-selector', 'reason=Scheduled', '-o', 'jsonpath={.items[*].message}'])
    assert.match(scheduled, /Successfully assigned default\/one to k3sim-k3s-default-server-0/)
  })

  it('schedules the pending pod when a second node joins', async () => {
    await cluster.addNode({ name: 'k3sim-k3s-default-agent-0', cpu: '2' })
    await ok(['wait', '--for=condition=Ready', 'pod/three', '--timeout=20s'])
    assert.equal(await ok(['get', 'pod', 'three', '-o', 'jsonpath={.spec.nodeName}']), 'k3sim-k3s-default-agent-0')
  })
})
