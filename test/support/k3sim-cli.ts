// Runs the real `k3sim` CLI (src/cli/main.ts on the test's Node, or another entry point such as
// the installed bin/k3sim.js) in a private K3SIM_HOME, HOME
// and KUBECONFIG, and the real kubectl against the clusters it creates. `cleanup()` deletes every
// cluster and, as a safety net, SIGKILLs any cluster process still recorded, even after a failure.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface RunResult { code: number, stdout: string, stderr: string }

export interface CliEnv {
  home: string
  k3simHome: string
  kubeconfig: string
  k3sim(args: string[], options?: { env?: Record<string, string> }): Promise<RunResult>
  kubectl(args: string[], options?: { input?: string }): Promise<RunResult>
  /** pids recorded in server.pid files now. */
  serverPids(): number[]
  cleanup(): Promise<void>
}

function run (file: string, args: string[], env: Record<string, string | undefined>, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd: repoRoot, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err !== null && typeof (err as NodeJS.ErrnoException).code === 'string') { reject(err); return }
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr })
    })
    child.stdin!.end(input)
  })
}

export function alive (pid: number): boolean {
  try { process.kill(pid, 0) } catch { return false }
  try { return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z' } catch { return true }
}

export function cliEnv (options: { entry?: string } = {}): CliEnv {
  const entry = options.entry ?? 'src/cli/main.ts'
  const root = mkdtempSync(join(tmpdir(), 'k3sim-cli-'))
  const home = join(root, 'home')
  const k3simHome = join(root, 'k3sim-home')
  const kubeconfig = join(home, '.kube', 'config')
  const env = { PATH: process.env.PATH, HOME: home, K3SIM_HOME: k3simHome, KUBECONFIG: kubeconfig }
  const serverPids = (): number[] => {
    const dir = join(k3simHome, 'clusters')
    if (!existsSync(dir)) return []
    return readdirSync(dir).map(n => join(dir, n, 'server.pid')).filter(f => existsSync(f)).map(f => Number(readFileSync(f, 'utf8')))
  }
  return {
    home,
    k3simHome,
    kubeconfig,
    k3sim: (args, o = {}) => run(process.execPath, [entry, ...args], { ...env, ...o.env }),
    kubectl: (args, o = {}) => run('kubectl', args, env, o.input),
    serverPids,
    async cleanup () {
      const pids = serverPids()
      await run(process.execPath, [entry, 'cluster', 'delete', '--all'], env).catch(() => undefined)
      for (const pid of pids) {
        if (!alive(pid)) continue
        try { process.kill(pid, 'SIGKILL') } catch {}
        while (alive(pid)) await sleep(10)
      }
      rmSync(root, { recursive: true, force: true })
    },
  }
}

export { waitFor } from './wait.ts'
