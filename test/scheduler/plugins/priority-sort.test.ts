// Cases from kube-scheduler's queuesort/priority_sort_test.go.
import assert from 'node:assert/strict'
import { newPrioritySort } from '../../../src/scheduler/plugins/index.ts'
import type { QueuedPodInfo } from '../../../src/scheduler/types.ts'
import { makePod } from '../builders.ts'

const queued = (priority: number | undefined, timestamp: number): QueuedPodInfo => {
  const b = makePod()
  if (priority !== undefined) b.priority(priority)
  return { pod: b.obj(), timestamp, attempts: 0 }
}

describe('PrioritySort less', () => {
  const cases: Array<[string, QueuedPodInfo, QueuedPodInfo, boolean]> = [
    ['p1.priority less than p2.priority', queued(100, 2), queued(200, 1), false],
    ['p1.priority greater than p2.priority', queued(200, 1), queued(100, 2), true],
    ['equal priority. p1 is added to schedulingQ earlier than p2', queued(100, 1), queued(100, 2), true],
    ['equal priority. p2 is added to schedulingQ earlier than p1', queued(100, 2), queued(100, 1), false],
    ['an unset priority counts as 0', queued(undefined, 1), queued(1, 2), false],
    ['system-node-critical goes before system-cluster-critical', queued(2000001000, 2), queued(2000000000, 1), true],
  ]
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(newPrioritySort().less(a, b), want))
})
