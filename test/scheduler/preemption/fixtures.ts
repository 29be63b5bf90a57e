// Small builders for preemption tests: pods with priority, cpu requests, host ports, labels and
// start times; NodeInfos through node-info.ts; and a two-plugin filter (ports, then cpu and pod
// count) standing in for the framework's runFilters.
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeInfo, newSnapshot } from '../../../src/scheduler/node-info.ts'
import { CycleState, type NodeInfo, type Snapshot, type Status } from '../../../src/scheduler/types.ts'

type Json = Record<string, any>

export const T0 = Date.parse('2025-01-01T00:00:00Z')
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z')

class PodBuilder {
  private readonly p: Json

  constructor (name: string, namespace: string) {
    this.p = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${name}` }, spec: { schedulerName: 'default-scheduler', containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Running' } }
  }

  priority (p: number): this { this.p.spec.priority = p; return this }
  cpu (q: string): this { this.p.spec.containers[0].resources = { requests: { cpu: q } }; return this }
  hostPort (port: number): this { this.p.spec.containers[0].ports = [{ containerPort: port, hostPort: port, protocol: 'TCP' }]; return this }
  labels (l: Record<string, string>): this { this.p.metadata.labels = l; return this }
  started (minutes: number): this { this.p.status.startTime = at(minutes); return this }
  on (node: string): this { this.p.spec.nodeName = node; return this }
  never (): this { this.p.spec.preemptionPolicy = 'Never'; return this }
  nominated (node: string): this { this.p.status = { phase: 'Pending', nominatedNodeName: node }; return this }
  preemptedAndTerminating (): this {
    this.p.metadata.deletionTimestamp = at(1)
    this.p.status.conditions = [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }]
    return this
  }

  obj (): KubeObject { return structuredClone(this.p) as KubeObject }
}

export const makePod = (name: string, namespace = 'default'): PodBuilder => new PodBuilder(name, namespace)

export function makeNode (name: string, opts: { cpu?: string, pods?: number } = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: opts.cpu ?? '2', memory: '4Gi', pods: String(opts.pods ?? 110) } } }
}

export function nodeInfo (name: string, pods: KubeObject[], opts: { cpu?: string, pods?: number } = {}): NodeInfo {
  return newNodeInfo(makeNode(name, opts), pods)
}

export const snapshotOf = (...nodes: NodeInfo[]): Snapshot => newSnapshot(nodes)

export const PORTS = "node(s) didn't have free ports for the requested pod ports"

/** NodePorts then NodeResourcesFit (pods, cpu), first failure ends the check: enough for preemption. */
export function filterNode (_state: CycleState, pod: KubeObject, ni: NodeInfo): Status {
  const want = ((pod.spec as Json).containers as Json[]).flatMap(c => (c.ports ?? []) as Json[]).filter(p => p.hostPort > 0)
  if (want.some(p => ni.usedPorts.some(u => u.port === p.hostPort))) return { code: 'Unschedulable', reasons: [PORTS] }
  const reasons: string[] = []
  if (ni.pods.length + 1 > ni.allocatable.pods) reasons.push('Too many pods')
  const cpu = String((pod.spec as Json).containers[0].resources?.requests?.cpu ?? '0')
  const milli = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000
  if (milli > 0 && milli > ni.allocatable.milliCPU - ni.requested.milliCPU) reasons.push('Insufficient cpu')
  return reasons.length > 0 ? { code: 'Unschedulable', reasons } : { code: 'Success', reasons: [] }
}

/** Each node's filter status, as the framework hands them to PostFilter. */
export function filterAll (pod: KubeObject, snapshot: Snapshot): Map<string, Status> {
  return new Map(snapshot.nodes.map(n => [n.name, filterNode(new CycleState(), pod, n)]))
}

export function pdb (name: string, matchLabels: Record<string, string>, disruptionsAllowed: number, namespace = 'default'): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { selector: { matchLabels } }, status: { disruptionsAllowed } }
}

export const names = (pods: KubeObject[]): string[] => pods.map(p => p.metadata.name!)
