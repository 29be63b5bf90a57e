// Scheduling throughput as upstream's SchedulingBasic measures it: N nodes (Node objects, no
// kubelets), 10,000 pods, time until every pod is bound (binding writes and Scheduled events
// included), and per-pod latency percentiles from creation to binding. Three ways:
// - end to end: the pods are created while the scheduler runs, and their creation (API writes
//   on this same thread) counts against the time;
// - the scheduling phase: the pods are created first and the scheduler started then, so only the
//   scheduler's own work counts, as in scheduler_perf, whose pod-creating goroutines and
//   apiserver run on other cores than the scheduler;
// - the writes alone: no scheduler, each pod bound round-robin and its Scheduled event recorded
//   (the same two writes a scheduled pod costs), the floor under the other two.
import { startControlPlane } from '../src/cluster/control-plane.ts'
import { InProcessClient } from '../src/client/in-process.ts'
import { EventsV1Recorder } from '../src/client/events-v1.ts'
import { Informer } from '../src/client/informer.ts'
import type { KubeObject } from '../src/api/object.ts'
import { buildProfile, profileConfig } from '../src/scheduler/profile.ts'
import { Scheduler } from '../src/scheduler/scheduler.ts'
import { VirtualClock } from '../src/util/clock.ts'
import type { Result } from './harness.ts'

type Mode = 'end to end' | 'scheduling phase' | 'writes alone'
interface Run { podsPerSecond: number, podsPerCpuSecond: number, p50: number, p90: number, p99: number }

async function run (nodes: number, pods: number, mode: Mode): Promise<Run> {
  const clock = new VirtualClock()
  const cp = await startControlPlane({ clock, apiPort: false, etcdPort: false, store: ':memory:', scheduler: mode === 'end to end' ? undefined : false })
  const client = new InProcessClient({ core: cp.core })
  for (let i = 0; i < nodes; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, nodes - i) }, (_, j) => client.create({
      apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i + j}`, labels: { 'kubernetes.io/hostname': `node-${i + j}` } },
      status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '100Gi' }, capacity: { cpu: '32', memory: '128Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as any)))
  }
  const created = new Map<string, number>()
  const latencies: number[] = []
  const watch = await client.watch('v1', 'Pod', { namespace: 'default', resourceVersion: String(cp.backend.revision) })
  let bound = 0
  let finish!: () => void
  const done = new Promise<void>(resolve => { finish = resolve })
  void (async () => {
    for (let batch = await watch.next(); batch !== null; batch = await watch.next()) {
      for (const e of batch) {
        const p = e.object as any
        if (e.type === 'MODIFIED' && p.spec.nodeName && created.has(p.metadata.name)) {
          latencies.push(performance.now() - created.get(p.metadata.name)!)
          created.delete(p.metadata.name)
          if (++bound === pods) finish()
        }
      }
    }
  })()
  let t0 = performance.now()
  let cpu0 = process.cpuUsage()
  for (let i = 0; i < pods; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, pods - i) }, (_, j) => {
      const name = `pod-${i + j}`
      created.set(name, performance.now())
      return client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'k8s.gcr.io/pause:3.9', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] } } as any)
    }))
  }
  let stop = (): void => {}
  if (mode === 'scheduling phase') {
    t0 = performance.now()
    cpu0 = process.cpuUsage()
    for (const name of created.keys()) created.set(name, t0)
    const scheduler = new Scheduler({ client, clock, ids: cp.ids, profile: listers => buildProfile(profileConfig({}), { clock, listers }) })
    await scheduler.start()
    stop = () => scheduler.stop()
  } else if (mode === 'writes alone') {
    // A pod informer, as the scheduler keeps one (its first list is not timed here).
    const informer = new Informer({ client, apiVersion: 'v1', kind: 'Pod' })
    await informer.start()
    stop = () => informer.stop()
    t0 = performance.now()
    cpu0 = process.cpuUsage()
    for (const name of created.keys()) created.set(name, t0)
    await bindRoundRobin(client, clock, informer.list(), nodes)
  }
  await done
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  watch.close()
  stop()
  await cp.stop()
  latencies.sort((a, b) => a - b)
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
  return { podsPerSecond: pods / seconds, podsPerCpuSecond: pods / cpuSeconds, p50: pct(0.5), p90: pct(0.9), p99: pct(0.99) }
}

/** The scheduler's two writes per pod (pods/binding, then the Scheduled event), 16 pods at a time. */
async function bindRoundRobin (client: InProcessClient, clock: VirtualClock, pods: readonly KubeObject[], nodes: number): Promise<void> {
  const recorder = new EventsV1Recorder({ client, clock, controller: 'default-scheduler', instance: 'default-scheduler-k3sim-k3s-default-server-0' })
  for (let i = 0; i < pods.length; i += 16) {
    await Promise.all(pods.slice(i, i + 16).map(async (pod, j) => {
      const node = `node-${(i + j) % nodes}`
      await client.post('v1', 'Pod', 'default', pod.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: 'default', uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } })
      await recorder.record(pod, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned default/${pod.metadata.name} to ${node}`, action: 'Binding' })
    }))
  }
}

export async function schedulerBench (): Promise<Result[]> {
  const results: Result[] = []
  console.log('\n## Scheduler (SchedulingBasic-style: 10,000 pods of 100m/500Mi)')
  for (const nodes of (process.env.BENCH_SCHED_NODES ?? '500,5000').split(',').map(Number)) {
    for (const mode of ['end to end', 'scheduling phase', 'writes alone'] as Mode[]) {
      const r = await run(nodes, Number(process.env.BENCH_SCHED_PODS ?? 10_000), mode)
      const what = { 'end to end': 'end to end (created while scheduling)', 'scheduling phase': 'scheduling phase (pods created first)', 'writes alone': 'writes alone (binding + Scheduled event, no scheduling)' }[mode]
      console.log(`${String(nodes).padStart(5)} nodes, ${what}: ${r.podsPerSecond.toFixed(0)} pods/s (${r.podsPerCpuSecond.toFixed(0)} per CPU-second of this process); ${mode === 'end to end' ? 'creation' : 'start'} -> binding latency p50 ${r.p50.toFixed(0)} ms, p90 ${r.p90.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`)
      results.push({ name: `schedule 10,000 pods on ${nodes} nodes, ${what} (pods/s)`, perSecond: r.podsPerSecond, rme: 0, samples: 1, unit: 'pods' })
    }
  }
  return results
}
