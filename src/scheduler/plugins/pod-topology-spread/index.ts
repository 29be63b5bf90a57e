/**
 * PodTopologySpread: hard constraints filter (./filtering.ts), soft ones score (./scoring.ts).
 * A pod without constraints of its own gets the cluster defaults when it belongs to a Service,
 * ReplicationController, ReplicaSet or StatefulSet (./constraints.ts; listers from the options).
 * Args (PodTopologySpreadArgs): defaultingType `System` (default) or `List` with defaultConstraints.
 */
import type { KubeObject } from '../../../api/object.ts'
import { type CycleState, type FilterPlugin, type Status, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, skip, success } from '../../types.ts'
import type { PreFilterExtensions } from '../shared/extensions.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import type { PluginOptions } from '../shared/options.ts'
import { buildDefaultConstraints, filterConstraints, type SpreadConstraint, SYSTEM_DEFAULT_CONSTRAINTS, type TopologySpreadConstraint } from './constraints.ts'
import { computePreFilterState, filterNode, type PreFilterState, updatedState } from './filtering.ts'
import { computePreScoreState, normalizeScores, type PreScoreState, scoreNode } from './scoring.ts'
import { DomainCounts } from './domain-counts.ts'

export { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering.ts'
export { defaultSelector, SYSTEM_DEFAULT_CONSTRAINTS } from './constraints.ts'

export const NAME = 'PodTopologySpread'
const PRE_FILTER_KEY = `PreFilter${NAME}`
const PRE_SCORE_KEY = `PreScore${NAME}`

export type PodTopologySpreadPlugin = PreFilterPlugin & PreFilterExtensions & FilterPlugin & PreScorePlugin & ScorePlugin

export function newPodTopologySpread (options: PluginOptions = {}): PodTopologySpreadPlugin {
  const args = options.args ?? {}
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System'
  const defaults: TopologySpreadConstraint[] = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? [])
  const listers = options.listers ?? {}
  // Spreading sums over every node, kept across pods (this plugin instance serves one scheduler).
  const domainCounts = new DomainCounts()

  const podConstraints = (pod: KubeObject): TopologySpreadConstraint[] => (pod as any).spec?.topologySpreadConstraints ?? []
  /** getConstraints for one action: the pod's own, else the defaults. */
  const constraintsFor = (pod: KubeObject, action: string): SpreadConstraint[] => {
    const own = podConstraints(pod)
    return own.length > 0 ? filterConstraints(own, pod.metadata.labels ?? {}, action) : buildDefaultConstraints(defaults, pod, action, listers)
  }
  const update = (state: CycleState, podToSchedule: KubeObject, pod: KubeObject, node: KubeObject, delta: number): Status => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY)
    if (s !== undefined) state.write(PRE_FILTER_KEY, updatedState(s, pod, podToSchedule, node, delta))
    return success()
  }

  const preScoreState = (state: CycleState): PreScoreState => {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY)
    if (s === undefined) throw new Error(`error reading "${PRE_SCORE_KEY}" from cycleState: not found`)
    return s
  }

  return guard<PodTopologySpreadPlugin>({
    name: NAME,
    preFilter: (state, pod, snapshot) => {
      const constraints = constraintsFor(pod, 'DoNotSchedule')
      if (constraints.length === 0) return { status: skip() }
      state.write(PRE_FILTER_KEY, computePreFilterState(pod, constraints, snapshot.nodes))
      return { status: success() }
    },
    addPod: (state, podToSchedule, podInfo, nodeInfo) => update(state, podToSchedule, podInfo.pod, nodeInfo.node, 1),
    removePod: (state, podToSchedule, podInfo, nodeInfo) => update(state, podToSchedule, podInfo.pod, nodeInfo.node, -1),
    filter: (state, pod, nodeInfo, snapshot) => {
      let s = state.read<PreFilterState>(PRE_FILTER_KEY)
      if (s === undefined) {
        // Called without PreFilter (or after its Skip): compute the state once here.
        const constraints = constraintsFor(pod, 'DoNotSchedule')
        if (constraints.length === 0) return success()
        s = computePreFilterState(pod, constraints, snapshot.nodes)
        state.write(PRE_FILTER_KEY, s)
      }
      return filterNode(s, pod, nodeInfo)
    },
    preScore: (state, pod, nodes, snapshot) => {
      if (snapshot.nodes.length === 0) return skip()
      const constraints = constraintsFor(pod, 'ScheduleAnyway')
      if (constraints.length === 0) return skip()
      // Only explicit (or List-defaulted) constraints require every topology key on a node.
      const requireAll = podConstraints(pod).length > 0 || !systemDefaulted
      state.write(PRE_SCORE_KEY, computePreScoreState(pod, constraints, nodes, snapshot.nodes, requireAll, { counts: domainCounts, snapshot }))
      return success()
    },
    ...nodeScores((state, pod) => {
      const s = preScoreState(state)
      return nodeInfo => scoreNode(s, pod, nodeInfo)
    }, (state, pod) => {
      // A loop of its own, calling scoreNode directly (nodeScores' shared loop cannot inline it).
      const s = preScoreState(state)
      return (nodes, _rows, out) => {
        for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(s, pod, nodes[i])
      }
    }),
    normalizeScore: (state, _pod, scores) => {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY)
      if (s === undefined) throw new Error(`error reading "${PRE_SCORE_KEY}" from cycleState: not found`)
      normalizeScores(s, scores)
      return success()
    },
  })
}
