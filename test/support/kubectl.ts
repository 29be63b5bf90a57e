// Drive the real kubectl against an in-process control plane: a fresh HOME per server (kubectl
// caches discovery per host:port under ~/.kube/cache) and a kubeconfig written to it.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.ts'
import { Cluster, type ClusterOptions } from '../../src/cluster/cluster.ts'

export interface KubectlResult { code: number, stdout: string, stderr: string }

export interface TestServer {
  cp: ControlPlane
  home: string
  kubeconfig: string
  kubectl(args: string[], options?: { input?: string }): Promise<KubectlResult>
  /** kubectl that must succeed: its stdout (the assertion names the command and its stderr). */
  ok(args: string[], input?: string): Promise<string>
  /** kubectl that must fail: its stderr. */
  fails(args: string[], input?: string): Promise<string>
  stop(): Promise<void>
}

export async function startTestServer (options: { seed?: number } = {}): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'k3sim-kubectl-'))
  const cp = await startControlPlane({ apiPort: 0, etcdPort: false, seed: options.seed })
  const kubeconfig = join(home, 'kubeconfig.yaml')
  writeFileSync(kubeconfig, cp.kubeconfig())
  const kubectl = (args: string[], o: { input?: string } = {}): Promise<KubectlResult> => runKubectl(args, { home, kubeconfig, input: o.input })
  return {
    cp,
    home,
    kubeconfig,
    kubectl,
    async ok (args, input) {
      const r = await kubectl(args, { input })
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
      return r.stdout
    },
    async fails (args, input) {
      const r = await kubectl(args, { input })
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should fail: ${r.stdout}`)
      return r.stderr
    },
    async stop () {
      await cp.stop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

export function runKubectl (args: string[], o: { home: string, kubeconfig: string, input?: string }): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', args, { env: { PATH: process.env.PATH, HOME: o.home, KUBECONFIG: o.kubeconfig }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof (err as NodeJS.ErrnoException).code === 'string') { reject(err); return }
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr })
    })
    if (o.input !== undefined) child.stdin!.end(o.input)
    else child.stdin!.end()
  })
}

/** A library Cluster with HTTPS and kubectl wired to it (fresh HOME), for kubectl end-to-end tests. */
export interface KubectlCluster {
  cluster: Cluster
  /** kubectl's HOME and KUBECONFIG, for a kubectl run another way. */
  home: string
  kubeconfig: string
  run(args: string[], input?: string): Promise<KubectlResult>
  /** stdout of a command that must succeed. */
  ok(args: string[], input?: string): Promise<string>
  /** stderr of a command that must fail. */
  fails(args: string[], input?: string): Promise<string>
  stop(): Promise<void>
}

export async function startKubectlCluster (options: ClusterOptions): Promise<KubectlCluster> {
  const cluster = await Cluster.start({ ...options, apiServer: { port: 0 } })
  const home = mkdtempSync(join(tmpdir(), 'k3sim-kubectl-'))
  const kubeconfig = join(home, 'kubeconfig.yaml')
  writeFileSync(kubeconfig, cluster.kubeconfig())
  const run = (args: string[], input?: string): Promise<KubectlResult> => runKubectl(args, { home, kubeconfig, input })
  return {
    cluster,
    home,
    kubeconfig,
    run,
    async ok (args, input) {
      const r = await run(args, input)
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
      return r.stdout
    },
    async fails (args, input) {
      const r = await run(args, input)
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} succeeded: ${r.stdout}`)
      return r.stderr
    },
    async stop () {
      await cluster.stop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}
