// Deep copies of JSON data with JSON's own semantics (what JSON.parse(JSON.stringify(v)) gives)
// without building the text: about three times faster for an API object (a pod: ~8 µs against
// ~27 µs for the round trip); clone() is one, and every client's own copy of what it reads.
// JSON's rules kept: an object's keys holding undefined, a function or a symbol are left out, in
// a list they become null, as do NaN and ±Infinity; -0 is 0; toJSON is honoured. Anything that
// is not a plain object or list (a Date, a Map, a class instance) is copied by the round trip
// itself, so its rules are JSON's by construction. One exception: a plain object's symbol-keyed
// properties (no API object has any) are copied, where JSON leaves them out.

/** JSON.parse(JSON.stringify(v)) for a value JSON.stringify turns into text. */
export function jsonCopy (v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return primitive(v, false)
  return copy(v)
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

function copy (v: object): unknown {
  if (!isPlain(v)) return JSON.parse(JSON.stringify(v)) as unknown
  if (Array.isArray(v)) {
    const out = v.slice()
    for (let i = 0; i < out.length; i++) {
      const c: unknown = out[i]
      if (typeof c === 'object' && c !== null) out[i] = copy(c)
      else if (typeof c !== 'string' && typeof c !== 'boolean') out[i] = primitive(c, true)
    }
    return out
  }
  // A spread copy keeps the source's layout (JSON.parse's objects hold their fields in the object
  // itself): an object built key by key keeps most of them in a separate array, a memory access
  // more for every read of them, and more memory.
  const out: Record<string, unknown> = { ...v as Record<string, unknown> }
  let omitted = false
  for (const k in out) {
    const c = out[k]
    if (typeof c === 'object' && c !== null) out[k] = copy(c)
    else if (typeof c === 'number') { if (!Number.isFinite(c) || c === 0) out[k] = primitive(c, false) } else if (typeof c !== 'string' && typeof c !== 'boolean') {
      if (primitive(c, false) === undefined) omitted = true
    }
  }
  return omitted ? withoutOmitted(out) : out
}

/** The object without the keys JSON leaves out (undefined, functions, symbols): rare, so not fast. */
function withoutOmitted (o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k in o) if (primitive(o[k], false) !== undefined || (typeof o[k] === 'object' && o[k] !== null)) out[k] = o[k]
  return out
}
