// The pod-template-hash (pkg/controller/controller_utils.go ComputeHash): FNV-32a over the
// template, plus the collision count, printed as rand.SafeEncodeString of the decimal sum —
// at most 10 characters from "bcdfghjklmnpqrstvwxz2456789". Upstream hashes a spew dump of the
// Go struct; we hash canonical JSON (sorted keys, empty values dropped), so the value is stable
// but differs from a real cluster's for the same template.

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

export function fnv32a (bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash
  for (const b of bytes) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
export function safeEncodeString (s: string): string {
  let out = ''
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length]
  return out
}

/** JSON with sorted keys and no null/empty values: equal templates print alike. */
export function canonicalJson (v: unknown): string {
  return JSON.stringify(prune(v)) ?? ''
}

function prune (v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(x => prune(x) ?? null)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const p = prune((v as Record<string, unknown>)[k])
      if (p !== undefined) out[k] = p
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  return v === null ? undefined : v
}

export function computeHash (template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)))
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv32a(bytes, h)
  }
  return safeEncodeString(String(h))
}
