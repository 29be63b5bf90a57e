// Pure pieces of the ReplicaSet controller: deletion ranking, slow-start batches, expectations.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Expectations } from '../../../src/controllers/replicaset/expectations.ts'
import { sortForDeletion } from '../../../src/controllers/replicaset/pods.ts'
import { slowStartBatch } from '../../../src/controllers/replicaset/sync.ts'
import { VirtualClock } from '../../../src/util/clock.ts'

const NOW = Date.parse('2025-01-01T01:00:00Z')
const at = (s: number): string => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z')

function pod (name: string, o: { node?: string, phase?: string, ready?: number, created?: number, restarts?: number, cost?: number } = {}): KubeObject {
  return {
    metadata: { name, creationTimestamp: at(o.created ?? 100), ...(o.cost === undefined ? {} : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } }) },
    spec: o.node === undefined ? {} : { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.ready) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  }
}

describe('controllers/replicaset units', () => {
  const cases: Array<[string, KubeObject[], Map<string, number> | undefined, string]> = [
    ['an unassigned pod goes before an assigned one', [pod('assigned', { node: 'n', ready: 50 }), pod('unassigned', { phase: 'Pending' })], undefined, 'unassigned'],
    ['pending goes before running', [pod('running', { node: 'n', ready: 50 }), pod('pending', { node: 'n', phase: 'Pending' })], undefined, 'pending'],
    ['not ready goes before ready', [pod('ready', { node: 'n', ready: 50 }), pod('unready', { node: 'n' })], undefined, 'unready'],
    ['lower pod-deletion-cost goes first', [pod('cheap', { node: 'n', ready: 50, cost: -1 }), pod('dear', { node: 'n', ready: 50 })], undefined, 'cheap'],
    ['a pod doubled up on a node goes first', [pod('alone', { node: 'a', ready: 50 }), pod('crowded', { node: 'b', ready: 50 })], new Map([['alone', 1], ['crowded', 3]]), 'crowded'],
    ['ready for less time goes first', [pod('long', { node: 'n', ready: 3000 }), pod('short', { node: 'n', ready: 5 })], undefined, 'short'],
    ['more restarts go first', [pod('calm', { node: 'n', ready: 50 }), pod('flappy', { node: 'n', ready: 50, restarts: 4 })], undefined, 'flappy'],
    ['newer goes before older', [pod('old', { node: 'n', ready: 50, created: 3000 }), pod('new', { node: 'n', ready: 50, created: 10 })], undefined, 'new'],
  ]
  for (const [name, pods, ranks, first] of cases) {
    it(name, () => {
      const r = new Map(pods.map(p => [p, ranks?.get(p.metadata.name!) ?? 0]))
      assert.equal(sortForDeletion(pods, r, NOW)[0].metadata.name, first)
      assert.equal(sortForDeletion([...pods].reverse(), r, NOW)[0].metadata.name, first)
    })
  }

  it('creates in slow-start batches of 1, 2, 4, … and stops after a failing batch', async () => {
    const sizes: number[] = []
    let started = 0
    const sum = (): number => sizes.reduce((a, b) => a + b, 0)
    const ok = await slowStartBatch(10, 1, async () => { started++; await Promise.resolve(); if (sum() < started) sizes.push(started - sum()) })
    assert.deepEqual(sizes, [1, 2, 4, 3])
    assert.equal(ok.created, 10)
    let calls = 0
    const failing = await slowStartBatch(10, 1, async () => { if (++calls === 2) throw new Error('quota') })
    assert.deepEqual([failing.created, calls, (failing.error as Error).message], [2, 3, 'quota'], 'batch 1 ok, batch 2 (2 calls) fails one, no third batch')
  })

  it('expectations hold a key until every create and delete is observed, or five minutes pass', async () => {
    const clock = new VirtualClock()
    const e = new Expectations(clock)
    e.expectCreations('ns/rs', 2)
    assert.equal(e.satisfied('ns/rs'), false)
    e.creationObserved('ns/rs')
    e.creationObserved('ns/rs')
    assert.equal(e.satisfied('ns/rs'), true)
    e.expectDeletions('ns/rs', ['ns/a'])
    assert.equal(e.satisfied('ns/rs'), false)
    await clock.advance(5 * 60 * 1000 + 1)
    assert.equal(e.satisfied('ns/rs'), true)
  })
})
