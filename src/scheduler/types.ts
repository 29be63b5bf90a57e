// kube-scheduler's framework, small: plugins are tiny objects with a name and the extension-point
// methods they need; "does not fit" is a returned Status, never an exception (an unexpected throw
// becomes an Error status). The interface comments are the contract (k8s.io/kube-scheduler/framework).
import type { KubeObject } from '../api/object.ts'

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip' | 'Wait'

export interface Status {
  code: Code
  /** Reasons shown in FailedScheduling, e.g. `Insufficient cpu`, `node(s) didn't match Pod's node affinity/selector`. */
  reasons: string[]
  /** The plugin that returned it (set by the framework). */
  plugin?: string
}

const SUCCESS = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as unknown as string[] }) as Status
/** The one (frozen) Success status: filters and scores return it per node, so it is not rebuilt. */
export const success = (): Status => SUCCESS
export const skip = (): Status => ({ code: 'Skip', reasons: [] })
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons })
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons })
export const errorStatus = (message: string): Status => ({ code: 'Error', reasons: [message] })
export const isSuccess = (s: Status): boolean => s.code === 'Success'

// Resources and HostPortInfo are defined once, with the arithmetic that fills them, in api/pod-resources.ts.
export type { HostPortInfo, Resources } from '../api/pod-resources.ts'
import type { HostPortInfo, Resources } from '../api/pod-resources.ts'

/** A pod as the scheduler caches it: its requests computed once. */
export interface PodInfo {
  pod: KubeObject
  /** podReq per k3s-facts.md §2.3 (max of init, sum of apps + sidecars, plus overhead). */
  requests: Resources
  /** The same with the non-zero defaults for scoring (100m CPU, 200Mi memory per container). */
  nonZeroRequests: Resources
  hostPorts: HostPortInfo[]
}

/** A node and what is on it (pods counted as upstream counts them, assumed pods included). */
export interface NodeInfo {
  name: string
  node: KubeObject
  pods: PodInfo[]
  allocatable: Resources & { pods: number }
  requested: Resources
  nonZeroRequested: Resources
  usedPorts: HostPortInfo[]
  /** Pods with any pod (anti-)affinity, and those with required anti-affinity (upstream's lists:
   * InterPodAffinity looks only at these, not at every pod). */
  podsWithAffinity: PodInfo[]
  podsWithRequiredAntiAffinity: PodInfo[]
  /** Images present on the node (status.images), for ImageLocality. */
  images: Map<string, number>
  /** Bumped whenever a pod is added or removed or the node changes: lets plugins memoize per-node counts. */
  generation: number
  /**
   * The numbers Filter and Score read for every node and pod, packed (node-info.ts PACKED) from
   * `packedAt` on: for the cache's nodes, rows of one array shared by all of them (packed-rows.ts),
   * so checking thousands of nodes reads adjacent memory instead of five objects per node. Kept
   * equal to the fields above by node-info.ts; absent on a NodeInfo built by hand.
   */
  packed?: Float64Array
  packedAt?: number
}

/** Packed rows of a list of nodes: node i's row starts at `at[i]` in `packed` (node-info.ts PACKED). */
export interface NodeRows {
  readonly packed: Float64Array
  readonly at: ArrayLike<number>
}

/**
 * A condition on a node's packed row under which a Filter surely passes: every `zero` field is 0
 * and every `room` has `need` ≤ the `allocatable` field − the `used` field. A node meeting the
 * conditions of all of a cycle's filters is feasible without running them (nor reading its
 * NodeInfo); any other node runs the filters, which say why it fails. `{}`: passes every node.
 */
export interface PackedPass {
  zero?: number[]
  room?: Array<{ need: number, allocatable: number, used: number }>
}

/** Per-cycle data shared by a pod's plugins (upstream's CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>()
  read<T> (key: string): T | undefined { return this.data.get(key) as T | undefined }
  write (key: string, value: unknown): void { this.data.set(key, value) }
  clone (): CycleState {
    const c = new CycleState()
    for (const [k, v] of this.data) c.write(k, v)
    return c
  }
}

/**
 * The scores of the nodes being scored (upstream's NodeScoreList): `scores[i]` is node
 * `names[i]`'s. Arrays rather than a map: normalization runs per plugin per pod over hundreds of nodes.
 */
export interface NodeScores {
  readonly names: readonly string[]
  readonly scores: Float64Array
}

/** What plugins may look at besides the node they are asked about. */
export interface Snapshot {
  nodes: NodeInfo[]
  get(name: string): NodeInfo | undefined
  /** Nodes with a pod that has pod affinity or anti-affinity (upstream's HavePodsWithAffinityList). */
  havePodsWithAffinity(): NodeInfo[]
  /** Nodes with a pod that has required anti-affinity (HavePodsWithRequiredAntiAffinityList). */
  havePodsWithRequiredAntiAffinity(): NodeInfo[]
  /** How many nodes hold the image (ImageStateSummary.NumNodes). */
  imageNumNodes(name: string): number
  /**
   * Names of the nodes added, removed, relabelled or with pods added or removed since `version`
   * (a value this returned before), and the version now; `names` undefined when that is too long
   * ago to tell (recompute from all nodes). For plugins that keep sums over every node. Optional:
   * without it plugins recompute.
   */
  changes?(since: number): { version: number, names: readonly string[] | undefined }
  /** The packed rows of `nodes`, aligned with it. Optional: without it plugins read each NodeInfo. */
  rows?(): NodeRows
}

export interface Plugin { readonly name: string }

export interface PreFilterResult {
  status: Status
  /** Only these nodes can work (e.g. a DaemonSet pod pinned with matchFields metadata.name). */
  nodeNames?: Set<string>
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: KubeObject, snapshot: Snapshot): PreFilterResult
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: KubeObject, node: NodeInfo, snapshot: Snapshot): Status
  /**
   * Optional, called once per cycle after PreFilter: a condition on a node's packed row that is
   * enough for filter() to pass (PackedPass); undefined when there is none for this pod.
   */
  packedPass?(state: CycleState, pod: KubeObject): PackedPass | undefined
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: KubeObject, nodes: NodeInfo[], snapshot: Snapshot): Status
}

export interface ScorePlugin extends Plugin {
  /** 0–100 (MaxNodeScore) after normalization. */
  score(state: CycleState, pod: KubeObject, node: NodeInfo, snapshot: Snapshot): { score: number, status: Status }
  /**
   * Optional: every node's raw score at once, into `out` (aligned with `nodes`) — the same
   * numbers as score() node by node. The framework prefers it; on a non-Success it scores node
   * by node instead. `rows`, when given, are the nodes' packed rows (read them rather than each
   * NodeInfo: hundreds of nodes per pod, each NodeInfo a cache miss).
   */
  scoreAll?(state: CycleState, pod: KubeObject, nodes: NodeInfo[], snapshot: Snapshot, out: Float64Array, rows?: NodeRows): Status
  /** Rescale raw scores to 0–100 in place. */
  normalizeScore?(state: CycleState, pod: KubeObject, scores: NodeScores): Status
}

/** After every node failed the filters: try to make room (preemption). */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: KubeObject, statuses: Map<string, Status>, snapshot: Snapshot): { status: Status, nominatedNodeName?: string, message?: string, victims?: KubeObject[] }
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean
}

export interface QueuedPodInfo {
  pod: KubeObject
  /** When it (re)entered the active queue; ties are broken by it. */
  timestamp: number
  attempts: number
  /** First attempt time (for latency metrics). */
  initialAttemptTimestamp?: number
}

export const MAX_NODE_SCORE = 100
