// `k3sim server --agents 2` as k3s users see it: the server node control-plane,master and two
// agents Ready; a pod is scheduled, runs with an IP from its node's CIDR, and logs.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runKubectl } from '../support/kubectl.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'

describe('k3sim server --agents 2', function () {
  this.timeout(120_000)
  let dataDir: string
  let home: string
  let server: ServerProcess | undefined

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k3sim-agents-'))
    home = mkdtempSync(join(tmpdir(), 'k3sim-agents-home-'))
    server = await startServerProcess({ dataDir, extraArgs: ['--agents', '2', '--node-cpu', '2', '--node-memory', '4Gi'] })
  })
  after(async () => {
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  })

  const ok = async (...args: string[]): Promise<string> => {
    const r = await runKubectl(args, { home, kubeconfig: server!.kubeconfigPath })
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }

  it('shows three Ready nodes with k3s\'s roles', async () => {
    const out = await ok('get', 'nodes')
    assert.match(out, /^k3sim-k3s-default-server-0\s+Ready\s+control-plane,master\s+/m)
    assert.match(out, /^k3sim-k3s-default-agent-0\s+Ready\s+<none>\s+/m)
    assert.match(out, /^k3sim-k3s-default-agent-1\s+Ready\s+<none>\s+/m)
  })

  it('schedules and runs a pod, with its IP, node and logs', async () => {
    await ok('run', 'web', '--image=nginx:1.27', '--annotations=k3sim.io/profile-inline=logs: ["listening on :80"]')
    await ok('wait', '--for=condition=Ready', 'pod/web', '--timeout=30s')
    const wide = await ok('get', 'pod', 'web', '-o', 'wide')
    assert.match(wide, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.42\.\d\.\d+\s+k3sim-k3s-default-(server|agent)-\d\s+<none>\s+<none>$/m)
    assert.equal(await ok('logs', 'web'), 'listening on :80\n')
    const describe = await ok('describe', 'pod', 'web')
    assert.match(describe, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/web to k3sim-k3s-default-/)
  })
})
