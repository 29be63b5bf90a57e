// metrics-server's storage (sigs.k8s.io/metrics-server/pkg/storage): the last two scrapes of each
// node and each container. A rate needs two points, so a node or container shows up only from its
// second scrape on (a container started 10 s to one resolution before a scrape counts its start
// as the first point), and a container that restarted in between starts over; a pod is reported
// once all its running containers are. A zero memory value drops the node, or the whole pod, as
// metrics-server's decoder does (its zero-CPU check is on the cumulative counter, which only a
// container that never ran has: an idle container's rate of 0 is reported). What a scrape did
// not see is forgotten.
import type { NodeUsageSample, Usage } from '../../api/resource-usage.ts'

export interface MetricsPoint { timestamp: number, /** ms between the two scrapes */ windowMs: number, usage: Usage }

export interface ContainerMetrics { name: string, point: MetricsPoint }

export interface PodMetricsEntry { namespace: string, name: string, labels?: Readonly<Record<string, string>>, containers: ContainerMetrics[], timestamp: number, windowMs: number }

interface Tracked { timestamp: number, startedAt: number, usage: Usage, prevTimestamp?: number }

/** A pod as the last scrape saw it: its labels as its kubelet had them, and its containers. */
interface TrackedPod { namespace: string, name: string, uid: string, labels?: Readonly<Record<string, string>>, containers: Map<string, Tracked> }

/** freshContainerMinMetricsResolution */
const FRESH_CONTAINER_MS = 10_000

export class MetricsStorage {
  private readonly resolutionMs: number
  private nodes = new Map<string, Tracked>()
  /** namespace → name → the pod, with its containers' last scrapes. */
  private pods = new Map<string, Map<string, TrackedPod>>()

  constructor (resolutionMs: number) { this.resolutionMs = resolutionMs }

  /** One scrape of every reachable node. */
  store (samples: NodeUsageSample[]): void {
    const nodes = new Map<string, Tracked>()
    const pods = new Map<string, Map<string, TrackedPod>>()
    for (const s of samples) {
      if (complete(s.usage)) nodes.set(s.node, next(this.nodes.get(s.node), { timestamp: s.timestamp, startedAt: 0, usage: s.usage }))
      for (const p of s.pods) {
        if (!p.containers.every(c => complete(c.usage))) continue
        const before = this.pods.get(p.namespace)?.get(p.name)
        const same = before?.uid === p.uid ? before : undefined
        const containers = new Map<string, Tracked>()
        for (const c of p.containers) {
          const tracked = next(same?.containers.get(c.name), { timestamp: s.timestamp, startedAt: c.startedAt, usage: c.usage })
          const age = s.timestamp - c.startedAt
          if (tracked.prevTimestamp === undefined && age >= FRESH_CONTAINER_MS && age < this.resolutionMs) tracked.prevTimestamp = c.startedAt
          containers.set(c.name, tracked)
        }
        let inNamespace = pods.get(p.namespace)
        if (inNamespace === undefined) pods.set(p.namespace, inNamespace = new Map())
        inNamespace.set(p.name, { namespace: p.namespace, name: p.name, uid: p.uid, labels: p.labels, containers })
      }
    }
    this.nodes = nodes
    this.pods = pods
  }

  node (name: string): MetricsPoint | undefined { return point(this.nodes.get(name)) }

  nodeNames (): Iterable<string> { return this.nodes.keys() }

  pod (namespace: string, name: string): PodMetricsEntry | undefined {
    const p = this.pods.get(namespace)?.get(name)
    if (p === undefined) return undefined
    const containers: ContainerMetrics[] = []
    for (const [cname, t] of p.containers) {
      const pt = point(t)
      if (pt === undefined) return undefined
      containers.push({ name: cname, point: pt })
    }
    if (containers.length === 0) return undefined
    // The pod's time and window are its first container's (metrics-server takes the earliest).
    let first = containers[0].point
    for (const c of containers) if (c.point.timestamp < first.timestamp) first = c.point
    return { namespace, name, labels: p.labels, containers, timestamp: first.timestamp, windowMs: first.windowMs }
  }

  /** The pods the last scrape saw (with metrics or not yet), in one namespace or all. */
  podsIn (namespace: string | undefined): Array<{ namespace: string, name: string, labels?: Readonly<Record<string, string>> }> {
    if (namespace !== undefined) return [...this.pods.get(namespace)?.values() ?? []]
    const out = []
    for (const inNamespace of this.pods.values()) out.push(...inNamespace.values())
    return out
  }
}

const complete = (u: Usage): boolean => u.memoryBytes > 0

/** The new scrape, remembering the one before unless the container restarted since. */
function next (before: Tracked | undefined, now: Tracked): Tracked {
  if (before !== undefined && before.startedAt === now.startedAt && before.timestamp < now.timestamp) return { ...now, prevTimestamp: before.timestamp }
  return now
}

function point (t: Tracked | undefined): MetricsPoint | undefined {
  if (t?.prevTimestamp === undefined) return undefined
  return { timestamp: t.timestamp, windowMs: t.timestamp - t.prevTimestamp, usage: t.usage }
}
