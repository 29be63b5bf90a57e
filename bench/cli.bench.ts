// The k3d-style CLI as a user times it: `k3sim cluster create --wait` until `kubectl get nodes`
// shows every node Ready (k3d/kind take 12–17 s), a `cluster stop` + `cluster start` round trip
// to Ready again, and the resident memory of an idle default cluster process. Each runs the
// CLI from source (Node strips the types) and, when built (npm run build), as installed
// (bin/k3sim.js on the dist/bundle/ build). Few runs, reported as median and min: the machine is shared.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Result } from './harness.ts'

const repoRoot = fileURLToPath(new URL('../', import.meta.url))
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5)
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20)

function run (file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: repoRoot, env }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

async function nodesReady (env: NodeJS.ProcessEnv, count: number): Promise<void> {
  const out = await run('kubectl', ['get', 'nodes', '--no-headers'], env)
  const ready = out.trim().split('\n').filter(l => /\sReady\s/.test(l)).length
  if (ready !== count) throw new Error(`kubectl shows ${ready} of ${count} nodes Ready:\n${out}`)
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function suite (label: string, entry: string): Promise<Result[]> {
  const root = mkdtempSync(join(tmpdir(), 'k3sim-bench-cli-'))
  const env = { PATH: process.env.PATH, HOME: join(root, 'home'), K3SIM_HOME: join(root, 'k3sim'), KUBECONFIG: join(root, 'kubeconfig') }
  const k3sim = (...args: string[]): Promise<string> => run(process.execPath, [entry, ...args], env)
  try {
    const create: number[] = []
    const roundTrip: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      await k3sim('cluster', 'create', `b${i}`, '--agents', '2')
      await nodesReady(env, 3)
      create.push(performance.now() - t0)
      const t1 = performance.now()
      await k3sim('cluster', 'stop', `b${i}`)
      await k3sim('cluster', 'start', `b${i}`)
      await nodesReady(env, 3)
      roundTrip.push(performance.now() - t1)
      await k3sim('cluster', 'delete', `b${i}`)
    }
    await k3sim('cluster', 'create', 'idle')
    const pid = Number(readFileSync(join(env.K3SIM_HOME, 'clusters', 'idle', 'server.pid'), 'utf8'))
    await sleep(IDLE_SECONDS * 1000)
    // RSS counts the pages of the node binary it touched (~50 MiB, shared with every Node
    // process); Anonymous is the process's own memory (JS heap, malloc).
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)![1])
    const rssKiB = kib('Rss')
    const anonKiB = kib('Anonymous')
    await k3sim('cluster', 'delete', 'idle')
    console.log(`${label}: cluster create --agents 2 --wait to kubectl Ready: median ${median(create).toFixed(0)} ms, min ${Math.min(...create).toFixed(0)} ms (${RUNS} runs)`)
    console.log(`${label}: cluster stop + start to kubectl Ready: median ${median(roundTrip).toFixed(0)} ms, min ${Math.min(...roundTrip).toFixed(0)} ms`)
    console.log(`${label}: idle default cluster process after ${IDLE_SECONDS} s: RSS ${(rssKiB / 1024).toFixed(0)} MiB, of which its own (anonymous) ${(anonKiB / 1024).toFixed(0)} MiB`)
    return [
      { name: `${label}: cluster create --wait to Ready, median (ms)`, perSecond: median(create), rme: 0, samples: RUNS, unit: 'ms' },
      { name: `${label}: cluster create --wait to Ready, min (ms)`, perSecond: Math.min(...create), rme: 0, samples: RUNS, unit: 'ms' },
      { name: `${label}: cluster stop + start to Ready, median (ms)`, perSecond: median(roundTrip), rme: 0, samples: RUNS, unit: 'ms' },
      { name: `${label}: idle default cluster RSS (MiB)`, perSecond: rssKiB / 1024, rme: 0, samples: 1, unit: 'MiB' },
      { name: `${label}: idle default cluster anonymous memory (MiB)`, perSecond: anonKiB / 1024, rme: 0, samples: 1, unit: 'MiB' },
    ]
  } finally {
    await run(process.execPath, [entry, 'cluster', 'delete', '--all'], env).catch(() => undefined)
    rmSync(root, { recursive: true, force: true })
  }
}

export async function cliBench (): Promise<Result[]> {
  console.log('\n## CLI')
  const results = await suite('source', 'src/cli/main.ts')
  if (existsSync(join(repoRoot, 'dist', 'bundle', 'k3sim.js'))) results.push(...await suite('installed', 'bin/k3sim.js'))
  else console.log('(npm run build first to time the installed CLI, bin/k3sim.js on dist/bundle/, too)')
  return results
}
