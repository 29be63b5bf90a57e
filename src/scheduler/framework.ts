// Running one profile's plugins over a pod: PreFilter, Filter (first failure per node ends its
// check), PostFilter, PreScore, Score with normalization and weights — and the host selection.
import type { KubeObject } from '../api/object.ts'
import { CycleState, errorStatus, type PreFilterResult, isSuccess, success, MAX_NODE_SCORE, type FilterPlugin, type NodeInfo, type NodeRows, type NodeScores, type PackedPass, type PostFilterPlugin, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin, type ScorePlugin, type Snapshot, type Status } from './types.ts'

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
  private raw = new Float64Array(0)

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
   * The cycle's filters' packed conditions (PackedPass) as one check, or undefined when one of
   * them has none for this pod (every node then runs the filters).
   */
  packedCheck (state: CycleState, pod: KubeObject, filters: FilterPlugin[]): PackedCheck | undefined {
    const zero: number[] = []
    const room: Array<{ need: number, allocatable: number, used: number }> = []
    for (const p of filters) {
      let pass: PackedPass | undefined
      try { pass = p.packedPass?.(state, pod) } catch { pass = undefined }
      if (pass === undefined) return undefined
      zero.push(...(pass.zero ?? []))
      room.push(...(pass.room ?? []))
    }
    return new PackedCheck(zero, room)
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

  /** Weighted sum of normalized scores per node, aligned with `nodes` (and `rows`, when given). */
  runScore (state: CycleState, pod: KubeObject, nodes: NodeInfo[], snapshot: Snapshot, rows?: NodeRows): Float64Array {
    for (const p of this.profile.preScore) {
      const s = guarded(p.name, () => p.preScore(state, pod, nodes, snapshot), e => e)
      if (s.code === 'Skip') skipped(state, 'score').add(p.name)
    }
    const totals = new Float64Array(nodes.length)
    // Each plugin's raw scores, in an array kept for the next cycles (filled before it is read).
    if (this.raw.length !== nodes.length) this.raw = new Float64Array(nodes.length)
    const raw = this.raw
    let list: NodeScores | undefined
    const skip = state.read<Set<string>>('framework/skip/score')
    for (const { plugin, weight } of this.profile.score) {
      if (skip?.has(plugin.name) === true) continue
      const all = plugin.scoreAll === undefined ? undefined : guarded(plugin.name, () => plugin.scoreAll!(state, pod, nodes, snapshot, raw, rows), e => e)
      if (all === undefined || !isSuccess(all)) {
        for (let i = 0; i < nodes.length; i++) {
          // Inline rather than guarded(): this loop runs nodes x plugins times per pod.
          try { raw[i] = plugin.score(state, pod, nodes[i], snapshot).score } catch { raw[i] = 0 }
        }
      }
      if (plugin.normalizeScore !== undefined) {
        list ??= scoreList(nodes, raw)
        guarded(plugin.name, () => plugin.normalizeScore!(state, pod, list!), e => e)
      }
      addWeighted(totals, raw, weight)
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

/** PackedPass conditions merged: `passes` is true when the row at `o` meets all of them. */
export class PackedCheck {
  // Plain arrays: one check is built per scheduling cycle, and typed arrays cost more to make.
  private readonly zero: number[]
  private readonly need: number[]
  private readonly allocatable: number[]
  private readonly used: number[]

  constructor (zero: number[], room: Array<{ need: number, allocatable: number, used: number }>) {
    this.zero = zero
    this.need = room.map(r => r.need)
    this.allocatable = room.map(r => r.allocatable)
    this.used = room.map(r => r.used)
  }

  passes (packed: Float64Array, o: number): boolean {
    const zero = this.zero
    for (let i = 0; i < zero.length; i++) if (packed[o + zero[i]] !== 0) return false
    const need = this.need
    for (let i = 0; i < need.length; i++) if (need[i] > packed[o + this.allocatable[i]] - packed[o + this.used[i]]) return false
    return true
  }
}

/** totals += each score, clamped to 0–MAX_NODE_SCORE, times weight. */
function addWeighted (totals: Float64Array, scores: Float64Array, weight: number): void {
  for (let i = 0; i < totals.length; i++) {
    const s = scores[i]
    totals[i] += (s < 0 ? 0 : s > MAX_NODE_SCORE ? MAX_NODE_SCORE : s) * weight
  }
}

/** NodeScores over `nodes` whose names are read only if a normalizer asks (each a NodeInfo to reach). */
function scoreList (nodes: NodeInfo[], scores: Float64Array): NodeScores {
  let names: string[] | undefined
  return { scores, get names () { return (names ??= nodes.map(n => n.name)) } }
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
