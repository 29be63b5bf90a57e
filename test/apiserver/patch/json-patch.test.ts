import assert from 'node:assert/strict'
import { applyJsonPatch, type Json, PatchError } from '../../../src/apiserver/patch/index.ts'

const doc = (): Json => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, items: ['a', 'b', 'c'] },
})

describe('applyJsonPatch (RFC 6902, evanphx/json-patch v4)', () => {
  const cases: Array<[string, Json[], Json]> = [
    ['replace sets an existing value (kubectl patch --type json)', [{ op: 'replace', path: '/spec/replicas', value: 6 }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 6, items: ['a', 'b', 'c'] } }],
    ['add creates an object key', [{ op: 'add', path: '/metadata/labels/env', value: 'prod' }],
      { metadata: { name: 'web', labels: { app: 'web', env: 'prod' } }, spec: { replicas: 1, items: ['a', 'b', 'c'] } }],
    ['~1 in a path segment stands for /', [{ op: 'add', path: '/metadata/labels/example.com~1tier', value: 'fe' }],
      { metadata: { name: 'web', labels: { app: 'web', 'example.com/tier': 'fe' } }, spec: { replicas: 1, items: ['a', 'b', 'c'] } }],
    ['~0 in a path segment stands for ~', [{ op: 'add', path: '/metadata/labels/a~0b', value: 'x' }],
      { metadata: { name: 'web', labels: { app: 'web', 'a~b': 'x' } }, spec: { replicas: 1, items: ['a', 'b', 'c'] } }],
    ['add with - appends to an array', [{ op: 'add', path: '/spec/items/-', value: 'd' }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b', 'c', 'd'] } }],
    ['add at an index inserts', [{ op: 'add', path: '/spec/items/1', value: 'x' }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'x', 'b', 'c'] } }],
    ['a negative index counts from the end', [{ op: 'remove', path: '/spec/items/-1' }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b'] } }],
    ['remove deletes an object key', [{ op: 'remove', path: '/metadata/labels/app' }],
      { metadata: { name: 'web', labels: {} }, spec: { replicas: 1, items: ['a', 'b', 'c'] } }],
    ['move takes the value away from its source', [{ op: 'move', from: '/metadata/labels', path: '/spec/labels' }],
      { metadata: { name: 'web' }, spec: { replicas: 1, items: ['a', 'b', 'c'], labels: { app: 'web' } } }],
    ['copy duplicates the value', [{ op: 'copy', from: '/spec/items/0', path: '/spec/first' }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b', 'c'], first: 'a' } }],
    ['test passes on an equal value', [{ op: 'test', path: '/spec/items', value: ['a', 'b', 'c'] }], doc()],
    ['replace of a missing object key adds it (v4 leniency)', [{ op: 'replace', path: '/spec/paused', value: true }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b', 'c'], paused: true } }],
    ['copy from a missing key copies null (v4 leniency)', [{ op: 'copy', from: '/spec/nope', path: '/spec/x' }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b', 'c'], x: null } }],
    ['operations apply in order', [{ op: 'add', path: '/spec/x', value: 1 }, { op: 'replace', path: '/spec/x', value: 2 }, { op: 'test', path: '/spec/x', value: 2 }],
      { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, items: ['a', 'b', 'c'], x: 2 } }],
  ]
  for (const [spec, ops, want] of cases) it(spec, () => assert.deepEqual(applyJsonPatch(doc(), ops), want))

  const errors: Array<[string, unknown, string, number]> = [
    ['remove of a missing key names it', [{ op: 'remove', path: '/metadata/nope' }],
      "error in remove for path: '/metadata/nope': Unable to remove nonexistent key: nope: missing value", 422],
    ['add under a missing parent names the path', [{ op: 'add', path: '/status/phase', value: 'x' }],
      'add operation does not apply: doc is missing path: "/status/phase": missing value', 422],
    ['replace of a missing array index fails', [{ op: 'replace', path: '/spec/items/9', value: 'x' }],
      'replace operation does not apply: doc is missing key: /spec/items/9: missing value', 422],
    ['add past the end of an array is an invalid index', [{ op: 'add', path: '/spec/items/9', value: 'x' }],
      "error in add for path: '/spec/items/9': Unable to access invalid index: 9: invalid index referenced", 422],
    ['a non-numeric array index is reported with strconv\'s error', [{ op: 'add', path: '/spec/items/x', value: 'x' }],
      "error in add for path: '/spec/items/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax", 422],
    ['a failed test names the path', [{ op: 'test', path: '/spec/replicas', value: 2 }],
      'testing value /spec/replicas failed: test failed', 422],
    ['an unknown op is unexpected', [{ op: 'frobnicate', path: '/a' }], 'Unexpected kind: frobnicate', 422],
    ['an operation without a path cannot be decoded', [{ op: 'add', value: 1 }],
      'add operation failed to decode path: operation missing path field: missing value', 422],
    ['a patch that is not an array is a bad request', { op: 'add' },
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch', 400],
    ['more than 10000 operations are too large', Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 1 })),
      'The allowed maximum operations in a JSON patch is 10000, got 10001', 413],
  ]
  for (const [spec, ops, message, code] of errors) {
    it(spec, () => assert.throws(() => applyJsonPatch(doc(), ops), (e: unknown) => {
      assert.ok(e instanceof PatchError)
      assert.equal(e.message, message)
      assert.equal(e.code, code)
      return true
    }))
  }

  it('never mutates the input document or the operations', () => {
    const d = doc()
    const ops = [{ op: 'add', path: '/metadata/labels/x', value: { deep: [1] } }, { op: 'remove', path: '/spec/items/0' }]
    const before = structuredClone([d, ops])
    const out = applyJsonPatch(d, ops) as { metadata: { labels: { x: { deep: number[] } } } }
    out.metadata.labels.x.deep.push(2)
    assert.deepEqual([d, ops], before)
  })
})
