import assert from 'node:assert/strict'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { Compactor } from '../../src/store/compactor.ts'
import * as ops from '../../src/store/ops.ts'
import { VirtualClock } from '../../src/util/clock.ts'

/** Two event-loop turns: a write a timer started (queued during its microtasks) has committed by then. */
const turns = async (): Promise<void> => { for (let i = 0; i < 2; i++) await new Promise(resolve => setImmediate(resolve)) }

describe('Compactor', () => {
  it('compacts every interval to the current revision minus the retained window', async () => {
    const clock = new VirtualClock()
    const backend = new MemoryBackend({ clock })
    const compactor = new Compactor({ backend, clock, retain: 10 })
    for (let i = 0; i < 25; i++) await ops.put(backend, '/k', new Uint8Array([i]))
    assert.equal(backend.compactRevision, 0)
    await clock.advance('4m')
    assert.equal(backend.compactRevision, 0)
    await clock.advance('1m', turns)
    assert.equal(backend.compactRevision, 26 - 10)
    await clock.advance('5m', turns)
    assert.equal(backend.compactRevision, 16, 'nothing new to compact')
    compactor.stop()
    await backend.close()
  })

  it('compacts as soon as more revisions than maxUncompacted pile up, without the clock moving', async () => {
    const clock = new VirtualClock()
    const backend = new MemoryBackend({ clock })
    const compactor = new Compactor({ backend, clock, retain: 10, maxUncompacted: 50 })
    for (let i = 0; i < 49; i++) await ops.put(backend, '/k', new Uint8Array([i]))
    await turns()
    assert.equal(backend.compactRevision, 0, 'revision 50, 50 beyond compaction: not yet')
    await ops.put(backend, '/k', new Uint8Array([49]))
    await turns()
    assert.equal(backend.compactRevision, 51 - 10)
    for (let i = 0; i < 40; i++) await ops.put(backend, '/k', new Uint8Array([i]))
    await turns()
    assert.equal(backend.compactRevision, 41, 'revision 91: the next one waits for more than 50 beyond 41')
    await ops.put(backend, '/k', new Uint8Array([40]))
    await turns()
    assert.equal(backend.compactRevision, 92 - 10)
    compactor.stop()
    for (let i = 0; i < 100; i++) await ops.put(backend, '/k', new Uint8Array([i]))
    await turns()
    assert.equal(backend.compactRevision, 82, 'stopped')
    await backend.close()
  })
})
