// A thin layer over benchmark.js: async cases (deferred), each op may stand for `perOp` units
// (e.g. a batch of 1000 writes), results printed as units/s with the margin of error.
import Benchmark from 'benchmark'

export interface Case {
  name: string
  /** Units one call stands for (writes, reads, ...). */
  perOp?: number
  unit?: string
  setup?: () => Promise<void>
  fn: () => Promise<unknown>
  teardown?: () => Promise<void>
}

export interface Result { name: string, perSecond: number, rme: number, samples: number, unit: string }

export async function runCases (title: string, cases: Case[], options: { maxTime?: number } = {}): Promise<Result[]> {
  const results: Result[] = []
  console.log(`\n## ${title}`)
  for (const c of cases) {
    await c.setup?.()
    const bench = new Benchmark(c.name, {
      defer: true,
      maxTime: options.maxTime ?? Number(process.env.BENCH_MAX_TIME ?? 3),
      minSamples: 5,
      fn: (deferred: { resolve(): void }) => { c.fn().then(() => deferred.resolve(), err => { console.error(err); process.exit(1) }) },
    })
    await new Promise<void>(resolve => { bench.on('complete', () => resolve()); bench.run({ async: true }) })
    await c.teardown?.()
    const r: Result = { name: c.name, perSecond: bench.hz * (c.perOp ?? 1), rme: bench.stats.rme, samples: bench.stats.sample.length, unit: c.unit ?? 'ops' }
    results.push(r)
    console.log(`${r.name.padEnd(58)} ${fmt(r.perSecond).padStart(12)} ${r.unit}/s ±${r.rme.toFixed(1)}% (${r.samples} runs)`)
  }
  return results
}

export function fmt (n: number): string {
  return Math.round(n).toLocaleString('en-US')
}
