// client-go's EventCorrelator, as the recorders run it: repeats counted, similar events combined,
// and a source's burst about one object capped (tools/record/events_cache.go defaults).
import assert from 'node:assert/strict'
import { EventCorrelator, Lru, type CorrelatedEvent } from '../../src/client/event-correlator.ts'
import { digest } from '../../src/util/digest.ts'

const rsEvent = (message: string, object = 'ReplicaSet\u0000default\u0000web-1\u0000uid-1\u0000apps/v1'): CorrelatedEvent =>
  ({ component: 'replicaset-controller', host: '', object, fieldPath: '', type: 'Normal', reason: 'SuccessfulCreate', message })

/** Runs the correlator as the recorder does (writing what it says) and returns what was written. */
function drive (c: EventCorrelator, events: CorrelatedEvent[], now: number): string[] {
  const out: string[] = []
  for (const e of events) {
    const r = c.correlate(e, now)
    if (r.action === 'skip') { out.push('skip'); continue }
    if (r.action === 'create') { c.written(r.key, { name: `ev${out.length}`, namespace: 'default', count: 1, first: 't' }); out.push(`create ${r.message}`); continue }
    c.written(r.key, { name: r.name, namespace: r.namespace, count: r.count, first: r.first })
    out.push(`patch ${r.name} count=${r.count} ${r.message}`)
  }
  return out
}

describe('EventCorrelator (client-go defaults)', () => {
  it('writes 9 events, combines from the 10th similar one, and skips after 25 about the object until a token refills', () => {
    const c = new EventCorrelator()
    const out = drive(c, Array.from({ length: 30 }, (_, i) => rsEvent(`Created pod: web-1-${i}`)), 0)
    assert.deepEqual(out.slice(0, 9), Array.from({ length: 9 }, (_, i) => `create Created pod: web-1-${i}`))
    assert.equal(out[9], 'create (combined from similar events): Created pod: web-1-9')
    assert.deepEqual(out.slice(10, 25), Array.from({ length: 15 }, (_, i) => `patch ev9 count=${i + 2} (combined from similar events): Created pod: web-1-${i + 10}`))
    assert.deepEqual(out.slice(25), ['skip', 'skip', 'skip', 'skip', 'skip'])
    assert.deepEqual(drive(c, [rsEvent('Created pod: web-1-30')], 299_000), ['skip'], 'a token takes 300 s to refill')
    assert.deepEqual(drive(c, [rsEvent('Created pod: web-1-31')], 300_000), ['patch ev9 count=17 (combined from similar events): Created pod: web-1-31'])
  })

  it('counts a repeat of the same message on the same object instead of writing a new event', () => {
    const c = new EventCorrelator()
    const backoff = { ...rsEvent('Back-off restarting failed container'), component: 'kubelet', host: 'node-1', reason: 'BackOff', type: 'Warning', fieldPath: 'spec.containers{app}' }
    assert.deepEqual(drive(c, [backoff, backoff, backoff], 0), ['create Back-off restarting failed container', 'patch ev0 count=2 Back-off restarting failed container', 'patch ev0 count=3 Back-off restarting failed container'])
  })

  it('counts distinct messages towards combining: repeats of one message count once', () => {
    const c = new EventCorrelator()
    const out = drive(c, [...Array.from({ length: 5 }, () => rsEvent('m0')), ...Array.from({ length: 9 }, (_, i) => rsEvent(`m${i + 1}`))], 0)
    assert.deepEqual(out.slice(0, 5), ['create m0', 'patch ev0 count=2 m0', 'patch ev0 count=3 m0', 'patch ev0 count=4 m0', 'patch ev0 count=5 m0'])
    assert.deepEqual(out.slice(5, 13), Array.from({ length: 8 }, (_, i) => `create m${i + 1}`))
    assert.equal(out[13], 'create (combined from similar events): m9', 'the 10th distinct message')
  })

  it('keeps objects, reasons and sources apart', () => {
    const c = new EventCorrelator()
    // 4 events on each of 10 pods: none combined, none skipped.
    const events = Array.from({ length: 10 }, (_, i) => `Pod\u0000default\u0000p${i}\u0000u${i}\u0000v1`).flatMap(object =>
      ['Pulling', 'Pulled', 'Created', 'Started'].map(reason => ({ ...rsEvent(`${reason} it`, object), component: 'kubelet', reason })))
    assert.ok(drive(c, events, 0).every(w => w.startsWith('create ') && !w.includes('combined')))
    // A 10th distinct message after 10 minutes starts a new aggregation window.
    const d = new EventCorrelator()
    drive(d, Array.from({ length: 9 }, (_, i) => rsEvent(`m${i}`)), 0)
    assert.deepEqual(drive(d, [rsEvent('m9')], 601_000), ['create m9'])
  })

  it('evicts the least recently used key, exactly, over 200,000 random reads and writes', () => {
    // Reference: an array in use order. Small capacity, few keys: every kind of turn happens.
    const lru = new Lru<number>(50)
    let model: number[] = []
    let seed = 11
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n }
    for (let i = 0; i < 200_000; i++) {
      const k = rand(rand(10) === 0 ? 1000 : 80)
      if (rand(2) === 0) {
        const hit = lru.get(k)
        assert.equal(hit !== undefined, model.includes(k))
        if (hit !== undefined) model = [...model.filter(x => x !== k), k]
      } else {
        lru.set(k, i)
        model = [...model.filter(x => x !== k), k]
        if (model.length > 50) model.shift()
      }
      if (i % 997 === 0) assert.deepEqual(lru.keys(), model, `after ${i} operations`)
    }
    assert.deepEqual(lru.keys(), model)
  })

  it('keys its caches by 53-bit digests: 200,000 near-identical keys, no two alike, each stable', () => {
    const seen = new Map<number, string>()
    for (let i = 0; i < 200_000; i++) {
      const key = `kubelet\u0000node-${i % 1000}\u0000Pod\u0000default\u0000web-${i}\u0000uid\u0000v1\u0000spec.containers{c}\u0000Normal\u0000Started\u0000Started container c`
      const d = digest(key)
      assert.ok(Number.isSafeInteger(d) && d >= 0)
      assert.equal(seen.get(d), undefined, `${key} and ${seen.get(d)} share a digest`)
      seen.set(d, key)
      assert.equal(digest(key), d)
    }
    assert.notEqual(digest('a'), digest('b'))
    assert.notEqual(digest(''), digest('\u0000'))
  })
})
