// The kubelet's /stats/summary (k8s.io/kubelet/pkg/apis/stats/v1alpha1, v1.32), as go-restful
// writes it (indented by one space). What the runtime measures here is CPU and memory: the
// summary carries those, for the node, its system containers, each pod and container — the
// shape `?only_cpu_and_memory=true` asks for (the same answer with or without it). Filesystem, network, volume and process stats
// are not modelled, and so are left out as the API's omitempty fields are when unknown.
import { rfc3339 } from '../api/object.ts'
import { goJSON } from '../apiserver/schemas/go-values.ts'
import { parseQuantity, value } from '../api/quantity.ts'
import { cpuNanoSeconds, type NodeUsageSample, type Usage } from '../api/resource-usage.ts'
import type { KubeletView } from './http-endpoints.ts'

export function statsSummary (view: KubeletView, u: NodeUsageSample): string {
  const time = rfc3339(u.timestamp)
  const cumulative = (since: number, nanoCores: number): number => cpuNanoSeconds(since, u.timestamp, nanoCores)
  const cpu = (since: number, usage: Usage): Record<string, unknown> => ({ time, usageNanoCores: Math.round(usage.cpuNanoCores), usageCoreNanoSeconds: cumulative(since, usage.cpuNanoCores) })
  const memory = (usage: Usage, capacity?: number): Record<string, unknown> => ({
    time,
    ...(capacity === undefined ? {} : { availableBytes: Math.max(0, capacity - usage.memoryBytes) }),
    usageBytes: usage.memoryBytes,
    workingSetBytes: usage.memoryBytes,
    rssBytes: usage.memoryBytes,
  })
  const booted = rfc3339(view.bootedAt)
  let podsUsage: Usage = { cpuNanoCores: 0, memoryBytes: 0 }
  let podsCpuSeconds = 0
  const pods = u.pods.map(p => {
    let pu: Usage = { cpuNanoCores: 0, memoryBytes: 0 }
    let pcs = 0
    const first = Math.min(...p.containers.map(c => c.startedAt))
    const containers = p.containers.map(c => {
      pu = add(pu, c.usage)
      pcs += cumulative(c.startedAt, c.usage.cpuNanoCores)
      return { name: c.name, startTime: rfc3339(c.startedAt), cpu: cpu(c.startedAt, c.usage), memory: memory(c.usage) }
    })
    podsUsage = add(podsUsage, pu)
    podsCpuSeconds += pcs
    return { podRef: { name: p.name, namespace: p.namespace, uid: p.uid }, startTime: rfc3339(first), containers, cpu: { time, usageNanoCores: Math.round(pu.cpuNanoCores), usageCoreNanoSeconds: pcs }, memory: memory(pu) }
  })
  const system: Usage = { cpuNanoCores: u.usage.cpuNanoCores - podsUsage.cpuNanoCores, memoryBytes: u.usage.memoryBytes - podsUsage.memoryBytes }
  const nodeMemory = value(parseQuantity(view.identity.memory))
  const node = {
    nodeName: view.identity.name,
    systemContainers: [
      { name: 'kubelet', startTime: booted, cpu: cpu(view.bootedAt, system), memory: memory(system) },
      { name: 'pods', startTime: booted, cpu: { time, usageNanoCores: Math.round(podsUsage.cpuNanoCores), usageCoreNanoSeconds: podsCpuSeconds }, memory: memory(podsUsage, nodeMemory) },
    ],
    startTime: booted,
    cpu: { time, usageNanoCores: Math.round(u.usage.cpuNanoCores), usageCoreNanoSeconds: cumulative(view.bootedAt, system.cpuNanoCores) + podsCpuSeconds },
    memory: memory(u.usage, nodeMemory),
  }
  // go-restful's WriteAsJson: MarshalIndent with a one-space indent, <, > and & escaped.
  return goJSON({ node, pods }, ' ')
}

const add = (a: Usage, b: Usage): Usage => ({ cpuNanoCores: a.cpuNanoCores + b.cpuNanoCores, memoryBytes: a.memoryBytes + b.memoryBytes })
