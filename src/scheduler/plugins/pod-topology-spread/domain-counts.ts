// Matching pods summed per topology value over every node, kept up to date from the scheduler
// cache's change log (Snapshot.changes): PreScore needs these sums for every pod scheduled, and
// recounting every node per pod was most of spreading's cost at thousands of nodes (upstream
// recounts in parallel). Only for constraints where every node counts: no inclusion policy
// excludes one and no node is skipped for missing another constraint's key.
import type { Selector } from '../../../api/labels.ts'
import type { Snapshot } from '../../types.ts'
import { countMatchingOnNode } from './constraints.ts'

type Value = string | undefined

/** The sums kept per node only (no label is named this, so the totals are all under undefined). */
const PER_NODE = '\u0000node'

interface Sums {
  version: number
  /** Matching pods per node (a number, not an object: Score reads it for every node and pod). */
  byNode: Map<string, number>
  /** Each node's topology value, to take its count out of the totals when it changes. */
  valueOf: Map<string, Value>
  totals: Map<Value, number>
}

export class DomainCounts {
  /** By topology key, namespace and selector; least recently used first. */
  private readonly sums = new Map<string, Sums>()
  private readonly max: number

  constructor (max = 64) { this.max = max }

  /**
   * Pods in `ns` matching `selector` per value of `topologyKey` (undefined: nodes without the
   * label), over all nodes; undefined when the snapshot cannot report its changes. `memoKey` is
   * countMatchingOnNode's key for the selector and namespace.
   */
  totals (snapshot: Snapshot, topologyKey: string, selector: Selector, ns: string, memoKey: string): ReadonlyMap<Value, number> | undefined {
    return this.sumsFor(snapshot, topologyKey, selector, ns, memoKey)?.totals
  }

  /**
   * Pods in `ns` matching `selector` on each node, by node name (what a hostname constraint
   * scores): one map lookup per node scored instead of recounting or a per-node memo.
   */
  onNodes (snapshot: Snapshot, selector: Selector, ns: string, memoKey: string): ReadonlyMap<string, number> | undefined {
    return this.sumsFor(snapshot, PER_NODE, selector, ns, memoKey)?.byNode
  }

  private sumsFor (snapshot: Snapshot, topologyKey: string, selector: Selector, ns: string, memoKey: string): Sums | undefined {
    if (snapshot.changes === undefined) return undefined
    const key = `${topologyKey}\u0000${memoKey}`
    const known = this.sums.get(key)
    const { version, names } = snapshot.changes(known?.version ?? -1)
    if (known !== undefined) this.sums.delete(key) // re-inserted below: most recently used
    let s: Sums
    if (known === undefined || names === undefined) {
      s = { version, byNode: new Map(), valueOf: new Map(), totals: new Map() }
      for (const ni of snapshot.nodes) add(s, ni.name, ni.node.metadata.labels?.[topologyKey], countMatchingOnNode(ni, selector, ns, memoKey))
    } else {
      s = known
      for (const name of new Set(names)) {
        const old = s.byNode.get(name)
        if (old !== undefined) {
          const value = s.valueOf.get(name)
          s.byNode.delete(name)
          s.valueOf.delete(name)
          s.totals.set(value, s.totals.get(value)! - old)
        }
        const ni = snapshot.get(name)
        if (ni !== undefined) add(s, name, ni.node.metadata.labels?.[topologyKey], countMatchingOnNode(ni, selector, ns, memoKey))
      }
      s.version = version
    }
    this.sums.set(key, s)
    if (this.sums.size > this.max) this.sums.delete(this.sums.keys().next().value!)
    return s
  }
}

function add (s: Sums, name: string, value: Value, count: number): void {
  s.byNode.set(name, count)
  s.valueOf.set(name, value)
  s.totals.set(value, (s.totals.get(value) ?? 0) + count)
}
