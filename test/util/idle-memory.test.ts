// The idle memory release collects once the process is quiet and holds much more heap than it
// uses, and not again until the heap has grown back: checked with scripted samples, so no test
// depends on how busy this machine is. One case runs V8's real collection.
import assert from 'node:assert/strict'
import { IDLE_CPU_SHARE, IdleMemoryRelease, MIN_SLACK_BYTES, REGROWTH_BYTES, type MemorySample } from '../../src/util/idle-memory.ts'

const MB = 2 ** 20

/** A scripted process: each tick moves the clock 10 s; cpu is the share of a core used in it. */
function scripted (): { release: IdleMemoryRelease, step: (cpu: number, heapTotal: number, heapUsed: number) => boolean, collected: number[] } {
  let now: MemorySample = { cpuMicros: 0, at: 0, heapTotal: 100 * MB, heapUsed: 90 * MB }
  const collected: number[] = []
  const release = new IdleMemoryRelease({
    sample: () => now,
    // What a last-resort collection does: the heap shrinks to a little over what is used.
    collect: () => { collected.push(now.at); now = { ...now, heapTotal: Math.round(now.heapUsed * 1.05) } },
  })
  release.tick() // the first sample
  const step = (cpu: number, heapTotal: number, heapUsed: number): boolean => {
    now = { cpuMicros: now.cpuMicros + cpu * 10_000 * 1000, at: now.at + 10_000, heapTotal, heapUsed }
    return release.tick()
  }
  return { release, step, collected }
}

describe('util/idle-memory: the heap back to the OS at rest', () => {
  it('collects when idle and the heap holds a lot unused, not while busy', () => {
    const { step, collected } = scripted()
    assert.equal(step(0.9, 600 * MB, 300 * MB), false, 'busy')
    assert.equal(step(IDLE_CPU_SHARE * 2, 600 * MB, 300 * MB), false, 'still busy enough')
    assert.equal(step(0.004, 600 * MB, 300 * MB), true, 'idle: collected')
    assert.equal(collected.length, 1)
  })

  it('runs the trims before the collection, and only when it collects', () => {
    const { release, step, collected } = scripted()
    const trimmed: number[] = []
    release.trims.add(() => trimmed.push(collected.length))
    step(0.9, 600 * MB, 300 * MB)
    assert.deepEqual(trimmed, [])
    step(0, 600 * MB, 300 * MB)
    assert.deepEqual(trimmed, [0], 'trimmed once, before the one collection')
  })

  it('counts the heap\'s high-water since the last release: V8 shrinks heapTotal after a burst but keeps the pages', () => {
    const { step, collected } = scripted()
    assert.equal(step(0.9, 700 * MB, 300 * MB), false, 'the burst')
    assert.equal(step(0, 330 * MB, 300 * MB), true, 'idle, heapTotal already shrunk: the high-water counts')
    assert.equal(collected.length, 1)
  })

  it('leaves a heap alone that holds little beyond its use, in bytes or in share', () => {
    const { step } = scripted()
    assert.equal(step(0, 300 * MB + MIN_SLACK_BYTES - MB, 300 * MB), false, 'less slack than the minimum')
    assert.equal(step(0, 1100 * MB, 1000 * MB), false, 'slack over the minimum but under a quarter of the heap in use')
  })

  it('does not collect again until the heap has grown back after a release', () => {
    const { step, collected } = scripted()
    assert.equal(step(0, 600 * MB, 300 * MB), true)
    const after = Math.round(300 * MB * 1.05)
    // Idle and still a quarter over its use (say the use fell), but not grown since the release.
    assert.equal(step(0, after + REGROWTH_BYTES - MB, 200 * MB), false)
    assert.equal(step(0.5, 800 * MB, 300 * MB), false, 'a burst')
    assert.equal(step(0, 800 * MB, 300 * MB), true, 'at rest after it')
    assert.equal(collected.length, 2)
  })

  it('the collection\'s own CPU time does not make the next check look busy', () => {
    let now: MemorySample = { cpuMicros: 0, at: 0, heapTotal: 600 * MB, heapUsed: 300 * MB }
    const release = new IdleMemoryRelease({
      sample: () => now,
      // A long collection: 2 s of CPU in 2 s.
      collect: () => { now = { cpuMicros: now.cpuMicros + 2e6, at: now.at + 2000, heapTotal: 320 * MB, heapUsed: 300 * MB } },
    })
    release.tick()
    now = { ...now, at: 10_000 }
    assert.equal(release.tick(), true)
    now = { ...now, at: now.at + 10_000, heapTotal: 900 * MB, heapUsed: 300 * MB }
    assert.equal(release.tick(), true, 'idle since the collection')
  })

  it('a collection that throws stops the releaser, not the process', () => {
    let now: MemorySample = { cpuMicros: 0, at: 0, heapTotal: 600 * MB, heapUsed: 300 * MB }
    let calls = 0
    const release = new IdleMemoryRelease({ sample: () => now, collect: () => { calls++; throw new Error('no gc here') } })
    release.tick()
    now = { ...now, at: 10_000 }
    assert.equal(release.tick(), false)
    assert.equal(release.failed, true)
    now = { ...now, at: 20_000 }
    release.start()
    assert.equal(calls, 1, 'not tried again')
    release.stop()
  })

  it('runs V8\'s last-resort collection: the garbage is gone', () => {
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `item-${i}` }))
    assert.ok(garbage.length > 0)
    garbage = undefined
    const before = process.memoryUsage().heapUsed
    let sampled = 0
    // Samples that always look idle and worth it; the collection is the real one.
    const real = new IdleMemoryRelease({
      sample: () => { sampled++; const m = process.memoryUsage(); return { cpuMicros: 0, at: sampled * 10_000, heapTotal: m.heapTotal + 2 * MIN_SLACK_BYTES + 4 * m.heapUsed, heapUsed: m.heapUsed } },
    })
    real.tick()
    assert.equal(real.tick(), true)
    assert.ok(process.memoryUsage().heapUsed < before, 'the collection ran')
  })
})
