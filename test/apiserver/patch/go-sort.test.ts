import assert from 'node:assert/strict'
import { goSliceStable } from '../../../src/apiserver/patch/go-sort.ts'

describe('goSliceStable (sort.SliceStable)', () => {
  it('sorts a long list (insertion-sorted blocks of 20, then SymMerge) like a stable sort', () => {
    const items = Array.from({ length: 137 }, (_, i) => ({ key: (i * 37) % 11, seq: i }))
    const want = [...items].sort((a, b) => a.key - b.key)
    goSliceStable(items, (a, b) => a.key < b.key)
    assert.deepEqual(items, want)
  })
  it('an always-true less moves each later item to the front within a block, as Go\'s insertion sort does', () => {
    const items = ['a', 'b', 'c', 'd']
    goSliceStable(items, () => true)
    assert.deepEqual(items, ['d', 'c', 'b', 'a'])
  })
})
