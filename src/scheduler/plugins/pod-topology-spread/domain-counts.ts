// Matching pods summed per topology value over every node, kept up to date from the scheduler
// cache's change log (Snapshot.changes): PreScore needs these sums for every pod scheduled, and
// recounting every node per pod was most of spreading's cost at thousands of nodes (upstream
// recounts in parallel). Only for constraints where every node counts: no inclusion policy
// excludes one and no node is skipped for missing another constraint's key.
import type { Selector } from '../../../api/labels.ts'
import { PACKED_LENGTH } from '../../node-info.ts'
import type { NodeInfo, Snapshot } from '../../types.ts'
import { countMatchingOnNode } from './constraints.ts'

type Value = string | undefined

/** The sums kept per node only (no label is named this, so the totals are all under undefined). */
const PER_NODE = '\u0000node'

/** What valueOn returns for a node these sums do not count. */
export const NOT_COUNTED = Symbol('not counted')

/** A cache node's slot: the index of its packed row (packed-rows.ts), stable while it exists. */
const slotOf = (ni: NodeInfo): number => ((ni.packedAt ?? 0) / PACKED_LENGTH) | 0

/**
 * One selector's matching pods over every node: the total per topology value, and per node (by
 * its slot, not its name: Score reads it for hundreds of nodes per pod, and arrays read in node
 * order beat a 5,000-entry map). A slot's entry is trusted only for the NodeInfo it was taken
 * for, so any other NodeInfo (a copy, one built by hand) is counted by the caller.
 */
export class DomainSums {
  version = -1
  readonly totals = new Map<Value, number>()
  private readonly owners: Array<NodeInfo | undefined> = []
  private readonly counts: number[] = []
  private readonly values: Value[] = []
  /** Each counted node's slot, by name: to take a changed or removed node's count out. */
  private readonly slots = new Map<string, number>()

  /** Matching pods on `ni`; undefined when `ni` is not a node counted here. */
  countOn (ni: NodeInfo): number | undefined {
    const slot = slotOf(ni)
    return this.owners[slot] === ni ? this.counts[slot] : undefined
  }

  /** `ni`'s topology value (undefined: it lacks the label); NOT_COUNTED when not counted here. */
  valueOn (ni: NodeInfo): Value | typeof NOT_COUNTED {
    const slot = slotOf(ni)
    return this.owners[slot] === ni ? this.values[slot] : NOT_COUNTED
  }

  put (ni: NodeInfo, value: Value, count: number): void {
    const slot = slotOf(ni)
    const previous = this.owners[slot]
    // A slot freed by a removed node and taken by a new one before the removal was applied.
    if (previous !== undefined) this.remove(previous.name)
    while (this.owners.length <= slot) { this.owners.push(undefined); this.counts.push(0); this.values.push(undefined) }
    this.owners[slot] = ni
    this.counts[slot] = count
    this.values[slot] = value
    this.slots.set(ni.name, slot)
    this.totals.set(value, (this.totals.get(value) ?? 0) + count)
  }

  remove (name: string): void {
    const slot = this.slots.get(name)
    if (slot === undefined) return
    this.slots.delete(name)
    const value = this.values[slot]
    this.totals.set(value, this.totals.get(value)! - this.counts[slot])
    this.owners[slot] = undefined
    this.counts[slot] = 0
    this.values[slot] = undefined
  }
}

export class DomainCounts {
  /** By topology key, namespace and selector; least recently used first. */
  private readonly sums = new Map<string, DomainSums>()
  private readonly max: number

  constructor (max = 64) { this.max = max }

  /**
   * Pods in `ns` matching `selector` per value of `topologyKey` (undefined: nodes without the
   * label), over all nodes; undefined when the snapshot cannot report its changes. `memoKey` is
   * countMatchingOnNode's key for the selector and namespace.
   */
  totals (snapshot: Snapshot, topologyKey: string, selector: Selector, ns: string, memoKey: string): DomainSums | undefined {
    return this.sumsFor(snapshot, topologyKey, selector, ns, memoKey)
  }

  /** Pods in `ns` matching `selector` on each node (what a hostname constraint scores): countOn. */
  onNodes (snapshot: Snapshot, selector: Selector, ns: string, memoKey: string): DomainSums | undefined {
    return this.sumsFor(snapshot, PER_NODE, selector, ns, memoKey)
  }

  private sumsFor (snapshot: Snapshot, topologyKey: string, selector: Selector, ns: string, memoKey: string): DomainSums | undefined {
    if (snapshot.changes === undefined) return undefined
    const key = `${topologyKey}\u0000${memoKey}`
    const known = this.sums.get(key)
    const { version, names } = snapshot.changes(known?.version ?? -1)
    if (known !== undefined) this.sums.delete(key) // re-inserted below: most recently used
    let s: DomainSums
    if (known === undefined || names === undefined) {
      s = new DomainSums()
      for (const ni of snapshot.nodes) s.put(ni, ni.node.metadata.labels?.[topologyKey], countMatchingOnNode(ni, selector, ns, memoKey))
    } else {
      s = known
      for (const name of new Set(names)) {
        s.remove(name)
        const ni = snapshot.get(name)
        if (ni !== undefined) s.put(ni, ni.node.metadata.labels?.[topologyKey], countMatchingOnNode(ni, selector, ns, memoKey))
      }
    }
    s.version = version
    this.sums.set(key, s)
    if (this.sums.size > this.max) this.sums.delete(this.sums.keys().next().value!)
    return s
  }
}
