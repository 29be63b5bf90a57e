// The WorkQueue (src/client/workqueue.ts) against client-go's workqueue semantics: a key is queued
// once however often it is added, is never handed to two workers at once, and failures back off
// per key (5 ms doubling, capped) on the VirtualClock — time only moves when the test says so.
import assert from 'node:assert/strict'
import { WorkQueue } from '../../src/client/workqueue.ts'
import { VirtualClock } from '../../src/util/clock.ts'

/** Lets queued promise callbacks run (not a sleep: no time passes on any clock). */
const flush = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/** Tracks whether a promise has settled, without awaiting it. */
function watchPromise<T> (p: Promise<T>): { settled: () => boolean, value: () => T | undefined } {
  let done = false
  let value: T | undefined
  void p.then(v => { done = true; value = v })
  return { settled: () => done, value: () => value }
}

/** The delay of the one pending timer, as the queue scheduled it. */
const scheduledDelay = (clock: VirtualClock): number | undefined => {
  const due = clock.nextDue()
  return due === undefined ? undefined : due - clock.now()
}

describe('WorkQueue', () => {
  let clock: VirtualClock
  beforeEach(() => { clock = new VirtualClock() })

  describe('deduplication', () => {
    it('a key added many times is queued once, in first-added order', async () => {
      const q = new WorkQueue<string>({ clock })
      for (const k of ['a', 'a', 'b', 'a', 'b', 'c']) q.add(k)
      assert.equal(q.length, 3)
      assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c'])
      assert.equal(q.length, 0)
    })

    it('a key re-added while it is processed is queued again only after done()', async () => {
      const q = new WorkQueue<string>({ clock })
      q.add('a')
      assert.equal(await q.get(), 'a')
      q.add('a')
      q.add('a')
      assert.equal(q.length, 0, 'not queued while processing')
      assert.equal(q.busy, true)
      q.done('a')
      assert.equal(q.length, 1, 'queued once after done()')
      assert.equal(await q.get(), 'a')
      q.done('a')
      assert.equal(q.busy, false)
    })

    it('take() hands out the next key as get() does, and nothing when none is queued', () => {
      const q = new WorkQueue<string>({ clock })
      assert.equal(q.take(), undefined)
      q.add('a')
      q.add('b')
      assert.equal(q.take(), 'a')
      q.add('a')
      assert.equal(q.length, 1, 'a, being processed, is not queued again yet')
      assert.equal(q.take(), 'b')
      assert.equal(q.take(), undefined)
      q.done('a')
      assert.equal(q.take(), 'a')
    })

    it('a key not re-added is gone after done()', async () => {
      const q = new WorkQueue<string>({ clock })
      q.add('a')
      await q.get()
      q.done('a')
      assert.equal(q.length, 0)
      assert.equal(q.busy, false)
    })
  })

  describe('no concurrent processing of a key', () => {
    it('a waiting worker is not handed a key another worker is processing', async () => {
      const q = new WorkQueue<string>({ clock })
      const w1 = watchPromise(q.get())
      const w2 = watchPromise(q.get())
      q.add('a')
      await flush()
      assert.equal(w1.value(), 'a')
      q.add('a')
      await flush()
      assert.equal(w2.settled(), false, 'the second worker must not get "a" while the first processes it')
      q.add('b')
      await flush()
      assert.equal(w2.value(), 'b')
      q.done('a')
      assert.equal(await q.get(), 'a', 'the re-added key comes back after done()')
    })

    it('several workers over many adds never process one key twice at a time, and miss no add', async () => {
      const q = new WorkQueue<string>({ clock })
      const active = new Set<string>()
      const violations: string[] = []
      const processedAfterAdd = new Map<string, number>()
      let addsSinceStart = new Map<string, number>()
      const worker = async (): Promise<void> => {
        for (let key = await q.get(); key !== undefined; key = await q.get()) {
          if (active.has(key)) violations.push(key)
          active.add(key)
          addsSinceStart.set(key, 0)
          for (let i = 0; i < 3; i++) await flush()
          active.delete(key)
          processedAfterAdd.set(key, (processedAfterAdd.get(key) ?? 0) + 1)
          q.done(key)
        }
      }
      const workers = [worker(), worker(), worker()]
      const keys = ['a', 'b', 'c', 'd']
      // A fixed pseudo-random sequence (ZX81's LCG: exact in doubles) of adds interleaved with the workers' progress.
      let x = 7
      for (let i = 0; i < 200; i++) {
        x = (x * 75 + 74) % 65537
        const key = keys[x % keys.length]
        q.add(key)
        addsSinceStart.set(key, (addsSinceStart.get(key) ?? 0) + 1)
        if (x % 3 === 0) await flush()
      }
      while (q.busy) await flush()
      q.shutDown()
      await Promise.all(workers)
      assert.deepEqual(violations, [])
      for (const k of keys) assert.ok((processedAfterAdd.get(k) ?? 0) > 0, `${k} was processed`)
      addsSinceStart = new Map([...addsSinceStart].filter(([, n]) => n > 0))
      assert.deepEqual([...addsSinceStart], [], 'every add after a key\'s last processing started was processed')
    })
  })

  describe('rate-limited requeue on the virtual clock', () => {
    const cases: Array<{ name: string, options: { baseDelayMs?: number, maxDelayMs?: number }, delays: number[] }> = [
      { name: 'client-go\'s default: 5 ms doubling', options: {}, delays: [5, 10, 20, 40, 80, 160] },
      { name: 'a custom base', options: { baseDelayMs: 100 }, delays: [100, 200, 400, 800] },
      { name: 'capped at maxDelayMs', options: { baseDelayMs: 5, maxDelayMs: 30 }, delays: [5, 10, 20, 30, 30] },
    ]
    for (const tc of cases) {
      it(`backs off per failure: ${tc.name} (${tc.delays.join(', ')} ms)`, async () => {
        const q = new WorkQueue<string>({ clock, ...tc.options })
        const seen: number[] = []
        for (let i = 0; i < tc.delays.length; i++) {
          q.addRateLimited('k')
          assert.equal(q.numRequeues('k'), i + 1)
          assert.equal(q.pendingDelayed, 1)
          assert.equal(q.length, 0, 'not queued before its delay')
          const delay = scheduledDelay(clock)!
          seen.push(delay)
          await clock.advance(delay - 1)
          assert.equal(q.length, 0, `still waiting 1 ms before ${delay} ms`)
          await clock.advance(1)
          assert.equal(q.length, 1, `queued at ${delay} ms`)
          assert.equal(await q.get(), 'k')
          q.done('k')
        }
        assert.deepEqual(seen, tc.delays)
      })
    }

    it('forget() resets the backoff to the base delay', async () => {
      const q = new WorkQueue<string>({ clock })
      q.addRateLimited('k')
      await clock.advance(5)
      q.addRateLimited('k')
      assert.equal(scheduledDelay(clock), 10)
      await clock.advance(10)
      q.forget('k')
      assert.equal(q.numRequeues('k'), 0)
      q.addRateLimited('k')
      assert.equal(scheduledDelay(clock), 5)
    })

    it('keys back off independently', async () => {
      const q = new WorkQueue<string>({ clock })
      q.addRateLimited('a')
      await clock.advance(5)
      q.addRateLimited('a')
      q.addRateLimited('b')
      await clock.advance(5)
      assert.deepEqual([await q.get()], ['a'], 'a from its first failure')
      q.done('a')
      assert.equal(q.length, 1)
      assert.equal(await q.get(), 'b', 'b after 5 ms')
      q.done('b')
      await clock.advance(5)
      assert.equal(await q.get(), 'a', 'a\'s second failure after 10 ms')
    })

    it('a rate-limited key that is being processed waits for done()', async () => {
      const q = new WorkQueue<string>({ clock })
      q.add('k')
      assert.equal(await q.get(), 'k')
      q.addRateLimited('k')
      await clock.advance(5)
      assert.equal(q.length, 0, 'still processing: not handed out again')
      q.done('k')
      assert.equal(await q.get(), 'k')
    })

    it('addAfter(0) adds at once; a second addAfter of the same key keeps one timer', async () => {
      const q = new WorkQueue<string>({ clock })
      q.addAfter('now', 0)
      assert.equal(q.length, 1)
      q.addAfter('later', 50)
      q.addAfter('later', 50)
      assert.equal(q.pendingDelayed, 1)
      assert.equal(clock.pending(), 1)
      await clock.advance(50)
      assert.equal(q.length, 2)
    })

    // Was a bug, fixed: addAfter of a key that is already waiting keeps the earlier timer even when the new
    // delay is shorter: addAfter('k', 60_000) then addRateLimited('k') (5 ms) leaves 'k' waiting a
    // minute. client-go's delaying queue (insert in delaying_queue.go) moves the entry's readyAt
    // earlier — "update the time only if it would cause the item to be queued sooner".
    it('a shorter addAfter of a waiting key moves it earlier, as client-go does', async () => {
      const q = new WorkQueue<string>({ clock })
      q.addAfter('k', 60_000)
      q.addRateLimited('k')
      await clock.advance(5)
      assert.equal(q.length, 1, 'queued after the 5 ms backoff, not after a minute')
    })
  })

  describe('shutDown', () => {
    it('wakes waiting workers with undefined, cancels delayed adds and ignores new ones', async () => {
      const q = new WorkQueue<string>({ clock })
      const w = watchPromise(q.get())
      q.addAfter('later', 1000)
      assert.equal(clock.pending(), 1)
      q.shutDown()
      await flush()
      assert.equal(w.settled(), true)
      assert.equal(w.value(), undefined)
      assert.equal(clock.pending(), 0, 'the delayed add was cancelled')
      q.add('x')
      q.addRateLimited('y')
      assert.equal(q.length, 0)
      assert.equal(await q.get(), undefined)
    })

    it('lets workers drain what was queued before it', async () => {
      const q = new WorkQueue<string>({ clock })
      q.add('a')
      q.add('b')
      q.shutDown()
      assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', undefined])
    })
  })

  it('tells its owner each time busy flips, and only then', async () => {
    const clock = new VirtualClock()
    const seen: boolean[] = []
    const q = new WorkQueue<string>({ clock, onBusyChange: b => seen.push(b) })
    q.add('a')
    q.add('a')
    q.add('b')
    assert.deepEqual(seen, [true])
    const a = (await q.get())!
    q.done(a)
    const b = (await q.get())!
    q.add('b') // re-added while processing: queued again after done()
    q.done(b)
    assert.deepEqual(seen, [true], 'still busy: b is queued again')
    q.done((await q.get())!)
    assert.deepEqual(seen, [true, false])
    const waiting = q.get() // a worker waits; the next add hands the key straight to it
    q.add('c')
    assert.equal(await waiting, 'c')
    assert.deepEqual(seen, [true, false, true])
    q.done('c')
    assert.deepEqual(seen, [true, false, true, false])
    assert.equal(q.busy, false)
  })
})
