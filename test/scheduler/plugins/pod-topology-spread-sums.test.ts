// PodTopologySpread's kept sums over every node (DomainCounts, from the cache's change log) must
// give PreScore exactly what counting every node gives, through nodes joining, relabelled and
// leaving, pods bound, assumed, forgotten, finished and deleted, and a change log that outran them.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { SchedulerCache } from '../../../src/scheduler/cache.ts'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { filterConstraints, LABEL_HOSTNAME, LABEL_ZONE } from '../../../src/scheduler/plugins/pod-topology-spread/constraints.ts'
import { DomainCounts } from '../../../src/scheduler/plugins/pod-topology-spread/domain-counts.ts'
import { computePreScoreState, scoreNode } from '../../../src/scheduler/plugins/pod-topology-spread/scoring.ts'
import { makeNode, makePod } from '../builders.ts'

/** A small deterministic generator (the test must not depend on luck). */
function lcg (seed: number): (n: number) => number {
  let x = seed
  return n => { x = (x * 1103515245 + 12345) % 2147483648; return x % n }
}

const ZONES = ['a', 'b', 'c', undefined]

describe('PodTopologySpread sums kept over every node', () => {
  const cases: Array<{ name: string, requireAll: boolean, constraints: Array<Record<string, unknown>> }> = [
    { name: 'system defaults (hostname and zone, no key required)', requireAll: false, constraints: [
      { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3, labelSelector: { matchLabels: { app: 'web' } } },
      { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5, labelSelector: { matchLabels: { app: 'web' } } },
    ] },
    { name: 'one explicit zone constraint (its key required)', requireAll: true, constraints: [
      { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1, labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } },
    ] },
  ]
  for (const c of cases) {
    it(`equal the full count after every change: ${c.name}`, () => {
      const random = lcg(7)
      const cache = new SchedulerCache()
      const counts = new DomainCounts()
      const constraints = filterConstraints(c.constraints as any, {}, 'ScheduleAnyway')
      const incoming = makePod().name('incoming').label('app', 'web').obj()
      const node = (i: number): KubeObject => {
        const b = makeNode().name(`n${i}`).label(LABEL_HOSTNAME, `n${i}`)
        const zone = ZONES[random(ZONES.length)]
        if (zone !== undefined) b.label(LABEL_ZONE, zone)
        return b.obj()
      }
      const pods = new Map<string, KubeObject>()
      const check = (): void => {
        const all = cache.nodes
        const filtered = all.filter((_, i) => i % 3 !== 1)
        const kept = computePreScoreState(incoming, constraints, filtered, all, c.requireAll, { counts, snapshot: cache })
        const full = computePreScoreState(incoming, constraints, filtered, all, c.requireAll)
        assert.deepEqual(kept.topologyValueToPodCounts, full.topologyValueToPodCounts)
        // Hostname constraints score from the kept per-node counts: the same scores.
        assert.deepEqual(filtered.map(ni => scoreNode(kept, incoming, ni)), filtered.map(ni => scoreNode(full, incoming, ni)))
      }
      for (let i = 0; i < 12; i++) cache.setNode(node(i))
      check()
      for (let step = 0; step < 600; step++) {
        const op = random(10)
        const target = `n${random(14)}`
        if (op < 5) {
          const p = makePod().name(`p${step}`).label('app', ['web', 'api', 'db'][random(3)]).node(target).obj()
          if (random(4) === 0) cache.assume({ ...p, spec: { ...(p.spec as object), nodeName: undefined } } as KubeObject, target)
          else cache.setPod(p)
          pods.set(p.metadata.name!, p)
        } else if (op < 7 && pods.size > 0) {
          const name = [...pods.keys()][random(pods.size)]
          const p = pods.get(name)!
          pods.delete(name)
          if (random(2) === 0) cache.removePod(p)
          else cache.setPod({ ...p, status: { phase: 'Succeeded' } } as KubeObject)
        } else if (op === 7) {
          cache.setNode(node(Number(target.slice(1)))) // joins, or is relabelled
        } else if (op === 8) {
          cache.removeNode(target)
        }
        check()
      }
      // A NodeInfo that is not the cache's (built by hand: its row is its own, at slot 0 like
      // another node's) is counted, not read from the slot.
      const all = cache.nodes
      const kept = computePreScoreState(incoming, constraints, all, all, c.requireAll, { counts, snapshot: cache })
      const byHand = newNodeInfo(makeNode().name('elsewhere').label(LABEL_HOSTNAME, 'elsewhere').label(LABEL_ZONE, 'z').obj(),
        [1, 2, 3].map(i => makePod().name(`h${i}`).label('app', 'web').node('elsewhere').obj()))
      const full = computePreScoreState(incoming, constraints, all, all, c.requireAll)
      assert.equal(scoreNode(kept, incoming, byHand), scoreNode(full, incoming, byHand))
      const withHand = [...all, byHand]
      assert.deepEqual(computePreScoreState(incoming, constraints, withHand, all, c.requireAll, { counts, snapshot: cache }).topologyValueToPodCounts,
        computePreScoreState(incoming, constraints, withHand, all, c.requireAll).topologyValueToPodCounts)
      // More changes than the cache keeps: the sums are rebuilt and still equal.
      for (let i = 0; i < 21_000; i++) cache.setPod(makePod().name(`burst${i % 50}`).label('app', 'web').node(`n${i % 12}`).obj())
      check()
    })
  }

  it('a slot taken by another node before its old node\'s removal is applied', () => {
    // n0 and n1 leave, n0 comes back into n1's freed slot; the change log reads n0, n1, n0, so
    // n0 is put (in n1's slot) before n1's removal is applied.
    const cache = new SchedulerCache()
    const counts = new DomainCounts()
    const constraints = filterConstraints(cases[0].constraints as any, {}, 'ScheduleAnyway')
    const incoming = makePod().name('incoming').label('app', 'web').obj()
    const node = (name: string, zone: string): KubeObject => makeNode().name(name).label(LABEL_HOSTNAME, name).label(LABEL_ZONE, zone).obj()
    const check = (): void => {
      const all = cache.nodes
      const kept = computePreScoreState(incoming, constraints, all, all, false, { counts, snapshot: cache })
      const full = computePreScoreState(incoming, constraints, all, all, false)
      assert.deepEqual(kept.topologyValueToPodCounts, full.topologyValueToPodCounts)
      assert.deepEqual(all.map(ni => scoreNode(kept, incoming, ni)), all.map(ni => scoreNode(full, incoming, ni)))
    }
    cache.setNode(node('n0', 'a'))
    cache.setNode(node('n1', 'b'))
    cache.setNode(node('n2', 'b'))
    for (let i = 0; i < 4; i++) cache.setPod(makePod().name(`p${i}`).label('app', 'web').node(`n${i % 3}`).obj())
    check()
    cache.removeNode('n0')
    cache.removeNode('n1')
    cache.setNode(node('n0', 'b'))
    check()
  })
})
