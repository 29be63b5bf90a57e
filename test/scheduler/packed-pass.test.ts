// The scheduler's shortcut over packed rows: a node meeting every active filter's PackedPass is
// taken as feasible without running the filters, and score plugins read the feasible nodes' rows
// instead of their NodeInfos. Both must change nothing: over many generated clusters and pods, a
// node the shortcut passes is one the filters pass, and the totals from rows equal the totals
// node by node.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { SchedulerCache } from '../../src/scheduler/cache.ts'
import { Framework } from '../../src/scheduler/framework.ts'
import { buildProfile, profileConfig } from '../../src/scheduler/profile.ts'
import { CycleState, isSuccess } from '../../src/scheduler/types.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { makeNode, makePod } from './builders.ts'
import { mulberry32 } from '../support/random.ts'

const framework = (): Framework => new Framework(buildProfile(profileConfig({}), { clock: new VirtualClock(), listers: {} }))

/** A small deterministic generator (mulberry32), so a failure names a case that can be rerun. */
function generator (seed: number): (n: number) => number {
  const next = mulberry32(seed)
  return n => next() % n
}

function randomNode (r: (n: number) => number, i: number): KubeObject {
  const b = makeNode().name(`n${i}`).label('kubernetes.io/hostname', `n${i}`).label('zone', `z${r(3)}`)
    .capacity({ cpu: String(1 + r(4)), memory: `${1 + r(4)}Gi`, pods: String(1 + r(4)), 'ephemeral-storage': `${1 + r(3)}Gi`, ...(r(3) === 0 ? { 'example.com/gpu': '1' } : {}) })
  if (r(5) === 0) b.unschedulable()
  if (r(4) === 0) b.taint('dedicated', r(2) === 0 ? 'a' : '', ['NoSchedule', 'PreferNoSchedule', 'NoExecute'][r(3)])
  if (r(4) === 0) b.image(['nginx:1.27'], 50_000_000 + r(4) * 100_000_000)
  return b.obj()
}

function randomPod (r: (n: number) => number, name: string): KubeObject {
  const requests: Record<string, string> = {}
  if (r(4) !== 0) requests.cpu = `${100 + r(20) * 100}m`
  if (r(4) !== 0) requests.memory = `${128 + r(16) * 128}Mi`
  if (r(4) === 0) requests['ephemeral-storage'] = `${r(3) + 1}Gi`
  if (r(8) === 0) requests['example.com/gpu'] = '1'
  const b = makePod().name(name).container({ image: r(2) === 0 ? 'nginx:1.27' : 'busybox', requests })
  if (r(6) === 0) b.toleration({ key: 'dedicated', operator: 'Exists' })
  if (r(8) === 0) b.toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' })
  if (r(8) === 0) b.nodeSelector({ zone: 'z1' })
  if (r(8) === 0) b.hostPort(8080)
  if (r(10) === 0) b.node('n1')
  return b.obj()
}

