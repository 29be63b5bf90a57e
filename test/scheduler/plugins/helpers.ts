// Runs plugins the way the framework does, for table-driven tests.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { PackedCheck } from '../../../src/scheduler/framework.ts'
import { newNodeInfo, newSnapshot, PACKED_LENGTH } from '../../../src/scheduler/node-info.ts'
import { CycleState, type FilterPlugin, type NodeInfo, type NodeRows, type PreFilterPlugin, type PreFilterResult, type PreScorePlugin, type ScorePlugin, type Snapshot, type Status } from '../../../src/scheduler/types.ts'

/** NodeInfos for the nodes, each with the pods whose spec.nodeName names it. */
export function nodeInfos (nodes: KubeObject[], pods: KubeObject[] = []): NodeInfo[] {
  return nodes.map((n) => newNodeInfo(n, pods.filter((p) => (p as any).spec?.nodeName === n.metadata.name)))
}

export const snapshotOf = (nodes: KubeObject[], pods: KubeObject[] = []): Snapshot => newSnapshot(nodeInfos(nodes, pods))

/** The same, with NodeInfos that have no packed numbers (as if built by hand): the plugins' slow paths. */
export const unpackedSnapshotOf = (nodes: KubeObject[], pods: KubeObject[] = []): Snapshot =>
  newSnapshot(nodeInfos(nodes, pods).map(ni => ({ ...ni, packed: undefined, packedAt: undefined })))

/** The status without the optional `plugin` field, for deepEqual. */
export const bare = (s: Status | undefined): Status | undefined => (s === undefined ? undefined : { code: s.code, reasons: s.reasons })

/** PreFilter (when the plugin has one) then Filter on one node; Filter is not run after Skip or a failure. */
export function runFilter (plugin: FilterPlugin & Partial<PreFilterPlugin>, pod: KubeObject, nodeInfo: NodeInfo, snapshot: Snapshot = newSnapshot([nodeInfo])): { preFilter?: PreFilterResult, filter?: Status } {
  const state = new CycleState()
  let preFilter: PreFilterResult | undefined
  if (plugin.preFilter) {
    preFilter = plugin.preFilter(state, pod, snapshot)
    if (preFilter.status.code !== 'Success') return { preFilter }
  }
  const filter = plugin.filter(state, pod, nodeInfo, snapshot)
  // The framework's shortcut must never pass a node the filter refuses, in every table case.
  const pass = plugin.packedPass?.(state, pod)
  if (pass !== undefined && nodeInfo.packed !== undefined && new PackedCheck(pass.zero ?? [], pass.room ?? []).passes(nodeInfo.packed, nodeInfo.packedAt ?? 0)) {
    assert.equal(filter.code, 'Success', `packedPass passed ${nodeInfo.name}, the filter said ${filter.reasons.join(', ')}`)
  }
  return { preFilter, filter }
}

/** The NodeInfos' packed rows copied side by side into one array, as the scheduler cache keeps them. */
export function rowsOf (nodes: NodeInfo[]): NodeRows | undefined {
  if (nodes.some(ni => ni.packed === undefined)) return undefined
  const packed = new Float64Array(nodes.length * PACKED_LENGTH)
  nodes.forEach((ni, i) => packed.set(ni.packed!.subarray(ni.packedAt ?? 0, (ni.packedAt ?? 0) + PACKED_LENGTH), i * PACKED_LENGTH))
  return { packed, at: nodes.map((_, i) => i * PACKED_LENGTH) }
}

/** The filter status only, Success when PreFilter skipped the plugin. */
export function filterStatus (plugin: FilterPlugin & Partial<PreFilterPlugin>, pod: KubeObject, nodeInfo: NodeInfo, snapshot?: Snapshot): Status {
  const r = runFilter(plugin, pod, nodeInfo, snapshot)
  if (r.filter) return bare(r.filter)!
  return bare(r.preFilter!.status.code === 'Skip' ? { code: 'Success', reasons: [] } : r.preFilter!.status)!
}

/**
 * PreScore (over `filtered`, default all nodes), Score per filtered node, NormalizeScore.
 * `scores` is undefined when PreScore did not succeed.
 */
export function scoreNodes (plugin: ScorePlugin & Partial<PreScorePlugin>, pod: KubeObject, snapshot: Snapshot, opts: { filtered?: NodeInfo[], preScore?: boolean } = {}): { preScore?: Status, scores?: Record<string, number> } {
  const state = new CycleState()
  const filtered = opts.filtered ?? snapshot.nodes
  let preScore: Status | undefined
  if (plugin.preScore && opts.preScore !== false) {
    preScore = bare(plugin.preScore(state, pod, filtered, snapshot))
    if (preScore!.code !== 'Success') return { preScore }
  }
  const list = { names: filtered.map(ni => ni.name), scores: new Float64Array(filtered.length) }
  filtered.forEach((ni, i) => {
    const { score, status } = plugin.score(state, pod, ni, snapshot)
    if (status.code !== 'Success') throw new Error(`score ${ni.name}: ${status.reasons.join(', ')}`)
    list.scores[i] = score
  })
  if (plugin.scoreAll) {
    // The framework's path must give exactly the node-by-node scores, in every table case.
    const all = new Float64Array(filtered.length)
    const status = plugin.scoreAll(state, pod, filtered, snapshot, all)
    if (status.code !== 'Success') throw new Error(`scoreAll: ${status.reasons.join(', ')}`)
    assert.deepEqual([...all], [...list.scores], 'scoreAll = score node by node')
    const rows = rowsOf(filtered)
    if (rows !== undefined) {
      const fromRows = new Float64Array(filtered.length)
      plugin.scoreAll(state, pod, filtered, snapshot, fromRows, rows)
      assert.deepEqual([...fromRows], [...list.scores], 'scoreAll from packed rows = score node by node')
    }
  }
  if (plugin.normalizeScore) {
    const status = plugin.normalizeScore(state, pod, list)
    if (status.code !== 'Success') throw new Error(`normalizeScore: ${status.reasons.join(', ')}`)
  }
  return { preScore, scores: Object.fromEntries(list.names.map((name, i) => [name, list.scores[i]])) }
}
