// In-process store throughput, both backends: single writes (one awaited at a time), grouped
// writes (1000 in flight, sharing commits), point reads and prefix lists.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend } from '../src/store/backend.ts'
import { MemoryBackend } from '../src/store/memory/memory-backend.ts'
import * as ops from '../src/store/ops.ts'
import { SqliteBackend } from '../src/store/sqlite/sqlite-backend.ts'
import { runCases, type Case, type Result } from './harness.ts'

const value = new TextEncoder().encode(JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }))

export async function storeBench (): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k3sim-bench-'))
  const backends: Array<[string, () => Promise<Backend>]> = [
    ['memory', async () => new MemoryBackend()],
    ['sqlite file', async () => SqliteBackend.open({ path: join(dir, `s${Date.now()}.db`) })],
    ['sqlite file, fsync', async () => SqliteBackend.open({ path: join(dir, `f${Date.now()}.db`), fsync: true })],
  ]
  const results: Result[] = []
  for (const [name, open] of backends) {
    const b = await open()
    let n = 0
    const key = (): string => `/registry/pods/default/pod-${n++}`
    for (let i = 0; i < 10_000; i++) await ops.put(b, `/registry/configmaps/default/cm-${String(i).padStart(5, '0')}`, value)
    let r = 0
    const cases: Case[] = [
      { name: `${name}: single writes (one at a time)`, unit: 'writes', fn: () => ops.create(b, key(), value) },
      { name: `${name}: grouped writes (1000 in flight)`, unit: 'writes', perOp: 1000, fn: () => Promise.all(Array.from({ length: 1000 }, () => ops.create(b, key(), value))) },
      { name: `${name}: point reads`, unit: 'reads', perOp: 1000, fn: async () => { for (let i = 0; i < 1000; i++) await ops.get(b, `/registry/configmaps/default/cm-${String(r++ % 10_000).padStart(5, '0')}`) } },
      { name: `${name}: list 10,000 keys by prefix`, unit: 'lists', fn: () => ops.list(b, { prefix: '/registry/configmaps/' }) },
    ]
    results.push(...await runCases(`store: ${name}`, cases))
    await b.close()
  }
  rmSync(dir, { recursive: true, force: true })
  return results
}
