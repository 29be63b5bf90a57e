// Fluent builders for scheduler tests, after kube-scheduler's pkg/scheduler/testing wrappers:
// makePod().name('p').req({ cpu: '1' }).obj(), makeNode().name('n1').capacity({ cpu: '4' }).obj().
// Like st.MakePod, a pod has no containers until req()/container() adds one.
import type { KubeObject } from '../../src/api/object.ts'

type Json = Record<string, any>
type ResourceList = Record<string, string>
type LabelSelector = { matchLabels?: Record<string, string>, matchExpressions?: Array<{ key: string, operator: string, values?: string[] }> }

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

export class PodBuilder {
  private readonly pod: Json = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'default', uid: 'pod' }, spec: { containers: [] }, status: { phase: 'Pending' } }
  private get spec (): Json { return this.pod.spec }

  name (name: string): this { this.pod.metadata.name = name; this.pod.metadata.uid = name; return this }
  namespace (ns: string): this { this.pod.metadata.namespace = ns; return this }
  uid (uid: string): this { this.pod.metadata.uid = uid; return this }
  label (key: string, value: string): this { (this.pod.metadata.labels ??= {})[key] = value; return this }
  labels (labels: Record<string, string>): this { for (const [k, v] of Object.entries(labels)) this.label(k, v); return this }
  node (name: string): this { this.spec.nodeName = name; return this }
  priority (p: number): this { this.spec.priority = p; return this }
  terminating (): this { this.pod.metadata.deletionTimestamp = '2025-01-01T00:00:00Z'; return this }
  owner (kind: string, name: string, apiVersion = 'apps/v1'): this {
    (this.pod.metadata.ownerReferences ??= []).push({ apiVersion, kind, name, uid: `uid-${name}`, controller: true })
    return this
  }

  /** An app container; with `requests` like st.MakePod().Req. */
  container (c: { name?: string, image?: string, requests?: ResourceList, ports?: Json[] } = {}): this {
    const { requests, ...rest } = c
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'pause', ...rest, ...(requests ? { resources: { requests } } : {}) })
    return this
  }
  /** A container requesting `requests` (st.MakePod().Req). */
  req (requests: ResourceList): this { return this.container({ requests }) }
  image (image: string): this { return this.container({ image }) }
  /** An init container requesting `requests`. */
  initReq (requests: ResourceList, opts: { image?: string } = {}): this {
    (this.spec.initContainers ??= []).push({ name: `i${this.spec.initContainers?.length ?? 0}`, image: opts.image ?? 'pause', resources: { requests } })
    return this
  }
  /** A restartable init container (sidecar) requesting `requests`. */
  sidecarReq (requests: ResourceList): this {
    (this.spec.initContainers ??= []).push({ name: `s${this.spec.initContainers?.length ?? 0}`, image: 'pause', restartPolicy: 'Always', resources: { requests } })
    return this
  }
  overhead (overhead: ResourceList): this { this.spec.overhead = overhead; return this }
  /** A container exposing one host port. */
  hostPort (port: number, opts: { ip?: string, protocol?: string } = {}): this {
    return this.container({ ports: [{ containerPort: port, hostPort: port, ...(opts.ip ? { hostIP: opts.ip } : {}), ...(opts.protocol ? { protocol: opts.protocol } : {}) }] })
  }
  /** A container with these ports (st.MakePod().ContainerPort). */
  containerPorts (ports: Json[]): this { return this.container({ ports }) }

  toleration (t: { key?: string, operator?: string, value?: string, effect?: string }): this { (this.spec.tolerations ??= []).push(t); return this }
  nodeSelector (sel: Record<string, string>): this { this.spec.nodeSelector = sel; return this }
  /** Adds `key In values` to the first required node selector term (st NodeAffinityIn). */
  nodeAffinityIn (key: string, values: string[], kind: 'matchExpressions' | 'matchFields' = 'matchExpressions'): this {
    const req = ((this.spec.affinity ??= {}).nodeAffinity ??= {}).requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] }
    if (req.nodeSelectorTerms.length === 0) req.nodeSelectorTerms.push({})
    ;(req.nodeSelectorTerms[0][kind] ??= []).push({ key, operator: 'In', values })
    return this
  }
  /** Required node affinity with these terms (ORed). */
  nodeAffinityTerms (terms: Json[]): this {
    ((this.spec.affinity ??= {}).nodeAffinity ??= {}).requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: terms }
    return this
  }
  preferredNodeAffinity (weight: number, preference: Json): this {
    (((this.spec.affinity ??= {}).nodeAffinity ??= {}).preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference })
    return this
  }
  spreadConstraint (maxSkew: number, topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway', labelSelector: LabelSelector | null, extra: Json = {}): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable, ...(labelSelector ? { labelSelector } : {}), ...extra })
    return this
  }
  private podAffinityTerm (kind: 'podAffinity' | 'podAntiAffinity', mode: 'required' | 'preferred', topologyKey: string, labelSelector: LabelSelector, weight = 0, extra: Json = {}): this {
    const a = (this.spec.affinity ??= {})[kind] ??= {}
    const term = { labelSelector, topologyKey, ...extra }
    if (mode === 'required') (a.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term)
    else (a.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term })
    return this
  }
  podAffinity (topologyKey: string, labelSelector: LabelSelector, extra?: Json): this { return this.podAffinityTerm('podAffinity', 'required', topologyKey, labelSelector, 0, extra) }
  podAntiAffinity (topologyKey: string, labelSelector: LabelSelector, extra?: Json): this { return this.podAffinityTerm('podAntiAffinity', 'required', topologyKey, labelSelector, 0, extra) }
  preferredPodAffinity (weight: number, topologyKey: string, labelSelector: LabelSelector): this { return this.podAffinityTerm('podAffinity', 'preferred', topologyKey, labelSelector, weight) }
  preferredPodAntiAffinity (weight: number, topologyKey: string, labelSelector: LabelSelector): this { return this.podAffinityTerm('podAntiAffinity', 'preferred', topologyKey, labelSelector, weight) }

  obj (): KubeObject { return clone(this.pod) as KubeObject }
}

export class NodeBuilder {
  private readonly node: Json = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node', uid: 'node' }, spec: {}, status: {} }

  name (name: string): this { this.node.metadata.name = name; this.node.metadata.uid = name; return this }
  label (key: string, value: string): this { (this.node.metadata.labels ??= {})[key] = value; return this }
  labels (labels: Record<string, string>): this { for (const [k, v] of Object.entries(labels)) this.label(k, v); return this }
  /** Capacity and allocatable both (st.MakeNode().Capacity). */
  capacity (rl: ResourceList): this { this.node.status.capacity = { ...rl }; this.node.status.allocatable = { ...rl }; return this }
  allocatable (rl: ResourceList): this { this.node.status.allocatable = { ...rl }; return this }
  taint (key: string, value: string, effect: string): this { (this.node.spec.taints ??= []).push({ key, ...(value ? { value } : {}), effect }); return this }
  unschedulable (): this { this.node.spec.unschedulable = true; return this }
  image (names: string[], sizeBytes: number): this { (this.node.status.images ??= []).push({ names, sizeBytes }); return this }

  obj (): KubeObject { return clone(this.node) as KubeObject }
}

export const makePod = (): PodBuilder => new PodBuilder()
export const makeNode = (): NodeBuilder => new NodeBuilder()
