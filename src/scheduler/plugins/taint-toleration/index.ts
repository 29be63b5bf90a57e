/**
 * TaintToleration. Filter: the first NoSchedule/NoExecute taint (spec order) no toleration
 * tolerates rejects the node, naming it (`{key: value}`, empty value → `{key: }`; v1.32 wording).
 * Score: the number of PreferNoSchedule taints not tolerated, normalized in reverse (fewest wins).
 */
import type { KubeObject } from '../../../api/object.ts'
import type { CycleState, FilterPlugin, NodeInfo, PreScorePlugin, ScorePlugin } from '../../types.ts'
import { PACKED, packedOf } from '../../node-info.ts'
import { success, unresolvable } from '../../types.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import { defaultNormalizeScore } from '../shared/normalize.ts'
import { doNotSchedule, findUntoleratedTaint, nodeTaints, podTolerations, type Taint, type Toleration, tolerationsTolerateTaint } from '../shared/taints.ts'

export const NAME = 'TaintToleration'
const PRE_SCORE_KEY = `PreScore${NAME}`

export const untoleratedTaintReason = (t: Taint): string => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`

/** Tolerations that can tolerate PreferNoSchedule (that effect or none). */
const preferNoScheduleTolerations = (tolerations: Toleration[]): Toleration[] =>
  tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule')

/** countIntolerableTaintsPreferNoSchedule */
export function countIntolerablePreferNoSchedule (taints: Taint[], tolerations: Toleration[]): number {
  return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)).length
}

/** No taints, by the packed count (node-info.ts): the node object is not read for most nodes. */
const untainted = (ni: NodeInfo): boolean => packedOf(ni, PACKED.taints) === 0

const tolerationsOf = (state: CycleState, pod: KubeObject): Toleration[] => state.read<Toleration[]>(PRE_SCORE_KEY) ?? preferNoScheduleTolerations(podTolerations(pod))

export type TaintTolerationPlugin = FilterPlugin & PreScorePlugin & ScorePlugin

export function newTaintToleration (): TaintTolerationPlugin {
  return guard<TaintTolerationPlugin>({
    name: NAME,
    filter: (_state, pod, nodeInfo) => {
      if (untainted(nodeInfo)) return success()
      const taint = findUntoleratedTaint(nodeTaints(nodeInfo.node), podTolerations(pod), doNotSchedule)
      return taint ? unresolvable(untoleratedTaintReason(taint)) : success()
    },
    // An untainted node passes whatever the tolerations; a tainted one runs the filter.
    packedPass: () => ({ zero: [PACKED.taints] }),
    preScore: (state, pod, nodes) => {
      if (nodes.length > 0) state.write(PRE_SCORE_KEY, preferNoScheduleTolerations(podTolerations(pod)))
      return success()
    },
    ...nodeScores((state, pod) => {
      const tolerations = tolerationsOf(state, pod)
      return nodeInfo => untainted(nodeInfo) ? 0 : countIntolerablePreferNoSchedule(nodeTaints(nodeInfo.node), tolerations)
    }, (state, pod) => (nodes, rows, out) => {
      // Most nodes have no taints: their count is 0 without reading the node.
      let tolerations: Toleration[] | undefined
      for (let i = 0; i < nodes.length; i++) {
        out[i] = rows.packed[rows.at[i] + PACKED.taints] === 0 ? 0 : countIntolerablePreferNoSchedule(nodeTaints(nodes[i].node), tolerations ??= tolerationsOf(state, pod))
      }
    }),
    normalizeScore: (_state, _pod, scores) => {
      defaultNormalizeScore(scores, true)
      return success()
    },
  })
}
