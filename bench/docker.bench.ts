// The docker runtime against the fake one, on the real clock: one pod from create to Running
// (median of several), and 50 pods on 5 nodes from create to all Running. Needs a Docker engine:
// the test support starts a private dockerd (as root) unless K3SIM_TEST_DOCKER_HOST is set.
import { Cluster } from '../src/index.ts'
import { ADDON_NAMES } from '../src/addons/manifests/index.ts'
import { DockerEngine, engineTarget } from '../src/runtime/docker/engine.ts'
import { stopTestDocker, TEST_IMAGE, testDocker } from '../test/support/docker-daemon.ts'
import type { Result } from './harness.ts'

const pod = (name: string, nodeName?: string): any => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: TEST_IMAGE, command: ['sleep', '3600'] }] },
})

async function runningAfter (cluster: Cluster, names: string[], t0: number): Promise<number> {
  for (;;) {
    const pods = (await cluster.client.list('v1', 'Pod', { namespace: 'default' })).items as any[]
    const running = pods.filter(p => names.includes(p.metadata.name) && p.status?.phase === 'Running').length
    if (running === names.length) return performance.now() - t0
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

async function measure (runtime: 'fake' | 'docker', nodes: number): Promise<{ onePodMs: number, manyMs: number }> {
  const cluster = await Cluster.start({ name: `bench-${runtime}`, agents: nodes - 1, runtime, disable: [...ADDON_NAMES], node: { cpu: '8', memory: '16Gi' } })
  const samples: number[] = []
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    await cluster.client.create(pod(`one-${i}`))
    samples.push(await runningAfter(cluster, [`one-${i}`], t0))
    await cluster.client.delete('v1', 'Pod', 'default', `one-${i}`, { gracePeriodSeconds: 0 })
  }
  samples.sort((a, b) => a - b)
  const names = cluster.nodeNames()
  const many = Array.from({ length: 50 }, (_, i) => `many-${i}`)
  const t0 = performance.now()
  await Promise.all(many.map((n, i) => cluster.client.create(pod(n, names[i % names.length]))))
  const manyMs = await runningAfter(cluster, many, t0)
  await cluster.stop()
  return { onePodMs: samples[Math.floor(samples.length / 2)], manyMs }
}

export async function dockerBench (): Promise<Result[]> {
  const d = await testDocker()
  if (typeof d === 'string') { console.log(`\n## Docker runtime: skipped (${d})`); return [] }
  process.env.DOCKER_HOST = d.host
  if (await new DockerEngine(engineTarget()).inspectImage(TEST_IMAGE) === undefined) throw new Error(`${TEST_IMAGE} missing`)
  console.log('\n## Docker runtime vs fake runtime (real clock)')
  const results: Result[] = []
  for (const runtime of ['fake', 'docker'] as const) {
    const m = await measure(runtime, 5)
    console.log(`${runtime.padEnd(6)} 1 pod create -> Running (median of 7): ${m.onePodMs.toFixed(0)} ms; 50 pods on 5 nodes -> all Running: ${m.manyMs.toFixed(0)} ms`)
    results.push({ name: `${runtime}: 1 pod create -> Running (ms, median)`, perSecond: m.onePodMs, rme: 0, samples: 7, unit: 'ms' })
    results.push({ name: `${runtime}: 50 pods on 5 nodes -> Running (ms)`, perSecond: m.manyMs, rme: 0, samples: 1, unit: 'ms' })
  }
  await stopTestDocker()
  return results
}
