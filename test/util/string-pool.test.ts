// StringPool: equal strings come back as the first copy; long ones are not kept; a full pool
// starts over instead of growing.
import assert from 'node:assert/strict'
import { StringPool } from '../../src/util/string-pool.ts'

// A copy the engine cannot fold into the literal it was made from.
const copy = (s: string): string => JSON.parse(JSON.stringify([s]))[0] as string

describe('StringPool', () => {
  it('hands back an equal string, and longer ones as they are', () => {
    const pool = new StringPool({ maxEntries: 10, maxLength: 8 })
    const first = pool.get(copy('node-1'))
    assert.equal(pool.get(copy('node-1')), first)
    assert.equal(pool.get('node-2'), 'node-2')
    const long = copy('a-long-name')
    assert.equal(pool.get(long), long)
  })

  it('keeps at most maxEntries: full, it starts over', () => {
    const pool = new StringPool({ maxEntries: 3, maxLength: 64 })
    for (const s of ['a', 'b', 'c']) pool.get(s)
    assert.equal((pool as unknown as { pool: Map<string, string> }).pool.size, 3)
    pool.get('d')
    assert.deepEqual([...(pool as unknown as { pool: Map<string, string> }).pool.keys()], ['d'])
  })
})
