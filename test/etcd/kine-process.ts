// Drives a real `k3sim kine` process and the real etcdctl, for test/e2e/etcdctl.test.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface KineProcess {
  port: number
  endpoint: string
  process: ChildProcess
  output(): string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** Fails with what to do when etcdctl is not installed: the e2e tests must not skip silently. */
export function requireEtcdctl (): void {
  const r = spawnSync('etcdctl', ['version'], { encoding: 'utf8' })
  if (r.error !== undefined || r.status !== 0) {
    throw new Error('etcdctl is not installed: run `npm run setup` (scripts/install-system-deps.sh installs etcd-client)')
  }
}

/** Start `k3sim kine` on a free loopback port; resolves once it prints its listening line. */
export function startKine (options: { dataDir: string }): Promise<KineProcess> {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'kine', '--data-dir', options.dataDir, '--listen-address', '127.0.0.1:0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s })
  child.stderr.setEncoding('utf8').on('data', (s: string) => { out += s })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const m = /k3sim kine listening on 127\.0\.0\.1:(\d+) \(data: (.*)\)\n/.exec(out)
      if (m === null) return
      child.stdout.off('data', onData)
      const port = Number(m[1])
      resolve({
        port,
        endpoint: `127.0.0.1:${port}`,
        process: child,
        output: () => out,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    }
    child.stdout.on('data', onData)
    void exited.then(code => reject(new Error(`k3sim kine exited with ${code} before listening:\n${out}`)))
  })
}

export interface EtcdctlResult { stdout: string, stderr: string, code: number | null }

export function etcdctl (endpoint: string, args: string[], options: { input?: string } = {}): Promise<EtcdctlResult> {
  const child = spawn('etcdctl', ['--endpoints', endpoint, ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s })
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s })
  // etcdctl may exit before reading its stdin (e.g. `lease keep-alive --once`): that EPIPE is not a failure.
  child.stdin.on('error', () => {})
  child.stdin.end(options.input ?? '')
  return new Promise(resolve => child.once('close', code => resolve({ stdout, stderr, code })))
}

/** The last "Error: ..." line etcdctl printed (the lines before it are clientv3's JSON logs). */
export function errorLine (r: EtcdctlResult): string | undefined {
  return r.stderr.split('\n').filter(l => l.startsWith('Error:')).pop()
}

/** A long-running `etcdctl watch ...`; `until` resolves once its output contains `text`. */
export function etcdctlWatch (endpoint: string, args: string[]): { until(text: string): Promise<string>, stop(): void, result: Promise<EtcdctlResult> } {
  const child = spawn('etcdctl', ['--endpoints', endpoint, 'watch', ...args], { env: { ...process.env, ETCDCTL_API: '3' } })
  let stdout = ''
  let stderr = ''
  const waiters: Array<() => void> = []
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; for (const w of waiters.splice(0)) w() })
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s })
  const result = new Promise<EtcdctlResult>(resolve => child.once('close', code => resolve({ stdout, stderr, code })))
  return {
    until: async (text) => {
      while (!stdout.includes(text)) {
        if (child.exitCode !== null) throw new Error(`etcdctl watch exited (${child.exitCode}) before printing ${JSON.stringify(text)}:\n${stdout}${stderr}`)
        await new Promise<void>(resolve => { waiters.push(resolve); void result.then(() => resolve()) })
      }
      return stdout
    },
    stop: () => { if (child.exitCode === null) child.kill('SIGTERM') },
    result,
  }
}
