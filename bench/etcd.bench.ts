// Over gRPC with the etcd3 npm client: `k3sim kine` (SQLite file backend, default durability)
// side by side with a real etcd (Debian's etcd-server, fsyncing each write as etcd always does).
// Both servers run as their own process on loopback; same client process, same workload.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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

function workload (label: string, endpoint: string): { cases: Case[], close: () => void } {
  const clients = Array.from({ length: 32 }, () => new Etcd3({ hosts: endpoint }))
  let n = 0
  const cases: Case[] = [
    { name: `${label}: put, 1 client`, unit: 'writes', fn: () => clients[0].put(`/bench/k${n++ % 10_000}`).value(value).exec() },
    {
      name: `${label}: put, 32 clients x 10`,
      unit: 'writes',
      perOp: 320,
      fn: () => Promise.all(clients.map(async c => { for (let i = 0; i < 10; i++) await c.put(`/bench/k${n++ % 10_000}`).value(value).exec() })),
    },
    { name: `${label}: get, 1 client`, unit: 'reads', fn: () => clients[0].get(`/bench/k${n++ % 1000}`).string() },
    {
      name: `${label}: get, 32 clients x 10`,
      unit: 'reads',
      perOp: 320,
      fn: () => Promise.all(clients.map(async c => { for (let i = 0; i < 10; i++) await c.get(`/bench/k${n++ % 1000}`).string() })),
    },
  ]
  return { cases, close: () => clients.forEach(c => c.close()) }
}

export async function etcdBench (): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k3sim-etcd-bench-'))
  const kine = await startKine(dir)
  const real = await startRealEtcd(dir)
  try {
    const ours = workload('k3sim', kine.endpoint)
    const theirs = workload('etcd 3.4', real.endpoint)
    const a = await runCases('etcd API: k3sim kine (SQLite, WAL, synchronous=NORMAL)', ours.cases)
    const b = await runCases('etcd API: real etcd (fsync per write)', theirs.cases)
    ours.close()
    theirs.close()
    console.log('\n## ratio k3sim / etcd')
    a.forEach((r, i) => console.log(`${r.name.replace('k3sim: ', '').padEnd(30)} ${(r.perSecond / b[i].perSecond).toFixed(1)}x  (${fmt(r.perSecond)} vs ${fmt(b[i].perSecond)} ${r.unit}/s)`))
    return [...a, ...b]
  } finally {
    real.proc.kill('SIGTERM')
    kine.proc.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}