describe('scheduler: the packed-row shortcut changes no outcome', () => {
  it('a plain pod\'s filters all have a condition: a roomy node meets it; cordoned, tainted, full nodes and extended resources do not', () => {
    const cache = new SchedulerCache()
    cache.setNode(makeNode().name('roomy').capacity({ cpu: '4', memory: '8Gi', pods: '10' }).obj())
    cache.setNode(makeNode().name('cordoned').capacity({ cpu: '4', memory: '8Gi', pods: '10' }).unschedulable().obj())
    cache.setNode(makeNode().name('tainted').capacity({ cpu: '4', memory: '8Gi', pods: '10' }).taint('k', 'v', 'PreferNoSchedule').obj())
    cache.setNode(makeNode().name('small').capacity({ cpu: '1', memory: '8Gi', pods: '10' }).obj())
    cache.setNode(makeNode().name('full').capacity({ cpu: '4', memory: '8Gi', pods: '1' }).obj())
    cache.setPod(makePod().name('there').node('full').obj())
    const fw = framework()
    const passes = (pod: KubeObject): string[] | undefined => {
      const state = new CycleState()
      assert.ok(isSuccess(fw.runPreFilter(state, pod, cache).status))
      const check = fw.packedCheck(state, pod, fw.activeFilters(state))
      if (check === undefined) return undefined
      const rows = cache.rows()
      return cache.nodes.filter((_, i) => check.passes(rows.packed, rows.at[i])).map(n => n.name)
    }
    assert.deepEqual(passes(makePod().name('p').req({ cpu: '2', memory: '1Gi' }).obj()), ['roomy'])
    assert.deepEqual(passes(makePod().name('p').req({ cpu: '2' }).toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }).obj()), ['roomy', 'cordoned'])
    assert.equal(passes(makePod().name('p').req({ cpu: '1', 'example.com/gpu': '1' }).obj()), undefined, 'extended resources: every node runs the filters')
    assert.equal(passes(makePod().name('p').req({ cpu: '1' }).nodeSelector({ a: 'b' }).obj()), undefined, 'NodeAffinity has no condition: every node runs the filters')
  })

  it('over 200 generated clusters and pods: every node the shortcut passes, the filters pass; totals from rows equal totals node by node', () => {
    const fw = framework()
    let shortcuts = 0
    for (let seed = 1; seed <= 200; seed++) {
      const r = generator(seed)
      const cache = new SchedulerCache()
      const nodes = Array.from({ length: 2 + r(8) }, (_, i) => randomNode(r, i))
      for (const n of nodes) cache.setNode(n)
      for (let i = 0; i < r(12); i++) {
        const placed = randomPod(r, `placed${i}`)
        cache.setPod({ ...placed, spec: { ...(placed.spec as object), nodeName: `n${r(nodes.length)}` } } as KubeObject)
      }
      const pod = randomPod(r, 'incoming')
      const state = new CycleState()
      if (!isSuccess(fw.runPreFilter(state, pod, cache).status)) continue
      const filters = fw.activeFilters(state)
      const check = fw.packedCheck(state, pod, filters)
      const rows = cache.rows()
      const feasible = cache.nodes.filter((n, i) => {
        const filtered = isSuccess(fw.runFilters(state, pod, n, cache, filters))
        if (check?.passes(rows.packed, rows.at[i]) === true) {
          shortcuts++
          assert.ok(filtered, `seed ${seed}: the shortcut passed ${n.name}, the filters refuse it`)
        }
        return filtered
      })
      if (feasible.length === 0) continue
      const at = feasible.map(n => rows.at[cache.nodes.indexOf(n)])
      const fromRows = fw.runScore(state.clone(), pod, feasible, cache, { packed: rows.packed, at })
      const nodeByNode = fw.runScore(state.clone(), pod, feasible, cache)
      assert.deepEqual([...fromRows], [...nodeByNode], `seed ${seed}: totals`)
    }
    assert.ok(shortcuts > 100, `the shortcut was taken ${shortcuts} times`)
  })

  it('stays aligned with the cache\'s nodes as the row array grows, nodes go and their slots are reused', () => {
    const fw = framework()
    const r = generator(42)
    const cache = new SchedulerCache()
    for (let i = 0; i < 1100; i++) cache.setNode(randomNode(r, i)) // past the first 1,024 rows
    const aligned = (): void => assert.deepEqual(Array.from(cache.rows().at), cache.nodes.map(n => n.packedAt), 'each node\'s row where its NodeInfo says')
    aligned()
    for (let i = 0; i < 1100; i += 7) cache.removeNode(`n${i}`)
    aligned()
    for (let i = 2000; i < 2050; i++) cache.setNode(randomNode(r, i)) // into the freed slots
    for (let i = 0; i < 300; i++) {
      const placed = randomPod(r, `placed${i}`)
      const node = cache.nodes[r(cache.nodes.length)].name
      cache.setPod({ ...placed, spec: { ...(placed.spec as object), nodeName: node } } as KubeObject)
    }
    aligned()
    const rows = cache.rows()
    assert.ok(cache.nodes.every(n => n.packed === rows.packed), 'every row in the current array')
    for (let k = 0; k < 40; k++) {
      const pod = randomPod(r, `p${k}`)
      const state = new CycleState()
      if (!isSuccess(fw.runPreFilter(state, pod, cache).status)) continue
      const filters = fw.activeFilters(state)
      const check = fw.packedCheck(state, pod, filters)
      const feasible = cache.nodes.filter((n, i) => {
        const filtered = isSuccess(fw.runFilters(state, pod, n, cache, filters))
        if (check?.passes(rows.packed, rows.at[i]) === true) assert.ok(filtered, `${n.name} passed by its row, refused by the filters`)
        return filtered
      })
      const at = feasible.map(n => n.packedAt!)
      assert.deepEqual([...fw.runScore(state.clone(), pod, feasible, cache, { packed: rows.packed, at })], [...fw.runScore(state.clone(), pod, feasible, cache)])
    }
  })
})
