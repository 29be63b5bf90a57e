// The scheduling queue's active heap: pods come out in QueueSort order (priority, then the time
// they entered), and a pod deleted while queued never comes out, wherever it sits in the heap.
import assert from 'node:assert/strict'
import { SchedulingQueue } from '../../src/scheduler/queue.ts'
import type { QueuedPodInfo } from '../../src/scheduler/types.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { makePod } from './builders.ts'

const priority = (p: QueuedPodInfo): number => (p.pod.spec as { priority?: number }).priority ?? 0
const less = (a: QueuedPodInfo, b: QueuedPodInfo): boolean => priority(a) > priority(b) || (priority(a) === priority(b) && a.timestamp < b.timestamp)

async function drain (q: SchedulingQueue): Promise<string[]> {
  const out: string[] = []
  while (q.activeLength > 0) out.push((await q.pop())!.pod.metadata.name!)
  return out
}

describe('scheduling queue', () => {
  it('pops by priority, then by arrival; pods deleted from anywhere in the heap never pop', async () => {
    const clock = new VirtualClock()
    const q = new SchedulingQueue({ clock, less })
    // A pseudo-random but fixed mix of priorities, so deletions hit the root, leaves and the middle.
    const priorities = Array.from({ length: 200 }, (_, i) => (i * 37) % 11)
    for (const [i, p] of priorities.entries()) {
      q.add(makePod().name(`p-${i}`).priority(p).obj())
      await clock.advance(1)
    }
    const deleted = new Set(priorities.map((_, i) => `p-${i}`).filter((_, i) => i % 3 === 0))
    deleted.add('p-10') // among the first out: priority 10
    for (const name of deleted) q.delete(`default/${name}`)

    const expected = priorities.map((p, i) => ({ name: `p-${i}`, p, i }))
      .filter(e => !deleted.has(e.name))
      .sort((a, b) => b.p - a.p || a.i - b.i)
      .map(e => e.name)
    assert.equal(q.activeLength, expected.length)
    assert.deepEqual(await drain(q), expected)
    q.close()
  })

  it('takes a deleted pod back when it is added again', async () => {
    const clock = new VirtualClock()
    const q = new SchedulingQueue({ clock, less })
    for (const name of ['a', 'b', 'c']) { q.add(makePod().name(name).obj()); await clock.advance(1) }
    q.delete('default/a')
    q.add(makePod().name('a').obj())
    assert.deepEqual(await drain(q), ['b', 'c', 'a'])
    q.close()
  })

  it('parks a failed pod, replaces a parked pod\'s object in place, and never holds a pod twice', async () => {
    const clock = new VirtualClock()
    const q = new SchedulingQueue({ clock, less })
    q.add(makePod().name('a').obj())
    const info = (await q.pop())!
    const cycle = q.nextCycle()
    // Queued again during its cycle (say its spec changed): it stays active, not parked as well.
    q.add(makePod().name('a').obj())
    q.addUnschedulable(info, cycle)
    assert.equal(q.updateParked(makePod().name('a').obj()), false, 'not parked')
    assert.deepEqual(await drain(q), ['a'])
    // Parked now: a status-only change is taken in place and it waits on.
    q.addUnschedulable(info, q.nextCycle())
    const newer = makePod().name('a').obj()
    assert.equal(q.updateParked(newer), true)
    assert.equal(q.activeLength, 0)
    q.moveAllToActiveOrBackoff()
    await clock.advance('10s')
    const next = (await q.pop())!
    assert.equal(next.pod, newer)
    q.close()
  })
})
