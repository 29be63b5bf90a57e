// The kubelet's /metrics/resource (pkg/kubelet/metrics/collectors/resource_metrics.go, v1.32),
// what metrics-server scrapes: Prometheus text, families by name, samples by label values, each
// stamped with its scrape time in ms but the containers' start times. CPU is cumulative: the
// runtime's rate since the container started (since boot for the node's own processes).
import { cpuNanoSeconds, type NodeUsageSample } from '../api/resource-usage.ts'
import { family as promFamily, type Labels, type Sample } from '../apiserver/metrics/exposition.ts'


export function resourceMetrics (u: NodeUsageSample, bootedAt: number): string {
  // Whole nanoseconds of CPU, as the runtime's counters count them, summed as integers and
  // turned into seconds only when written (no float residue in the text).
  const nanos = (since: number, nanoCores: number): number => cpuNanoSeconds(since, u.timestamp, nanoCores)
  const cpu: Sample[] = []
  const memory: Sample[] = []
  const started: Sample[] = []
  const podCpu: Sample[] = []
  const podMemory: Sample[] = []
  let nodeCpu = 0
  for (const p of u.pods) {
    let pc = 0
    let pm = 0
    for (const c of p.containers) {
      const labels: Labels = [['container', c.name], ['namespace', p.namespace], ['pod', p.name]]
      const s = nanos(c.startedAt, c.usage.cpuNanoCores)
      cpu.push({ labels, value: s / 1e9, at: u.timestamp })
      memory.push({ labels, value: c.usage.memoryBytes, at: u.timestamp })
      started.push({ labels, value: c.startedAt / 1000 })
      pc += s
      pm += c.usage.memoryBytes
    }
    podCpu.push({ labels: [['namespace', p.namespace], ['pod', p.name]], value: pc / 1e9, at: u.timestamp })
    podMemory.push({ labels: [['namespace', p.namespace], ['pod', p.name]], value: pm, at: u.timestamp })
    nodeCpu += pc
  }
  const podsNano = u.pods.reduce((n, p) => n + p.containers.reduce((m, c) => m + c.usage.cpuNanoCores, 0), 0)
  nodeCpu += nanos(bootedAt, u.usage.cpuNanoCores - podsNano)
  return [
    family('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the container in core-seconds', cpu),
    family('container_memory_working_set_bytes', 'gauge', 'Current working set of the container in bytes', memory),
    family('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds', started),
    family('node_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the node in core-seconds', [{ labels: [], value: nodeCpu / 1e9, at: u.timestamp }]),
    family('node_memory_working_set_bytes', 'gauge', 'Current working set of the node in bytes', [{ labels: [], value: u.usage.memoryBytes, at: u.timestamp }]),
    family('pod_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the pod in core-seconds', podCpu),
    family('pod_memory_working_set_bytes', 'gauge', 'Current working set of the pod in bytes', podMemory),
    family('resource_scrape_error', 'gauge', '1 if there was an error while getting container metrics, 0 otherwise', [{ labels: [], value: 0 }]),
  ].join('')
}

/** One STABLE family of the collector. */
function family (name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string {
  return promFamily(name, type, `[STABLE] ${help}`, samples)
}
