// A score plugin's `score` and `scoreAll` from one definition. `prepare` reads what the cycle
// computed (PreScore state) once and returns a function giving one node's raw score; scoreAll —
// what the framework calls — scores every node with one preparation, without a wrapper call and
// a { score, status } object per node (nodes x plugins per pod: thousands). `prepareRows`, when
// the plugin has one, scores all the nodes in a loop of its own — from their packed rows where it
// can, else from their NodeInfos — rather than this shared loop, whose call to each plugin's
// scorer V8 cannot inline once several plugins use it; it returns undefined for a pod it cannot
// score so, and `prepare` then scores them. The framework passes rows when it has them.
import type { KubeObject } from '../../../api/object.ts'
import { success, type CycleState, type NodeInfo, type NodeRows, type ScorePlugin, type Snapshot } from '../../types.ts'

export type RowsScorer = (nodes: NodeInfo[], rows: NodeRows, out: Float64Array) => void

export function nodeScores (
  prepare: (state: CycleState, pod: KubeObject, snapshot: Snapshot) => (node: NodeInfo) => number,
  prepareRows?: (state: CycleState, pod: KubeObject, snapshot: Snapshot) => RowsScorer | undefined,
): Pick<ScorePlugin, 'score' | 'scoreAll'> {
  return {
    score: (state, pod, node, snapshot) => ({ score: prepare(state, pod, snapshot)(node), status: success() }),
    scoreAll: (state, pod, nodes, snapshot, out, rows) => {
      const fromRows = rows === undefined ? undefined : prepareRows?.(state, pod, snapshot)
      if (fromRows !== undefined) {
        fromRows(nodes, rows!, out)
        return success()
      }
      const scoreOf = prepare(state, pod, snapshot)
      for (let i = 0; i < nodes.length; i++) out[i] = scoreOf(nodes[i])
      return success()
    },
  }
}
