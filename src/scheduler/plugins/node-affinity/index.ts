/**
 * NodeAffinity. PreFilter: required terms pinning `metadata.name` (matchFields, as DaemonSet pods
 * have) narrow the candidate nodes; a pod with no nodeSelector and no required affinity skips the
 * filter. Filter: spec.nodeSelector AND required node affinity (any term). Score: sum of the
 * weights of matching preferred terms, normalized to 0–100 by the highest.
 * Args (NodeAffinityArgs): `addedAffinity` applied to every pod, as upstream.
 */
import type { KubeObject } from '../../../api/object.ts'
import { type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, skip, success, unresolvable } from '../../types.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import { defaultNormalizeScore } from '../shared/normalize.ts'
import { lazyNodeSelector, type NodeSelectorTerm, preferredSchedulingTerms, type PreferredSchedulingTerm, requiredNodeAffinity, type RequiredNodeAffinity } from '../shared/node-selector.ts'
import type { PluginOptions } from '../shared/options.ts'

export const NAME = 'NodeAffinity'
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict'
const PRE_FILTER_KEY = `PreFilter${NAME}`
const PRE_SCORE_KEY = `PreScore${NAME}`

type Json = Record<string, any>

export type NodeAffinityPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin

const requiredTerms = (pod: KubeObject): NodeSelectorTerm[] | undefined =>
  (pod as Json).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms

/**
 * The node names the required terms allow, when every term pins `metadata.name` with In
 * (intersection within a term, union across terms); undefined when some term does not.
 */
export function pinnedNodeNames (terms: NodeSelectorTerm[]): Set<string> | undefined {
  let names: Set<string> | undefined
  for (const t of terms) {
    let termNames: Set<string> | undefined
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue
      const s = new Set(r.values ?? [])
      termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)))
    }
    if (termNames === undefined) return undefined
    names = new Set([...(names ?? []), ...termNames])
  }
  return names
}

export function newNodeAffinity (options: PluginOptions = {}): NodeAffinityPlugin {
  const added: Json | undefined = options.args?.addedAffinity
  const addedRequired = added?.requiredDuringSchedulingIgnoredDuringExecution
  const addedNodeSelector = addedRequired ? lazyNodeSelector(addedRequired.nodeSelectorTerms ?? []) : undefined
  const addedPreferred: PreferredSchedulingTerm[] = added?.preferredDuringSchedulingIgnoredDuringExecution ?? []
  const addedPreferredScore = addedPreferred.length > 0 ? preferredSchedulingTerms(addedPreferred) : undefined

  const podPreferred = (pod: KubeObject): ((node: KubeObject) => number) | undefined => {
    const terms = (pod as Json).spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution
    return terms ? preferredSchedulingTerms(terms) : undefined
  }

  return guard<NodeAffinityPlugin>({
    name: NAME,
    preFilter: (state, pod) => {
      const terms = requiredTerms(pod)
      const nodeSelector = (pod as Json).spec?.nodeSelector
      if (terms === undefined && !addedNodeSelector && (nodeSelector === undefined || nodeSelector === null)) return { status: skip() }
      state.write(PRE_FILTER_KEY, requiredNodeAffinity(pod))
      if (terms === undefined || terms.length === 0) return { status: success() }
      const names = pinnedNodeNames(terms)
      if (names !== undefined && names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) }
      return names !== undefined ? { status: success(), nodeNames: names } : { status: success() }
    },
    filter: (state, pod, nodeInfo) => {
      if (addedNodeSelector && !addedNodeSelector(nodeInfo.node)) return unresolvable(ERR_REASON_ENFORCED)
      const required = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY) ?? requiredNodeAffinity(pod)
      return required.match(nodeInfo.node) ? success() : unresolvable(ERR_REASON_POD)
    },
    preScore: (state, pod) => {
      const preferred = podPreferred(pod)
      if (!preferred && !addedPreferredScore) return skip()
      state.write(PRE_SCORE_KEY, { preferred })
      return success()
    },
    ...nodeScores((state, pod) => {
      const s = state.read<{ preferred?: (node: KubeObject) => number }>(PRE_SCORE_KEY) ?? { preferred: podPreferred(pod) }
      return nodeInfo => {
        let count = addedPreferredScore ? addedPreferredScore(nodeInfo.node) : 0
        if (s.preferred) count += s.preferred(nodeInfo.node)
        return count
      }
    }),
    normalizeScore: (_state, _pod, scores) => {
      defaultNormalizeScore(scores, false)
      return success()
    },
  })
}
