// managedFields' FieldsV1 sets, shared between the decoded objects that have the same one. Every
// pod of a ReplicaSet and every event of a kind has the same sets; kept once per object they were
// most of the heap (~1.9 KB per object: 60 MB at 1,000 nodes and 5,000 pods). Decoded objects are
// deep-frozen, so sharing a frozen set is invisible to readers.
//
// A set seen for the first time shares its equal parts with the sets seen before: the kubelet's
// status set of each running pod is its own (it names the pod's IP), but all of it except that
// IP's entry — the conditions, the container statuses, every `{}` leaf — is the same as the next
// pod's (2.5 KB per running pod before, a few hundred bytes now).
import type { KubeObject } from '../../api/object.ts'
import { LRUCache } from 'lru-cache'
import { digest } from '../../util/digest.ts'

/** Sets kept, by their JSON's length (the JSON is kept too): a cluster has a few hundred small ones worth sharing. */
const MAX_TOTAL_JSON = 4 * 2 ** 20
/** A bigger set (a Service's thousands of load-balancer IPs) is rarely anyone else's: not kept. */
const MAX_SET_JSON = 16 * 2 ** 10
/** Parts of sets kept, by their JSON's length. */
const MAX_PARTS_JSON = 2 * 2 ** 20

const EMPTY = Object.freeze({})

export class FieldsInterner {
  /** By digest: the set and its JSON (kept to check equality without walking both sets). */
  private readonly sets = new Map<number, { set: unknown, json: string }>()
  private oldest = this.sets.entries()
  private total = 0
  /** Parts of sets (subtrees, `{}` leaves included), by their JSON: the parts every set has stay while one-off ones go. */
  private readonly parts = new LRUCache<string, object>({ maxSize: MAX_PARTS_JSON, sizeCalculation: (_v, json) => json.length })
  private readonly digest: (text: string) => number

  /** `digest`: for tests, which give one that collides. */
  constructor (options: { digest?: (text: string) => number } = {}) { this.digest = options.digest ?? digest }

  /** Replace each entry's fieldsV1 of `obj` (fresh, not yet frozen) by the shared equal one. */
  intern (obj: KubeObject, freeze: (v: unknown) => void): void {
    const entries = obj.metadata.managedFields
    if (!Array.isArray(entries)) return
    for (const entry of entries) {
      const set = (entry as { fieldsV1?: unknown }).fieldsV1
      if (typeof set !== 'object' || set === null) continue
      const json = JSON.stringify(set)
      if (json.length > MAX_SET_JSON) continue
      const key = this.digest(json)
      const known = this.sets.get(key)
      // Equal JSON, checked: a digest collision must not swap one object's fields for another's.
      if (known !== undefined && known.json === json) {
        (entry as { fieldsV1?: unknown }).fieldsV1 = known.set
        continue
      }
      const shared = this.share(set, freeze).value;
      (entry as { fieldsV1?: unknown }).fieldsV1 = shared
      if (known !== undefined) { this.sets.delete(key); this.total -= known.json.length }
      this.sets.set(key, { set: shared, json })
      this.total += json.length
      while (this.total > MAX_TOTAL_JSON) this.evictOldest()
    }
  }

  /**
   * Drop the oldest set. Through a live iterator: a fresh one per eviction would start at the
   * Map's front and step over every set deleted there since it last rehashed (thousands, when
   * every running pod's status set is its own).
   */
  private evictOldest (): void {
    let r = this.oldest.next()
    if (r.done === true) { this.oldest = this.sets.entries(); r = this.oldest.next() }
    if (r.done === true) return
    const [k, v] = r.value
    this.sets.delete(k)
    this.total -= v.json.length
  }

  /** Forget every set and part (the objects holding them keep them). */
  clear (): void {
    this.sets.clear()
    this.oldest = this.sets.entries()
    this.total = 0
    this.parts.clear()
  }

  /** JSON characters of the sets kept (for tests: the bound holds). */
  get size (): number { return this.total }

  /**
   * The shared part equal to `v` (fresh, not yet frozen), its own parts replaced bottom-up by
   * shared equal ones; and its JSON, built from theirs (the same text as JSON.stringify).
   */
  private share (v: unknown, freeze: (v: unknown) => void): { value: unknown, json: string } {
    if (typeof v !== 'object' || v === null) return { value: v, json: JSON.stringify(v) }
    const o = v as Record<string, unknown>
    let json: string
    if (Array.isArray(o)) {
      const items: string[] = []
      for (let i = 0; i < o.length; i++) {
        const part = this.share(o[i], freeze)
        o[i] = part.value
        items.push(part.json)
      }
      json = `[${items.join(',')}]`
    } else {
      // The leaves, most of a set: one frozen {} for all, no lookup.
      let empty = true
      for (const _ in o) { empty = false; break }
      if (empty) return { value: EMPTY, json: '{}' }
      json = '{'
      let first = true
      for (const k in o) {
        const part = this.share(o[k], freeze)
        o[k] = part.value
        json += `${first ? '' : ','}${JSON.stringify(k)}:${part.json}`
        first = false
      }
      json += '}'
    }
    const known = this.parts.get(json)
    if (known !== undefined) return { value: known, json }
    freeze(o)
    this.parts.set(json, o)
    return { value: o, json }
  }
}
