/**
 * InterPodAffinity: required pod affinity / anti-affinity (the pod's and existing pods') filter
 * (./filtering.ts); preferred terms and existing pods' terms score (./scoring.ts).
 * Args (InterPodAffinityArgs): hardPodAffinityWeight (default 1), ignorePreferredTermsOfExistingPods.
 * Listers: namespaceLabels, for namespaceSelector (./terms.ts says what is approximated without it).
 */
import type { KubeObject } from '../../../api/object.ts'
import { type CycleState, type FilterPlugin, type Status, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, skip, success, unresolvable } from '../../types.ts'
import type { PreFilterExtensions } from '../shared/extensions.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import type { PluginOptions } from '../shared/options.ts'
import { computePreFilterState, filterNode, type PreFilterState, updatedState } from './filtering.ts'
import { computeTopologyScore, normalizeScores, type ScoringArgs, scoreNode, type TopologyScore } from './scoring.ts'
import { podAffinityTerms } from './terms.ts'

export { ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH } from './filtering.ts'

export const NAME = 'InterPodAffinity'
const PRE_FILTER_KEY = `PreFilter${NAME}`
const PRE_SCORE_KEY = `PreScore${NAME}`

export type InterPodAffinityPlugin = PreFilterPlugin & PreFilterExtensions & FilterPlugin & PreScorePlugin & ScorePlugin

export function newInterPodAffinity (options: PluginOptions = {}): InterPodAffinityPlugin {
  const args: ScoringArgs = {
    hardPodAffinityWeight: options.args?.hardPodAffinityWeight ?? 1,
    ignorePreferredTermsOfExistingPods: options.args?.ignorePreferredTermsOfExistingPods ?? false,
  }
  if (!(Number.isInteger(args.hardPodAffinityWeight) && args.hardPodAffinityWeight >= 0 && args.hardPodAffinityWeight <= 100)) {
    throw new Error(`hardPodAffinityWeight: Invalid value: ${args.hardPodAffinityWeight}: not in valid range [0, 100]`)
  }
  const listers = options.listers ?? {}
  const update = (state: CycleState, pod: KubeObject, node: KubeObject, delta: number): Status => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY)
    if (s !== undefined) state.write(PRE_FILTER_KEY, updatedState(s, pod, node, delta, listers))
    return success()
  }

  return guard<InterPodAffinityPlugin>({
    name: NAME,
    preFilter: (state, pod, snapshot) => {
      const terms = podAffinityTerms(pod)
      if (terms.error !== undefined) return { status: unresolvable(`parsing pod: ${terms.error}`) }
      const s = computePreFilterState(pod, terms, snapshot, listers)
      if (s === undefined) return { status: skip() }
      state.write(PRE_FILTER_KEY, s)
      return { status: success() }
    },
    addPod: (state, _podToSchedule, podInfo, nodeInfo) => update(state, podInfo.pod, nodeInfo.node, 1),
    removePod: (state, _podToSchedule, podInfo, nodeInfo) => update(state, podInfo.pod, nodeInfo.node, -1),
    filter: (state, pod, nodeInfo, snapshot) => {
      let s = state.read<PreFilterState>(PRE_FILTER_KEY)
      if (s === undefined) {
        // Called without PreFilter (or after its Skip): compute the state once here.
        s = computePreFilterState(pod, podAffinityTerms(pod), snapshot, listers)
        if (s === undefined) return success()
        state.write(PRE_FILTER_KEY, s)
      }
      return filterNode(s, nodeInfo, listers)
    },
    preScore: (state, pod, _nodes, snapshot) => {
      const terms = podAffinityTerms(pod)
      const hasConstraints = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0
      if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return skip()
      if (terms.error !== undefined) throw new Error(`failed to parse pod: ${terms.error}`)
      const m = computeTopologyScore(pod, terms, snapshot, args, listers)
      if (m === undefined) return skip()
      state.write(PRE_SCORE_KEY, m)
      return success()
    },
    ...nodeScores(state => {
      const m = state.read<TopologyScore>(PRE_SCORE_KEY)
      if (m === undefined) throw new Error(`failed to read "${PRE_SCORE_KEY}" from cycleState: not found`)
      return nodeInfo => scoreNode(m, nodeInfo.node)
    }),
    normalizeScore: (state, _pod, scores) => {
      const m = state.read<TopologyScore>(PRE_SCORE_KEY)
      if (m === undefined) throw new Error(`failed to read "${PRE_SCORE_KEY}" from cycleState: not found`)
      normalizeScores(scores)
      return success()
    },
  })
}
