// jsonCopy must give exactly what a JSON round trip gives (it replaced one in clone()).
import assert from 'node:assert/strict'
import { jsonCopy } from '../../src/api/json-copy.ts'

class Thing { a = 1; b: undefined = undefined; c = 'x' }
const nullProto = Object.assign(Object.create(null) as object, { z: 1, a: [1] })
const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays

function deep (levels: number): unknown {
  let v: unknown = { leaf: [1, undefined] }
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { n: v, u: undefined } : [v]
  return v
}

const cases: Array<[string, unknown]> = [
  ['keys holding undefined, functions and symbols are left out', { a: undefined, b: () => 1, c: Symbol('s'), d: 1 }],
  ['list items that are undefined, functions or symbols become null', [undefined, () => 1, Symbol('s'), 2]],
  ['NaN and ±Infinity become null, in objects and lists', { a: NaN, b: Infinity, c: [-Infinity, NaN] }],
  ['-0 becomes 0', { a: -0, b: [-0] }],
  ['a Date becomes its ISO string (toJSON)', { at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) }],
  ['an own toJSON is honoured', { a: { toJSON: () => ({ replaced: true }) } }],
  ['a Map becomes {}', { m: new Map([['k', 1]]) }],
  ['a class instance keeps its own enumerable fields only', { t: new Thing() }],
  ['boxed primitives are their values', { s: new String('s'), n: new Number(2), b: new Boolean(false) }], // eslint-disable-line no-new-wrappers
  ['keys keep JSON.stringify\'s order, integer-like keys first', { b: 1, 2: 'two', a: 1, 1: 'one' }],
  ['an object without a prototype is a plain object', { o: nullProto }],
  ['holes in a list become null', sparse],
  ['nested lists and objects, empty ones too', { a: [[], {}, [{ b: [null, true, 'x'] }]], c: '' }],
  ['a typical API object', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'x' }, managedFields: [{ fieldsV1: { 'f:spec': {} } }] }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] } }],
  ['a nested toJSON giving undefined: the key left out, the list item null', { a: { toJSON: () => undefined }, b: 1, l: [{ toJSON: () => undefined }, 1] }],
  ['toJSON is given its key (an object\'s key, a list item\'s index)', { k: { toJSON: (key: string) => `key ${key}` }, l: [0, { toJSON: (key: string) => `key ${key}` }] }],
  ['an own __proto__ key (as JSON.parse makes) next to a key left out', Object.assign(JSON.parse('{"__proto__":{"x":1},"y":2}') as object, { z: undefined })],
  ['nesting deeper than the copy goes itself', deep(800)],
  ['a top-level string, number and null', 'text'],
  ['a top-level NaN', NaN],
]

describe('jsonCopy', () => {
  for (const [name, value] of cases) {
    it(`as a JSON round trip: ${name}`, () => {
      const want = JSON.parse(JSON.stringify(value))
      const got = jsonCopy(value)
      assert.deepStrictEqual(got, want)
      if (typeof want === 'object' && want !== null) assert.equal(JSON.stringify(got), JSON.stringify(want), 'the same text, key order included')
    })
  }

  it('copies all the way down: changing the copy leaves the source as it was', () => {
    const source = { a: { b: [{ c: 1 }] } }
    const copy = jsonCopy(source) as typeof source
    copy.a.b[0].c = 2
    assert.equal(source.a.b[0].c, 1)
  })

  it('gives a part shared twice in the source two copies, as the round trip does', () => {
    const part = { x: 1 }
    const copy = jsonCopy({ a: part, b: part }) as { a: object, b: object }
    assert.notEqual(copy.a, copy.b)
  })

  it('keeps an own __proto__ key an own key, not the prototype', () => {
    const copy = jsonCopy(Object.assign(JSON.parse('{"__proto__":{"x":1},"y":2}') as object, { z: undefined })) as object
    assert.equal(Object.getPrototypeOf(copy), Object.prototype)
    assert.deepEqual(Object.keys(copy), ['__proto__', 'y'])
  })

  it('refuses a cycle with JSON.stringify\'s error', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = { back: cyclic }
    assert.throws(() => jsonCopy(cyclic), (err: Error) => err instanceof TypeError && /circular structure/.test(err.message))
  })

  it('refuses a BigInt as JSON.stringify does', () => {
    assert.throws(() => jsonCopy({ n: 1n }), TypeError)
  })
})
