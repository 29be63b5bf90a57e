// pickOneNode: upstream pickOneNodeForPreemption's criteria, one tie-break at a time.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { pickOneNode, type Candidate } from '../../../src/scheduler/preemption/index.ts'
import { makePod, T0 } from './fixtures.ts'

const priorityOf = (p: KubeObject): number => (p.spec as { priority?: number }).priority ?? 0
const v = (priority: number, startedMin?: number): KubeObject => {
  const b = makePod(`v${priority}`).priority(priority)
  return (startedMin === undefined ? b : b.started(startedMin)).obj()
}
const c = (nodeName: string, victims: KubeObject[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations })
const pick = (...cs: Candidate[]): string | undefined => pickOneNode(cs, { podPriority: priorityOf, now: T0 + 86_400_000 })?.nodeName

describe('scheduler/preemption: pickOneNode', () => {
  const cases: Array<{ name: string, candidates: Candidate[], want: string | undefined }> = [
    { name: 'no candidates: none', candidates: [], want: undefined },
    { name: 'one candidate: it', candidates: [c('a', [v(9)])], want: 'a' },
    {
      name: '1. fewer PDB violations wins over everything else',
      candidates: [c('a', [v(1)], 1), c('b', [v(100), v(100), v(100)], 0)],
      want: 'b',
    },
    {
      name: '2. then the lower highest victim priority',
      candidates: [c('a', [v(10), v(1)]), c('b', [v(5), v(5), v(5)])],
      want: 'b',
    },
    {
      name: '3. then the lower sum of priorities',
      candidates: [c('a', [v(5), v(4), v(4)]), c('b', [v(5), v(3), v(3)])],
      want: 'b',
    },
    {
      name: '3. the sum adds 2^31 per victim, so more negative-priority victims cost more, not less',
      candidates: [c('a', [v(-10), v(-10)]), c('b', [v(-10)])],
      want: 'b',
    },
    {
      name: '4. then fewer victims (equal sums need equal priorities, so: zero-priority pods)',
      candidates: [c('a', [v(0), v(0)]), c('b', [v(0)])],
      want: 'b',
    },
    {
      name: '5. then the latest start of the most important victims (the shortest-running is disturbed)',
      candidates: [c('a', [v(5, 10), v(5, 20)]), c('b', [v(5, 30), v(5, 15)])],
      want: 'b',
    },
    {
      name: '5. only the most important victims\' start times count (the p=3 ones would favour b)',
      candidates: [c('a', [v(5, 40), v(3, 0)]), c('b', [v(5, 30), v(3, 50)])],
      want: 'a',
    },
    {
      name: '6. all equal: the first candidate',
      candidates: [c('a', [v(5, 10)]), c('b', [v(5, 10)])],
      want: 'a',
    },
  ]
  for (const t of cases) it(t.name, () => assert.equal(pick(...t.candidates), t.want))

  it('5. with everything else equal, the node whose highest-priority victims started latest wins', () => {
    // a: most important victims (p=5) started at 40 and 0 → earliest 0; b: 30 → b is later.
    assert.equal(pick(c('a', [v(5, 40), v(5, 0)]), c('b', [v(5, 30), v(5, 30)])), 'b')
  })
})
