// The rows behind NodeInfo.packed (node-info.ts PACKED) for the cache's nodes: one Float64Array
// for all, a node's row a view into it, so the numbers a pod's Filter and Score read for the
// nodes in turn lie side by side in memory rather than each in its own small allocation (each a
// cache miss: the largest cost of NodeResourcesFit at 5,000 nodes). A node keeps its slot while
// it exists; a NodeInfo replaced or removed gets a copy of its row first, so a scheduling cycle
// that still holds it reads what it read before, never another node's numbers.
import type { NodeInfo } from './types.ts'
import { PACKED_LENGTH } from './node-info.ts'

export class PackedRows {
  private buffer = new Float64Array(PACKED_LENGTH * 1024)
  private readonly slots = new Map<string, number>()
  private readonly freed: number[] = []
  private next = 0

  /**
   * The row of node `name` (a new slot for a new name). `current` gives the NodeInfo using each
   * name's row now, whose view is remade when the buffer grows.
   */
  take (name: string, current: (name: string) => NodeInfo | undefined): Float64Array {
    let slot = this.slots.get(name)
    if (slot === undefined) {
      slot = this.freed.pop() ?? this.next++
      if ((slot + 1) * PACKED_LENGTH > this.buffer.length) this.grow(current)
      this.slots.set(name, slot)
    }
    return this.view(slot)
  }

  /** Give `info` its own copy of its row: it no longer follows the node. */
  release (info: NodeInfo): void {
    if (info.packed !== undefined) info.packed = Float64Array.from(info.packed)
  }

  /** The node is gone: its slot is free for another (release its NodeInfo first). */
  free (name: string): void {
    const slot = this.slots.get(name)
    if (slot === undefined) return
    this.slots.delete(name)
    this.buffer.fill(0, slot * PACKED_LENGTH, (slot + 1) * PACKED_LENGTH)
    this.freed.push(slot)
  }

  private view (slot: number): Float64Array {
    return this.buffer.subarray(slot * PACKED_LENGTH, (slot + 1) * PACKED_LENGTH)
  }

  private grow (current: (name: string) => NodeInfo | undefined): void {
    const old = this.buffer
    this.buffer = new Float64Array(old.length * 2)
    this.buffer.set(old)
    for (const [name, slot] of this.slots) {
      const info = current(name)
      // Only a NodeInfo still on its row (not one released while its successor is being made).
      if (info?.packed?.buffer === old.buffer) info.packed = this.view(slot)
    }
  }
}
