// forEachBatch drains a stream of batches in order, waits for a handler's promise before asking
// for the next batch, and lets a handler's error end the loop.
import assert from 'node:assert/strict'
import { forEachBatch } from '../../src/util/batches.ts'

function stream (batches: number[][]): { next: () => Promise<number[] | null>, asked: () => number } {
  let i = 0
  return { next: async () => (i < batches.length ? batches[i++] : null), asked: () => i }
}

describe('util/batches forEachBatch', () => {
  it('hands every batch, in order, until the stream ends', async () => {
    const s = stream([[1, 2], [3], [4, 5]])
    const seen: number[][] = []
    await forEachBatch(s.next, b => { seen.push(b) })
    assert.deepEqual(seen, [[1, 2], [3], [4, 5]])
  })

  it('asks for the next batch only once the handler\'s promise has settled', async () => {
    const s = stream([[1], [2]])
    const log: string[] = []
    let release!: () => void
    const loop = forEachBatch(s.next, b => {
      log.push(`got ${b[0]}`)
      if (b[0] === 1) return new Promise<void>(resolve => { release = resolve })
    })
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(log, ['got 1'])
    assert.equal(s.asked(), 1, 'not asked again while the handler waits')
    release()
    await loop
    assert.deepEqual(log, ['got 1', 'got 2'])
  })

  it('a handler that throws ends the loop with its error', async () => {
    const s = stream([[1], [2]])
    await assert.rejects(forEachBatch(s.next, () => { throw new Error('watch error') }), /watch error/)
    assert.equal(s.asked(), 1)
  })
})
