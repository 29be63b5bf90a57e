// Over gRPC with the etcd3 npm client: `k3sim kine` (SQLite file backend, default durability)
// side by side with a real etcd (Debian's etcd-server, fsyncing each write as etcd always does).
// Both servers run as their own process on loopback; same client process, same workload.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Etcd3 } from 'etcd3'
import { fmt, runCases, type Case, type Result } from './harness.ts'

const value = 'x'.repeat(256)

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)) })
  })
}

async function startRealEtcd (dir: string): Promise<{ endpoint: string, proc: ChildProcess }> {
  const [client, peer] = [await freePort(), await freePort()]
  const proc = spawn('etcd', ['--name', 'bench', '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `bench=http://127.0.0.1:${peer}`], { stdio: ['ignore', 'ignore', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    proc.on('error', err => reject(new Error(`cannot start etcd (${err.message}); run \`npm run setup\` to install etcd-server`)))
    proc.on('exit', code => reject(new Error(`etcd exited with code ${code}`)))
    let log = ''
    proc.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('ready to serve client requests')) resolve()
    })
  })
  return { endpoint: `127.0.0.1:${client}`, proc }
}

async function startKine (dir: string): Promise<{ endpoint: string, proc: ChildProcess }> {
  const main = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')
  const proc = spawn(process.execPath, [main, 'kine', '--data-dir', join(dir, 'k3sim'), '--listen-address', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const endpoint = await new Promise<string>((resolve, reject) => {
    proc.on('exit', code => reject(new Error(`k3sim kine exited with code ${code}`)))
    let out = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (\S+)/.exec(out)
      if (m !== null) resolve(m[1])
    })
  })
  return { endpoint, proc }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

interface Load { cases: Case[], report: () => string[], close: () => void }

/**
 * 1 client from this process, and 32 clients spread over 2 worker processes (one Node process
 * cannot drive 32 etcd3 clients fast enough). Besides calls/s, the server's own CPU time per
 * call is measured: on a 2-core machine shared by clients and server that is the fairer figure.
 */
async function workload (label: string, endpoint: string, serverPid: number): Promise<Load> {
  const one = new Etcd3({ hosts: endpoint })
  const workers = Array.from({ length: 2 }, () => fork(join(import.meta.dirname, 'etcd-worker.ts'), [endpoint, '16']))
  await Promise.all(workers.map(w => new Promise(resolve => w.once('message', resolve))))
  const round = (op: 'put' | 'get'): Promise<unknown> =>
    Promise.all(workers.map(w => new Promise(resolve => { w.once('message', resolve); w.send({ op, perClient: 10 }) })))
  let n = 0
  const cpu: string[] = []
  const measured = (name: string, perOp: number, unit: string, fn: () => Promise<unknown>): Case => {
    let calls = 0
    let cpu0 = 0
    return {
      name: `${label}: ${name}`,
      unit,
      perOp,
      setup: async () => { calls = 0; cpu0 = cpuSeconds(serverPid) },
      fn: () => { calls += perOp; return fn() },
      teardown: async () => { cpu.push(`${label}: ${name}: ${((cpuSeconds(serverPid) - cpu0) / calls * 1e6).toFixed(0)} µs server CPU per call`) },
    }
  }
  const cases: Case[] = [
    measured('put, 1 client', 1, 'writes', () => one.put(`/bench/k${n++ % 10_000}`).value(value).exec()),
    measured('put, 32 clients', 320, 'writes', () => round('put')),
    measured('get, 1 client', 1, 'reads', () => one.get(`/bench/k${n++ % 1000}`).string()),
    measured('get, 32 clients', 320, 'reads', () => round('get')),
  ]
  return {
    cases,
    report: () => cpu,
    close: () => { one.close(); workers.forEach(w => w.send({ op: 'stop' })) },
  }
}

export async function etcdBench (): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k3sim-etcd-bench-'))
  const kine = await startKine(dir)
  const real = await startRealEtcd(dir)
  try {
    const ours = await workload('k3sim', kine.endpoint, kine.proc.pid!)
    const a = await runCases('etcd API: k3sim kine (SQLite, WAL, synchronous=NORMAL)', ours.cases)
    ours.close()
    const theirs = await workload('etcd 3.4', real.endpoint, real.proc.pid!)
    const b = await runCases('etcd API: real etcd (fsync per write)', theirs.cases)
    theirs.close()
    console.log('\n## server CPU per call')
    for (const line of [...ours.report(), ...theirs.report()]) console.log(line)
    console.log('\n## ratio k3sim / etcd')
    a.forEach((r, i) => console.log(`${r.name.replace('k3sim: ', '').padEnd(30)} ${(r.perSecond / b[i].perSecond).toFixed(2)}x  (${fmt(r.perSecond)} vs ${fmt(b[i].perSecond)} ${r.unit}/s)`))
    return [...a, ...b]
  } finally {
    real.proc.kill('SIGTERM')
    kine.proc.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}
