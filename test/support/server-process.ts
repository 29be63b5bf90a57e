// Runs the real `k3sim server` command as a child process (the same Node that runs the tests) and
// reads its listening line:
//   k3sim server listening on https://127.0.0.1:PORT (etcd: 127.0.0.1:PORT, kubeconfig: DIR/kubeconfig.yaml)
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  url: string
  apiPort: number
  etcdEndpoint: string
  kubeconfigPath: string
  process: ChildProcess
  /** Everything printed so far (stdout and stderr). */
  output(): string
  /** Send a signal (SIGTERM by default) and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const LISTENING = /k3sim server listening on (https:\/\/127\.0\.0\.1:(\d+)) \(etcd: (127\.0\.0\.1:\d+), kubeconfig: (.*)\)\n/

/** Server processes still running: killed when the test process exits, whatever failed. */
const live = new Set<ChildProcess>()
process.once('exit', () => { for (const c of live) c.kill('SIGKILL') })

export function startServerProcess (options: { dataDir: string, extraArgs?: string[], env?: NodeJS.ProcessEnv }): Promise<ServerProcess> {
  const args = ['src/cli/main.ts', 'server', '--data-dir', options.dataDir, '--api-port', '0', '--etcd-port', '0', ...(options.extraArgs ?? [])]
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s })
  child.stderr.setEncoding('utf8').on('data', (s: string) => { out += s })
  live.add(child)
  const exited = new Promise<number | null>(resolve => child.once('exit', code => { live.delete(child); resolve(code) }))
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const m = LISTENING.exec(out)
      if (m === null) return
      child.stdout.off('data', onData)
      resolve({
        url: m[1],
        apiPort: Number(m[2]),
        etcdEndpoint: m[3],
        kubeconfigPath: m[4],
        process: child,
        output: () => out,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          return exited
        },
      })
    }
    child.stdout.on('data', onData)
    void exited.then(code => reject(new Error(`k3sim server exited with ${code} before listening:\n${out}`)))
  })
}
