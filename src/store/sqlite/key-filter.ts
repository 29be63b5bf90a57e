// A Bloom filter of every key the log holds rows for: "surely absent" or "maybe present".
// Every create first reads its key's newest row, and a new key (each Event, each Pod named by
// generateName) has none: the filter answers those without a query (~3.5 µs each, a sixth of a
// create's SQLite time). No false "absent": every key is added when its first row is appended
// or found at open, and a key whose rows compaction removed only stays a "maybe".
import { digest } from '../../util/digest.ts'

/** Bits per key kept: ~1 % false "maybe" with 4 probes. */
const BITS_PER_KEY = 10
const PROBES = 4
const MIN_BITS = 2 ** 16

export class KeyFilter {
  private bits: Uint32Array
  private mask: number
  private keys = 0
  private readonly source: () => Iterable<string>

  /** `source`: every key the log holds rows for, read again when the filter grows. */
  constructor (source: () => Iterable<string>) {
    this.source = source
    this.bits = new Uint32Array(MIN_BITS / 32)
    this.mask = MIN_BITS - 1
    this.rebuild(MIN_BITS)
  }

  /** False only when no row of `key` was ever appended or found. */
  mightHave (key: string): boolean {
    const h = digest(key)
    const h1 = h >>> 0
    const h2 = (Math.floor(h / 4294967296) | 1) >>> 0
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false
    }
    return true
  }

  /**
   * Record a key whose row was just appended (and is visible to the source). `first`: its first
   * row (a create), which counts towards growing the filter; any other row is set again, harmless.
   */
  add (key: string, first: boolean): void {
    // Counted once per distinct key (a re-created one is already in): the filter grows with keys, not creates.
    const fresh = first && !this.mightHave(key)
    this.set(key)
    if (fresh && ++this.keys * BITS_PER_KEY > this.bits.length * 32) this.rebuild(this.bits.length * 32 * 2)
  }

  private set (key: string): void {
    const h = digest(key)
    const h1 = h >>> 0
    const h2 = (Math.floor(h / 4294967296) | 1) >>> 0
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask
      this.bits[bit >>> 5] |= 1 << (bit & 31)
    }
  }

  /** Refill from the source with at least `minBits` bits, enough for every key it lists. */
  private rebuild (minBits: number): void {
    const all = [...this.source()]
    let size = minBits
    while (all.length * BITS_PER_KEY * 2 > size) size *= 2
    this.bits = new Uint32Array(size / 32)
    this.mask = size - 1
    for (const key of all) this.set(key)
    this.keys = all.length
  }
}
