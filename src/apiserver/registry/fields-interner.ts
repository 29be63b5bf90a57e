// managedFields' FieldsV1 sets, shared between the decoded objects that have the same one. Every
// pod of a ReplicaSet and every event of a kind has the same sets; kept once per object they were
// most of the heap (~1.9 KB per object: 60 MB at 1,000 nodes and 5,000 pods). Decoded objects are
// deep-frozen, so sharing a frozen set is invisible to readers.
import { jsonEqual, type KubeObject } from '../../api/object.ts'
import { digest } from '../../util/digest.ts'

/** Distinct sets kept (a cluster has a few hundred: one per kind, manager and shape). */
const MAX_SETS = 4096

export class FieldsInterner {
  private readonly sets = new Map<number, unknown>()
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
      const key = this.digest(JSON.stringify(set))
      const known = this.sets.get(key)
      // Equal JSON, checked: a digest collision must not swap one object's fields for another's.
      if (known !== undefined && jsonEqual(known, set)) {
        (entry as { fieldsV1?: unknown }).fieldsV1 = known
        continue
      }
      freeze(set)
      if (known === undefined && this.sets.size >= MAX_SETS) this.sets.delete(this.sets.keys().next().value!)
      this.sets.set(key, set)
    }
  }
}
