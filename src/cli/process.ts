// A cluster's process: `k3sim server` on the cluster's state dir, started detached (its own
// session, output to server.log, pid in server.pid) so it outlives the CLI, and stopped with
// SIGTERM (SIGKILL if it does not exit). The child reports readiness over an IPC channel that it
// drops once ready; an exit before that is a failed start whose log tail is shown.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { clusterDir, clusterFile, type ClusterRecord } from './home.ts'
import { processAlive } from './lock.ts'
import { CliError } from './output.ts'

/**
 * V8 settings for the long-lived cluster process: a 1 MB young generation keeps an idle
 * cluster's RSS low (it mostly waits for timers and requests): 109 MiB instead of 135.
 * (--optimize-for-size saved ~3 MiB more but cost ~150 ms of every start.)
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=1']

export function serverArgs (record: ClusterRecord): string[] {
  const args = [
    'server', '--data-dir', clusterDir(record.name), '--cluster-name', record.name,
    '--bind-address', record.apiHost, '--api-port', String(record.apiPort), '--etcd-port', String(record.etcdPort),
    '--servers', String(record.servers), '--agents', String(record.agents),
  ]
  if (record.nodeCpu !== undefined) args.push('--node-cpu', record.nodeCpu)
  if (record.nodeMemory !== undefined) args.push('--node-memory', record.nodeMemory)
  if (record.disable.length > 0) args.push('--disable', record.disable.join(','))
  if (record.manifests !== undefined) args.push('--manifests', record.manifests)
  if (record.runtime === 'docker') {
    args.push('--runtime', 'docker')
    // k3d's -p HOST:PORT@loadbalancer: 127.0.0.1:HOST forwards to the LoadBalancer port PORT.
    for (const p of record.ports) {
      if (p.protocol === 'tcp' && p.hostPort !== undefined && p.nodeFilters.some(f => f.startsWith('loadbalancer'))) args.push('--lb-port', `${p.hostPort}:${p.containerPort}`)
    }
  }
  return args
}

/** The pid of the cluster's running server, if any (a pid reused by another program is not ours). */
export function runningPid (name: string): number | undefined {
  const file = clusterFile(name, 'server.pid')
  if (!existsSync(file)) return undefined
  const pid = Number(readFileSync(file, 'utf8'))
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    const i = cmdline.indexOf('--data-dir')
    if (i < 0 || cmdline[i + 1] !== clusterDir(name)) return undefined
  } catch {} // no /proc (macOS): trust the live pid
  return pid
}

function logTail (name: string): string {
  try { return readFileSync(clusterFile(name, 'server.log'), 'utf8').trim().split('\n').slice(-15).join('\n') } catch { return '' }
}

/** Start the cluster's server and resolve once it serves (nodes registered Ready). */
export async function startServer (record: ClusterRecord, options: { timeoutMs?: number }): Promise<{ pid: number }> {
  const log = openSync(clusterFile(record.name, 'server.log'), 'a', 0o600)
  const script = process.argv[1]
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script, ...serverArgs(record)], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
    env: process.env,
  })
  closeSync(log)
  writeFileSync(clusterFile(record.name, 'server.pid'), String(child.pid), { mode: 0o600 })
  let timer: NodeJS.Timeout | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('error', reject)
      child.once('exit', (code, signal) => reject(new CliError(`the cluster process of "${record.name}" exited (${signal ?? `code ${code}`}) while starting; its log ${clusterFile(record.name, 'server.log')} ends with:\n${logTail(record.name)}`)))
      if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
        timer = setTimeout(() => reject(new CliError(`cluster "${record.name}" was not ready within the --timeout; see ${clusterFile(record.name, 'server.log')}`)), options.timeoutMs)
      }
    })
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await new Promise(resolve => child.once('exit', resolve)) }
    rmSync(clusterFile(record.name, 'server.pid'), { force: true })
    throw err
  } finally {
    clearTimeout(timer)
  }
  child.removeAllListeners()
  if (child.connected) child.disconnect()
  child.unref()
  return { pid: child.pid! }
}

/** SIGTERM, then wait (SIGKILL after `graceMs`); the pid file goes. Resolves false if it was not running. */
export async function stopServer (name: string, options: { graceMs?: number } = {}): Promise<boolean> {
  const pid = runningPid(name)
  rmSync(clusterFile(name, 'server.pid'), { force: true })
  if (pid === undefined) return false
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + (options.graceMs ?? 30_000)
  while (processAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL')
    await sleep(10)
  }
  return true
}
