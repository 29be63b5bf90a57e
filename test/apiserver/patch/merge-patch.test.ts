import assert from 'node:assert/strict'
import { applyMergePatch, type Json, PatchError } from '../../../src/apiserver/patch/index.ts'

describe('applyMergePatch (RFC 7386)', () => {
  const cases: Array<[string, Json, Json, Json]> = [
    ['objects merge key by key (kubectl label)', { metadata: { name: 'a', labels: { app: 'web' } } }, { metadata: { labels: { env: 'prod' } } },
      { metadata: { name: 'a', labels: { app: 'web', env: 'prod' } } }],
    ['null deletes a key', { spec: { paused: true, replicas: 1 } }, { spec: { paused: null } }, { spec: { replicas: 1 } }],
    ['null for a missing key is a no-op', { spec: {} }, { spec: { nope: null } }, { spec: {} }],
    ['arrays are replaced, never merged', { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'b' }] } },
      { spec: { containers: [{ name: 'b' }] } }],
    ['an added object has its nested nulls pruned', { spec: {} }, { spec: { selector: { a: '1', b: null } } }, { spec: { selector: { a: '1' } } }],
    ['an object replaces a scalar', { spec: { x: 1 } }, { spec: { x: { y: 2 } } }, { spec: { x: { y: 2 } } }],
    ['a scalar replaces an object', { spec: { x: { y: 2 } } }, { spec: { x: 1 } }, { spec: { x: 1 } }],
    ['null elements inside an added array are kept', { spec: {} }, { spec: { args: ['a', null] } }, { spec: { args: ['a', null] } }],
    ['a patch that is not an object replaces the document', { a: 1 }, ['x'], ['x']],
    ['an empty patch changes nothing', { a: { b: 1 } }, {}, { a: { b: 1 } }],
  ]
  for (const [spec, doc, patch, want] of cases) it(spec, () => assert.deepEqual(applyMergePatch(doc, patch), want))

  it('refuses a document that is not an object', () => {
    assert.throws(() => applyMergePatch([1], {}), (e: unknown) => e instanceof PatchError && e.code === 400)
  })

  it('never mutates its inputs', () => {
    const doc = { a: { b: [1], c: 1 } }
    const patch = { a: { c: null, d: { e: 1 } } }
    const before = structuredClone([doc, patch])
    const out = applyMergePatch(doc, patch) as { a: { b: number[] } }
    out.a.b.push(2)
    assert.deepEqual([doc, patch], before)
  })
})
