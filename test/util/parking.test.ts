import assert from 'node:assert/strict'
import { parkHere, withParking } from '../../src/util/parking.ts'

describe('parking on the clock', () => {
  it('tells the spot of the surrounding work, across awaits; unparks once; nothing outside', async () => {
    const log: string[] = []
    const spot = { park: () => log.push('park'), unpark: () => log.push('unpark') }
    parkHere()()
    assert.equal(log.length, 0)
    let release!: () => void
    const done = withParking(spot, async () => {
      await Promise.resolve()
      const unpark = parkHere()
      await new Promise<void>(resolve => { release = () => { unpark(); unpark(); resolve() } })
      log.push('resumed')
    })
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(log, ['park'])
    release()
    await done
    assert.deepEqual(log, ['park', 'unpark', 'resumed'])
  })
})
