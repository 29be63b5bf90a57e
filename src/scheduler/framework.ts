// Running one profile's plugins over a pod: PreFilter, Filter (first failure per node ends its
// check), PostFilter, PreScore, Score with normalization and weights — and the host selection.
import type { KubeObject } from '../api/object.ts'
import { CycleState, errorStatus, type PreFilterResult, isSuccess, success, MAX_NODE_SCORE, type FilterPlugin, type NodeInfo, type NodeScores, type PostFilterPlugin, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin, type ScorePlugin, type Snapshot, type Status } from './types.ts'

export interface Profile {
  schedulerName: string
  queueSort: QueueSortPlugin
  preFilter: PreFilterPlugin[]
  filter: FilterPlugin[]
  postFilter: PostFilterPlugin[]
  preScore: PreScorePlugin[]
  score: Array<{ plugin: ScorePlugin, weight: number }>
}

/** A plugin's surprise is an Error status, never an exception (STYLE.md). */
function guarded<T> (plugin: string, fn: () => T, onError: (s: Status) => T): T {
  try {
    return fn()
  } catch (err) {
    return onError({ ...errorStatus(`running plugin ${plugin}: ${err instanceof Error ? err.message : String(err)}`), plugin })
  }
}

export interface PostFilterOutcome { status: Status, nominatedNodeName?: string, message?: string, victims?: KubeObject[] }

export interface PreFilterOutcome {
  status: Status
  /** Nodes the pod may use (undefined: all). */
  nodeNames?: Set<string>
  /** The plugins that narrowed the node set, for `node(s) didn't satisfy plugin(s) [...]`. */
  narrowedBy: string[]
}

export class Framework {
  readonly profile: Profile

  constructor (profile: Profile) { this.profile = profile }

  runPreFilter (state: CycleState, pod: KubeObject, snapshot: Snapshot): PreFilterOutcome {
    let nodeNames: Set<string> | undefined
    const narrowedBy: string[] = []
    for (const p of this.profile.preFilter) {
      const r: PreFilterResult = guarded<PreFilterResult>(p.name, () => p.preFilter(state, pod, snapshot), status => ({ status }))
      if (r.status.code === 'Skip') { skipped(state, 'filter').add(p.name); continue }
      if (!isSuccess(r.status)) return { status: { ...r.status, plugin: p.name }, narrowedBy }
      if (r.nodeNames !== undefined) {
        nodeNames = nodeNames === undefined ? new Set(r.nodeNames) : new Set([...nodeNames].filter(n => r.nodeNames!.has(n)))
        narrowedBy.push(p.name)
      }
    }
    return { status: { code: 'Success', reasons: [] }, nodeNames, narrowedBy }
  }

  /** The filter plugins of this cycle: those whose PreFilter did not return Skip. */
  activeFilters (state: CycleState): FilterPlugin[] {
    const skip = state.read<Set<string>>('framework/skip/filter')
    return skip === undefined || skip.size === 0 ? this.profile.filter : this.profile.filter.filter(p => !skip.has(p.name))
  }

  /**
   * The filters in order; the first failing one ends this node's check. A caller checking many
   * nodes passes `filters` (activeFilters, once per cycle) rather than have each call look it up.
   */
  runFilters (state: CycleState, pod: KubeObject, node: NodeInfo, snapshot: Snapshot, filters = this.activeFilters(state)): Status {
    for (let i = 0; i < filters.length; i++) {
      const p = filters[i]
      let s: Status
      try { s = p.filter(state, pod, node, snapshot) } catch (err) { s = errorStatus(`running plugin ${p.name}: ${err instanceof Error ? err.message : String(err)}`) }
      if (!isSuccess(s)) return { ...s, plugin: p.name }
    }
    return success()
  }

  /** Weighted sum of normalized scores per node, aligned with `nodes`. */
  runScore (state: CycleState, pod: KubeObject, nodes: NodeInfo[], snapshot: Snapshot): Float64Array {
    for (const p of this.profile.preScore) {
      const s = guarded(p.name, () => p.preScore(state, pod, nodes, snapshot), e => e)
      if (s.code === 'Skip') skipped(state, 'score').add(p.name)
    }
    const totals = new Float64Array(nodes.length)
    const raw = new Float64Array(nodes.length)
    let list: NodeScores | undefined
    const skip = state.read<Set<string>>('framework/skip/score')
    for (const { plugin, weight } of this.profile.score) {
      if (skip?.has(plugin.name) === true) continue
      const all = plugin.scoreAll === undefined ? undefined : guarded(plugin.name, () => plugin.scoreAll!(state, pod, nodes, snapshot, raw), e => e)
      if (all === undefined || !isSuccess(all)) {
        for (let i = 0; i < nodes.length; i++) {
          // Inline rather than guarded(): this loop runs nodes x plugins times per pod.
          try { raw[i] = plugin.score(state, pod, nodes[i], snapshot).score } catch { raw[i] = 0 }
        }
      }
      if (plugin.normalizeScore !== undefined) {
        list ??= { names: nodes.map(n => n.name), scores: raw }
        guarded(plugin.name, () => plugin.normalizeScore!(state, pod, list!), e => e)
      }
      for (let i = 0; i < nodes.length; i++) totals[i] += Math.max(0, Math.min(MAX_NODE_SCORE, raw[i])) * weight
    }
    return totals
  }

  runPostFilter (state: CycleState, pod: KubeObject, statuses: Map<string, Status>, snapshot: Snapshot): PostFilterOutcome {
    for (const p of this.profile.postFilter) {
      const r: PostFilterOutcome = guarded<PostFilterOutcome>(p.name, () => p.postFilter(state, pod, statuses, snapshot), status => ({ status }))
      if (isSuccess(r.status) || r.message !== undefined) return r
    }
    return { status: { code: 'Unschedulable', reasons: [] } }
  }
}

/** Plugins that returned Skip at PreFilter/PreScore and sit out this cycle's Filter/Score. */
function skipped (state: CycleState, point: 'filter' | 'score'): Set<string> {
  let set = state.read<Set<string>>(`framework/skip/${point}`)
  if (set === undefined) { set = new Set(); state.write(`framework/skip/${point}`, set) }
  return set
}

/** Upstream's numFeasibleNodesToFind: all nodes below 100, else an adaptive percentage (min 5%). */
export function numFeasibleNodesToFind (numAllNodes: number, percentage = 0): number {
  if (numAllNodes < 100) return numAllNodes
  let pct = percentage
  if (pct === 0) pct = Math.max(5, 50 - Math.floor(numAllNodes / 125))
  const n = Math.floor(numAllNodes * pct / 100)
  return Math.max(n, 100)
}

/** The highest total wins; ties are broken at random (upstream: reservoir sampling). */
export function selectHost (nodes: NodeInfo[], totals: Float64Array, random: (n: number) => number): string {
  let best = -Infinity
  let chosen = ''
  let ties = 0
  for (let i = 0; i < nodes.length; i++) {
    const score = totals[i]
    if (score > best) { best = score; chosen = nodes[i].name; ties = 1 } else if (score === best) {
      ties++
      if (random(ties) === 0) chosen = nodes[i].name
    }
  }
  return chosen
}

export { CycleState }
