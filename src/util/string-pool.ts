// One copy of each equal string: decoded objects and the kubelets' volume files get their own
// copies of the same timestamps, names and certificates, and a pool hands back the first one.
// Generational: emptied when full, so strings no longer in use are not kept for long.

export class StringPool {
  private readonly pool = new Map<string, string>()
  private readonly maxEntries: number
  private readonly maxLength: number

  /** `maxLength`: longer strings are rarely one of many equal copies, and are not kept. */
  constructor (options: { maxEntries: number, maxLength: number }) {
    this.maxEntries = options.maxEntries
    this.maxLength = options.maxLength
  }

  /** The pooled string equal to `s` (`s` itself if it is the first, or too long to keep). */
  get (s: string): string {
    if (s.length > this.maxLength) return s
    const known = this.pool.get(s)
    if (known !== undefined) return known
    if (this.pool.size >= this.maxEntries) this.pool.clear()
    this.pool.set(s, s)
    return s
  }

  /** Forget every string (the copies in use stay where they are). */
  clear (): void { this.pool.clear() }
}
