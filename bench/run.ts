// `npm run bench [suite...]`: runs the suites named (default: all) and writes
// bench/results/latest.json. Figures go in the README, never into test assertions.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Result } from './harness.ts'
import { storeBench } from './store.bench.ts'

const suites: Record<string, () => Promise<Result[]>> = {
  store: storeBench,
  etcd: async () => (await import('./etcd.bench.ts')).etcdBench(),
  apiserver: async () => (await import('./apiserver.bench.ts')).apiserverBench(),
  cluster: async () => (await import('./cluster.bench.ts')).clusterBench(),
  scheduler: async () => (await import('./scheduler.bench.ts')).schedulerBench(),
  workloads: async () => (await import('./workloads.bench.ts')).workloadsBench(),
  cli: async () => (await import('./cli.bench.ts')).cliBench(),
  docker: async () => (await import('./docker.bench.ts')).dockerBench(),
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter(w => !(w in suites))
if (unknown.length > 0) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`)
  process.exit(2)
}
const all: Record<string, Result[]> = {}
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) all[name] = await suites[name]()
const dir = join(import.meta.dirname, 'results')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, results: all }, null, 2))
process.exit(0)
