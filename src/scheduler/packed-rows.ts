// The rows behind NodeInfo.packed (node-info.ts PACKED) for the cache's nodes: one Float64Array
// for all, a node's row at NodeInfo.packedAt in it (not a view per node: one more object to
// reach), so the numbers a pod's Filter and Score read for the nodes in turn lie side by side in
// memory rather than each in its own small allocation (each a cache miss: the largest cost of
// NodeResourcesFit at 5,000 nodes). A node keeps its slot while it exists (its NodeInfo is
// updated in place); a removed node's NodeInfo gets a copy of its row first, so whoever still
// holds it reads what it read before, never the numbers of the node that takes the slot next.
import type { NodeInfo } from './types.ts'
import { PACKED_LENGTH } from './node-info.ts'

export class PackedRows {
  private data = new Float64Array(PACKED_LENGTH * 1024)
  private readonly slots = new Map<string, number>()
  private readonly freed: number[] = []
  private next = 0

  /** The array holding every row (a new one after it grows). */
  get buffer (): Float64Array { return this.data }

  /**
   * The row of node `name` (a new slot for a new name), for newNodeInfo. `current` gives the
   * NodeInfo using each name's row now, which is pointed at the new array when it grows.
   */
  take (name: string, current: (name: string) => NodeInfo | undefined): { packed: Float64Array, at: number } {
    let slot = this.slots.get(name)
    if (slot === undefined) {
      slot = this.freed.pop() ?? this.next++
      if ((slot + 1) * PACKED_LENGTH > this.data.length) this.grow(current)
      this.slots.set(name, slot)
    }
    return { packed: this.data, at: slot * PACKED_LENGTH }
  }

  /** Give `info` its own copy of its row: it no longer follows the node. */
  release (info: NodeInfo): void {
    if (info.packed !== this.data) return
    const at = info.packedAt ?? 0
    info.packed = this.data.slice(at, at + PACKED_LENGTH)
    info.packedAt = 0
  }

  /** The node is gone: its slot is free for another (release its NodeInfo first). */
  free (name: string): void {
    const slot = this.slots.get(name)
    if (slot === undefined) return
    this.slots.delete(name)
    this.data.fill(0, slot * PACKED_LENGTH, (slot + 1) * PACKED_LENGTH)
    this.freed.push(slot)
  }

  private grow (current: (name: string) => NodeInfo | undefined): void {
    const old = this.data
    this.data = new Float64Array(old.length * 2)
    this.data.set(old)
    for (const name of this.slots.keys()) {
      const info = current(name)
      if (info !== undefined && info.packed === old) info.packed = this.data
    }
  }
}
