// Workloads through the whole cluster (scheduler, ReplicaSet controller, kubelets), as issue 6
// measures them: a Deployment of R replicas on N nodes from creation to every pod Running (virtual
// clock, so heartbeats do not compete; the store in a file), the RSS of a cluster holding N nodes and R pods (right
// after, and at rest: once the burst's heap has gone back, at most BENCH_REST_SECONDS later), and the
// idle CPU of a default cluster (add-ons on, real clock). Sizes: BENCH_WORKLOADS="100x1000,5000x10000".
// Each Deployment runs in a process of its own (this file, `--deployment N R`): RSS is the
// process's, and what an earlier suite or size left in it (malloc's high-water, compiled code)
// is not this cluster's.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Cluster } from '../src/index.ts'
import { ADDON_NAMES } from '../src/addons/manifests/index.ts'
import { idleMemoryReleases } from '../src/util/idle-memory.ts'
import type { Result } from './harness.ts'

async function deploymentToRunning (nodes: number, replicas: number): Promise<{ ms: number, startMs: number, rssMb: number, restRssMb: number, restHeapMb: number, restSeconds: number }> {
  const t0 = performance.now()
  // The store in a file, as k3s keeps it: an in-memory database would count its rows in the RSS.
  const dir = mkdtempSync(join(tmpdir(), 'k3sim-bench-'))
  const cluster = await Cluster.start({ agents: 0, clock: 'virtual', store: join(dir, 'state.db'), disable: [...ADDON_NAMES], node: { cpu: '32', memory: '128Gi', pods: 110 } })
  for (let i = 1; i < nodes; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, nodes - i) }, (_, j) => cluster.addNode({ name: `node-${i + j}`, cpu: '32', memory: '128Gi' })))
  }
  await cluster.settle()
  const startMs = performance.now() - t0
  const t1 = performance.now()
  await cluster.client.create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'load', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'load' } },
      template: { metadata: { labels: { app: 'load' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } },
    },
  } as any)
  await cluster.settle()
  const ms = performance.now() - t1
  const running = (await cluster.client.list('v1', 'Pod', { namespace: 'default', fieldSelector: 'status.phase=Running' })).items.length
  if (running !== replicas) throw new Error(`only ${running} of ${replicas} pods Running`)
  globalThis.gc?.()
  const rssMb = process.memoryUsage().rss / 2 ** 20
  // At rest: the idle check (util/idle-memory.ts, every 10 s) hands the burst's heap back; wait
  // for its collection (at most REST_SECONDS), then a few seconds for the OS to see the pages go.
  const restSeconds = await untilReleased(REST_SECONDS)
  const restRssMb = process.memoryUsage().rss / 2 ** 20
  const restHeapMb = process.memoryUsage().heapUsed / 2 ** 20
  await cluster.stop()
  rmSync(dir, { recursive: true, force: true })
  return { ms, startMs, rssMb, restRssMb, restHeapMb, restSeconds }
}

const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 60)

/** Wait for the idle memory release's next collection (at most `seconds`), then 5 s; the seconds waited. */
async function untilReleased (seconds: number): Promise<number> {
  const released = idleMemoryReleases()
  const waited = performance.now()
  while (idleMemoryReleases() === released && performance.now() - waited < seconds * 1000) await new Promise(resolve => setTimeout(resolve, 500))
  // V8 unmaps the pages it gives back on a background thread: a few seconds for the OS to see them go.
  await new Promise(resolve => setTimeout(resolve, 5000))
  return (performance.now() - waited) / 1000
}

async function idleDefaultCluster (seconds: number): Promise<number> {
  const cluster = await Cluster.start({ agents: 2 })
  // What earlier suites left in the heap is handed back first, not inside the window.
  await untilReleased(25)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise(resolve => setTimeout(resolve, seconds * 1000))
  const cpu = process.cpuUsage(cpu0)
  await cluster.stop()
  return ((cpu.user + cpu.system) / 1000) / (performance.now() - t0) * 100
}

type Deployed = Awaited<ReturnType<typeof deploymentToRunning>>

/** One Deployment run in a fresh process (same node and flags as this one). */
async function inChild (nodes: number, replicas: number): Promise<Deployed> {
  const run = promisify(execFile)
  const { stdout } = await run(process.execPath, [...process.execArgv, import.meta.filename, '--deployment', String(nodes), String(replicas)], { maxBuffer: 2 ** 24 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Deployed
}

if (process.argv[1] === import.meta.filename && process.argv[2] === '--deployment') {
  console.log(JSON.stringify(await deploymentToRunning(Number(process.argv[3]), Number(process.argv[4]))))
  process.exit(0)
}

export async function workloadsBench (): Promise<Result[]> {
  const results: Result[] = []
  console.log('\n## Workloads (Deployment -> every pod Running; RSS with the pods in place)')
  // Idle CPU first: it should not follow this suite's big runs in the heap.
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20)
  const idle = await idleDefaultCluster(seconds)
  for (const size of (process.env.BENCH_WORKLOADS ?? '100x1000,1000x10000,5000x10000').split(',')) {
    const [nodes, replicas] = size.split('x').map(Number)
    const r = await inChild(nodes, replicas)
    console.log(`${nodes} nodes (registered in ${(r.startMs / 1000).toFixed(1)} s), Deployment of ${replicas}: all Running in ${(r.ms / 1000).toFixed(2)} s (${(replicas / (r.ms / 1000)).toFixed(0)} pods/s); RSS ${r.rssMb.toFixed(0)} MB, ${r.restRssMb.toFixed(0)} MB at rest (${r.restSeconds.toFixed(0)} s later; JS heap ${r.restHeapMb.toFixed(0)} MB in use)`)
    results.push({ name: `Deployment of ${replicas} on ${nodes} nodes to Running (s)`, perSecond: r.ms / 1000, rme: 0, samples: 1, unit: 's' })
    results.push({ name: `RSS with ${nodes} nodes and ${replicas} pods (MB)`, perSecond: r.rssMb, rme: 0, samples: 1, unit: 'MB' })
    results.push({ name: `RSS with ${nodes} nodes and ${replicas} pods, at rest (MB)`, perSecond: r.restRssMb, rme: 0, samples: 1, unit: 'MB' })
  }
  console.log(`idle default cluster (1 server + 2 agents, k3s add-ons, real clock) over ${seconds} s: ${idle.toFixed(2)} % of one core`)
  results.push({ name: 'idle default cluster CPU (% of a core)', perSecond: idle, rme: 0, samples: 1, unit: '%' })
  return results
}
