// jsonEqual stands in for comparing two JSON.stringify results (managedFields diffs, no-op
// updates): over random JSON-like values, it must give exactly that comparison's answer.
import assert from 'node:assert/strict'
import { jsonEqual, semanticEqual } from '../../src/api/object.ts'
import { uniform } from '../support/random.ts'

const random = uniform

function value (r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 8))
  switch (pick) {
    case 0: return undefined
    case 1: return null
    case 2: return Math.floor(r() * 3)
    case 3: return ['a', 'b', ''][Math.floor(r() * 3)]
    case 4: return r() < 0.5
    case 5: return String(Math.floor(r() * 2))
    case 6: return Array.from({ length: Math.floor(r() * 3) }, () => value(r, depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      for (const k of ['x', 'y', 'z']) if (r() < 0.6) out[k] = value(r, depth + 1)
      return out
    }
  }
}

/** b: a copy of a, sometimes changed somewhere (a value, a key's order, an undefined added). */
function variant (a: unknown, r: () => number): unknown {
  if (r() < 0.15) return value(r, 2)
  if (Array.isArray(a)) return a.map(v => variant(v, r))
  if (typeof a === 'object' && a !== null) {
    const entries = Object.entries(a).map(([k, v]) => [k, variant(v, r)] as const)
    if (r() < 0.1) entries.reverse()
    if (r() < 0.1) entries.push(['w', undefined])
    return Object.fromEntries(entries)
  }
  return a
}

describe('jsonEqual', () => {
  it('answers as JSON.stringify(a) === JSON.stringify(b) over 20,000 random pairs', () => {
    const r = random(42)
    let equal = 0
    for (let i = 0; i < 20_000; i++) {
      const a = value(r, 0)
      const b = variant(a, r)
      const expected = JSON.stringify(a) === JSON.stringify(b)
      if (expected) equal++
      assert.equal(jsonEqual(a, b), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
      assert.equal(jsonEqual(b, a), expected)
    }
    // Both answers were exercised plenty.
    assert.ok(equal > 2_000 && equal < 18_000, `equal pairs: ${equal}`)
  })

  it('ignores keys holding undefined, reads undefined list items as null, and minds key order', () => {
    assert.equal(jsonEqual({ a: 1, b: undefined }, { a: 1 }), true)
    assert.equal(jsonEqual([undefined], [null]), true)
    assert.equal(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), false)
    assert.equal(jsonEqual({ a: null }, {}), false)
    assert.equal(jsonEqual([], {}), false)
  })
})

describe('semanticEqual', () => {
  it('ignores key order at every depth, but not list order', () => {
    assert.equal(semanticEqual({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }), true)
    assert.equal(semanticEqual({ l: [1, 2] }, { l: [2, 1] }), false)
  })

  it('treats null, undefined and [] as Go\'s nil, and an empty object as a value', () => {
    assert.equal(semanticEqual({ a: 1, b: null, c: undefined, d: [] }, { a: 1 }), true)
    assert.equal(semanticEqual({ a: 1 }, { a: 1, b: [] }), true)
    assert.equal(semanticEqual({ a: {} }, {}), false)
    assert.equal(semanticEqual({ a: false }, {}), false)
    assert.equal(semanticEqual([null], [[]]), true)
  })

  it('agrees with jsonEqual on values that differ', () => {
    const r = random(7)
    for (let i = 0; i < 5_000; i++) {
      const a = value(r, 0)
      const b = variant(a, r)
      if (jsonEqual(a, b)) assert.equal(semanticEqual(a, b), true, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    }
  })
})
