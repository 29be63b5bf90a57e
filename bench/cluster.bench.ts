// Clusters: Cluster.start() to all nodes Ready (1 server + 2 agents); 1,000 pods pinned to 100
// nodes from created to Running; the heartbeat CPU of many idle nodes on the real clock, and
// memory per node.
import { Cluster } from '../src/index.ts'
import { ADDON_NAMES } from '../src/addons/manifests/index.ts'
import { runCases, type Result } from './harness.ts'

async function podsOnNodes (nodes: number, pods: number): Promise<number> {
  const cluster = await Cluster.start({ agents: nodes - 1, clock: 'virtual', node: { cpu: '4', memory: '8Gi' } })
  const names = cluster.nodeNames()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: pods }, (_, i) => cluster.client.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' },
    spec: { nodeName: names[i % names.length], containers: [{ name: 'c', image: 'nginx:1.27' }] },
  } as any)))
  await cluster.settle()
  const ms = performance.now() - t0
  const running = (await cluster.client.list('v1', 'Pod', { namespace: 'default', fieldSelector: 'status.phase=Running' })).items.length
  if (running !== pods) throw new Error(`only ${running} of ${pods} pods Running`)
  await cluster.stop()
  return ms
}

async function idleNodes (count: number, seconds: number): Promise<{ cpuPercent: number, bytesPerNode: number }> {
  // Collected first: the cases before leave garbage that would otherwise count against the nodes.
  globalThis.gc?.()
  const before = process.memoryUsage().heapUsed
  // Heartbeats alone: with the add-ons, every node would also run an svclb pod and move the
  // traefik Service's load-balancer IPs (thousands of them), which is not what this measures.
  const cluster = await Cluster.start({ agents: 0, node: { cpu: '2', memory: '4Gi' }, disable: [...ADDON_NAMES] })
  const batch = 100
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => cluster.addNode({ name: `idle-${i + j}` })))
  }
  await cluster.settle()
  globalThis.gc?.()
  const bytesPerNode = (process.memoryUsage().heapUsed - before) / count
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise(resolve => setTimeout(resolve, seconds * 1000))
  const cpu = process.cpuUsage(cpu0)
  const cpuPercent = ((cpu.user + cpu.system) / 1000) / (performance.now() - t0) * 100
  await cluster.stop()
  return { cpuPercent, bytesPerNode }
}

export async function clusterBench (): Promise<Result[]> {
  const results = await runCases('Cluster', [
    { name: 'Cluster.start(), 1 server + 2 agents Ready, k3s add-ons Running (virtual clock)', unit: 'starts', fn: async () => { const c = await Cluster.start({ agents: 2, clock: 'virtual' }); await c.stop() } },
    { name: 'Cluster.start(), 1 server + 2 agents Ready, --disable all add-ons (virtual clock)', unit: 'starts', fn: async () => { const c = await Cluster.start({ agents: 2, clock: 'virtual', disable: [...ADDON_NAMES] }); await c.stop() } },
  ])
  const ms = await podsOnNodes(100, 1000)
  console.log(`1,000 pods pinned to 100 nodes, created -> all Running: ${ms.toFixed(0)} ms (${(1000 / (ms / 1000)).toFixed(0)} pods/s)`)
  results.push({ name: '1,000 pods on 100 nodes to Running (ms)', perSecond: ms, rme: 0, samples: 1, unit: 'ms' })
  const nodes = Number(process.env.BENCH_IDLE_NODES ?? 5000)
  const idle = await idleNodes(nodes, Number(process.env.BENCH_IDLE_SECONDS ?? 30))
  console.log(`${nodes} idle nodes on the real clock: ${idle.cpuPercent.toFixed(1)} % of one core for heartbeats; ~${(idle.bytesPerNode / 1024).toFixed(0)} KiB of heap per node`)
  results.push({ name: `${nodes} idle nodes, heartbeat CPU (% of a core)`, perSecond: idle.cpuPercent, rme: 0, samples: 1, unit: '%' })
  results.push({ name: 'heap per idle node (KiB)', perSecond: idle.bytesPerNode / 1024, rme: 0, samples: 1, unit: 'KiB' })
  return results
}
