// Name suffixes and UIDs: seeded runs repeat, unseeded ones draw from crypto.
import assert from 'node:assert/strict'
import { Ids } from '../../src/util/random.ts'

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('util/random Ids', () => {
  it('seeded: the same seed gives the same names and UIDs', () => {
    const draw = (ids: Ids): string[] => [ids.suffix(), ids.uid(), String(ids.int(1000))]
    assert.deepEqual(draw(new Ids({ seed: 7 })), draw(new Ids({ seed: 7 })))
    assert.notDeepEqual(draw(new Ids({ seed: 7 })), draw(new Ids({ seed: 8 })))
  })

  it('unseeded: suffixes use upstream\'s alphabet and stay distinct across many pool refills', () => {
    const ids = new Ids()
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) seen.add(ids.suffix(10))
    assert.equal(seen.size, 20_000)
    for (const s of seen) assert.match(s, /^[bcdfghjklmnpqrstvwxz2456789]{10}$/)
  })

  it('unseeded: bytes are the caller\'s own, whatever their size', () => {
    const ids = new Ids()
    const a = ids.bytes(16)
    const copy = Uint8Array.from(a)
    for (let i = 0; i < 1_000; i++) ids.bytes(16)
    assert.deepEqual(a, copy)
    assert.equal(ids.bytes(10_000).length, 10_000)
    assert.notDeepEqual(ids.bytes(32), ids.bytes(32))
  })

  it('UIDs are RFC 4122 version 4, seeded or not', () => {
    assert.match(new Ids().uid(), UID)
    assert.match(new Ids({ seed: 1 }).uid(), UID)
  })
})
