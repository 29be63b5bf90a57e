// A score plugin's `score` and `scoreAll` from one definition. `prepare` reads what the cycle
// computed (PreScore state) once and returns a function giving one node's raw score; scoreAll —
// what the framework calls — scores every node with one preparation, without a wrapper call and
// a { score, status } object per node (nodes x plugins per pod: thousands).
import type { KubeObject } from '../../../api/object.ts'
import { success, type CycleState, type NodeInfo, type ScorePlugin, type Snapshot } from '../../types.ts'

export function nodeScores (prepare: (state: CycleState, pod: KubeObject, snapshot: Snapshot) => (node: NodeInfo) => number): Pick<ScorePlugin, 'score' | 'scoreAll'> {
  return {
    score: (state, pod, node, snapshot) => ({ score: prepare(state, pod, snapshot)(node), status: success() }),
    scoreAll: (state, pod, nodes, snapshot, out) => {
      const scoreOf = prepare(state, pod, snapshot)
      for (let i = 0; i < nodes.length; i++) out[i] = scoreOf(nodes[i])
      return success()
    },
  }
}
