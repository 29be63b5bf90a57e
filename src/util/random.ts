// Name suffixes and UIDs from one generator per cluster: seeded (`Cluster.start({ seed })`) it
// gives the same pod names every run; unseeded it draws from crypto.
import { randomFillSync, randomUUID } from 'node:crypto'

/** Upstream's suffix alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

/** Unseeded draws come from a pool of crypto bytes, refilled 4 KiB at a time (one call each). */
const POOL_SIZE = 4096

export class Ids {
  private state: number[] | undefined
  private pool: Uint8Array | undefined
  private used = POOL_SIZE

  constructor (options: { seed?: number } = {}) {
    if (options.seed !== undefined) {
      const s = options.seed >>> 0
      this.state = [0x9e3779b9 ^ s, 0x243f6a88 + s, 0xb7e15162 ^ (s << 7), 0xdeadbeef + (s >>> 3)]
      for (let i = 0; i < 16; i++) this.next32()
    }
  }

  /** A random RFC 4122 v4 UID. */
  uid (): string {
    if (this.state === undefined) return randomUUID()
    const b = this.bytes(16)
    b[6] = (b[6] & 0x0f) | 0x40
    b[8] = (b[8] & 0x3f) | 0x80
    const h = Buffer.from(b).toString('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  }

  /** n characters of upstream's suffix alphabet (generateName uses 5). */
  suffix (n = 5): string {
    let out = ''
    for (const b of this.bytes(n)) out += ALPHANUMS[b % ALPHANUMS.length]
    return out
  }

  /** An integer in [0, n). */
  int (n: number): number {
    if (this.state === undefined) return Math.floor(Math.random() * n)
    return Math.floor((this.next32() / 2 ** 32) * n)
  }

  bytes (n: number): Uint8Array {
    if (this.state === undefined) return this.drawn(n)
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.next32() & 0xff
    return out
  }

  /** n crypto-random bytes, the caller's own. */
  private drawn (n: number): Uint8Array {
    if (n > POOL_SIZE) return randomFillSync(new Uint8Array(n))
    if (this.pool === undefined || this.used + n > POOL_SIZE) {
      this.pool = randomFillSync(this.pool ?? new Uint8Array(POOL_SIZE))
      this.used = 0
    }
    this.used += n
    return this.pool.slice(this.used - n, this.used)
  }

  /** sfc32: small, fast and good enough for names; crypto when unseeded. */
  private next32 (): number {
    if (this.state === undefined) return Buffer.from(this.drawn(4)).readUInt32BE(0)
    const s = this.state
    const t = (((s[0] + s[1]) | 0) + s[3]) | 0
    s[3] = (s[3] + 1) | 0
    s[0] = s[1] ^ (s[1] >>> 9)
    s[1] = (s[2] + (s[2] << 3)) | 0
    s[2] = (s[2] << 21) | (s[2] >>> 11)
    s[2] = (s[2] + t) | 0
    return t >>> 0
  }
}
