import assert from 'node:assert/strict'
import { humanDuration, translateAge } from '../../../src/apiserver/printers/index.ts'
import { NOW, ago } from './builders.ts'

describe('translateAge (duration.HumanDuration)', () => {
  const cases: Array<[string, string]> = [
    ['0s', '0s'], ['45s', '45s'], ['119s', '119s'], ['120s', '2m'], ['3m12s', '3m12s'], ['4m', '4m'],
    ['9m59s', '9m59s'], ['10m', '10m'], ['42m', '42m'], ['179m59s', '179m'], ['3h', '3h'], ['5h3m', '5h3m'],
    ['7h59m59s', '7h59m'], ['8h', '8h'], ['30h', '30h'], ['47h59m', '47h'], ['48h', '2d'], ['3d4h', '3d4h'],
    ['7d23h', '7d23h'], ['8d', '8d'], ['120d', '120d'], ['729d', '729d'], ['730d', '2y'], ['2y10d', '2y10d'],
    ['7y364d', '7y364d'], ['8y', '8y'], ['9y', '9y']
  ]
  for (const [age, expected] of cases) {
    it(`${age} old prints ${expected}`, () => assert.equal(translateAge(ago(age), NOW), expected))
  }

  it('tolerates up to 2s of clock skew, then says <invalid>', () => {
    assert.equal(humanDuration(-1999), '0s')
    assert.equal(humanDuration(-2000), '<invalid>')
  })

  it('truncates toward zero like Go (1.9s is 1s)', () => {
    assert.equal(humanDuration(1999), '1s')
  })

  it('is <unknown> for the zero time', () => {
    assert.equal(translateAge(undefined, NOW), '<unknown>')
    assert.equal(translateAge(null, NOW), '<unknown>')
    assert.equal(translateAge('0001-01-01T00:00:00Z', NOW), '<unknown>')
  })

  it('reads fractional seconds and offsets (MicroTime, +02:00)', () => {
    assert.equal(translateAge('2025-06-01T11:59:14.999999Z', NOW), '45s')
    assert.equal(translateAge('2025-06-01T13:57:00+02:00', NOW), '3m')
  })
})
