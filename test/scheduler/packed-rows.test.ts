// NodeInfo.packed is a copy of the numbers Filter and Score read, in rows of one shared array
// (packed-rows.ts). Whatever happens to pods and nodes, each NodeInfo's row must equal its own
// fields, and a NodeInfo the cache dropped must keep the numbers it had.
import assert from 'node:assert/strict'
import { SchedulerCache } from '../../src/scheduler/cache.ts'
import { PACKED, packedOf } from '../../src/scheduler/node-info.ts'
import type { NodeInfo } from '../../src/scheduler/types.ts'
import { cloneNodeInfo } from '../../src/scheduler/preemption/index.ts'
import type { KubeObject } from '../../src/api/object.ts'
import { makeNode as nodeBuilder, makePod as podBuilder } from './builders.ts'

const makeNode = (name: string, r: { cpu: string, memory: string, pods: number }): KubeObject =>
  nodeBuilder().name(name).capacity({ cpu: r.cpu, memory: r.memory, pods: String(r.pods) }).obj()
const makePod = (name: string, requests: Record<string, string>, node?: string): KubeObject => {
  const b = podBuilder().name(name).req(requests)
  return (node === undefined ? b : b.node(node)).obj()
}

/** The row next to what the fields say it should be. */
function rowOf (ni: NodeInfo): { packed: number[], fields: number[] } {
  const fields = new Array<number>(12)
  fields[PACKED.allocatablePods] = ni.allocatable.pods
  fields[PACKED.allocatableMilliCPU] = ni.allocatable.milliCPU
  fields[PACKED.allocatableMemory] = ni.allocatable.memory
  fields[PACKED.allocatableEphemeralStorage] = ni.allocatable.ephemeralStorage
  fields[PACKED.pods] = ni.pods.length
  fields[PACKED.requestedMilliCPU] = ni.requested.milliCPU
  fields[PACKED.requestedMemory] = ni.requested.memory
  fields[PACKED.requestedEphemeralStorage] = ni.requested.ephemeralStorage
  fields[PACKED.nonZeroMilliCPU] = ni.nonZeroRequested.milliCPU
  fields[PACKED.nonZeroMemory] = ni.nonZeroRequested.memory
  fields[PACKED.unschedulable] = (ni.node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true ? 1 : 0
  fields[PACKED.taints] = ((ni.node.spec as { taints?: unknown[] } | undefined)?.taints ?? []).length
  return { packed: [...ni.packed!.subarray(ni.packedAt ?? 0, (ni.packedAt ?? 0) + 12)], fields }
}

function assertRows (cache: SchedulerCache): void {
  for (const ni of cache.nodes) {
    const { packed, fields } = rowOf(ni)
    assert.deepEqual(packed, fields, `row of ${ni.name}`)
  }
}

describe('scheduler cache: packed rows of the nodes\' numbers', () => {
  it('follow pods bound, assumed, forgotten and deleted, and node changes, on every node', () => {
    const cache = new SchedulerCache()
    for (let i = 0; i < 3; i++) cache.setNode(makeNode(`n${i}`, { cpu: '4', memory: '8Gi', pods: 10 }))
    const pods = Array.from({ length: 6 }, (_, i) => makePod(`p${i}`, { cpu: `${i + 1}00m`, memory: `${i + 1}Gi` }))
    pods.forEach((_, i) => cache.setPod(makePod(`p${i}`, { cpu: `${i + 1}00m`, memory: `${i + 1}Gi` }, `n${i % 3}`)))
    assertRows(cache)
    cache.assume(makePod('a', { cpu: '1' }), 'n1')
    assertRows(cache)
    cache.forget(makePod('a', { cpu: '1' }))
    cache.removePod(makePod('p0', {}, 'n0'))
    assertRows(cache)
    // A node's allocatable changes: its NodeInfo (and row) updated in place, its pods still counted.
    cache.setNode(makeNode('n1', { cpu: '16', memory: '8Gi', pods: 10 }))
    assertRows(cache)
    assert.equal(packedOf(cache.get('n1')!, PACKED.allocatableMilliCPU), 16000)
    // Cordoned and tainted, then neither again.
    cache.setNode(nodeBuilder().name('n2').capacity({ cpu: '4', memory: '8Gi', pods: '10' }).unschedulable().taint('k', 'v', 'NoSchedule').obj())
    assertRows(cache)
    assert.deepEqual([packedOf(cache.get('n2')!, PACKED.unschedulable), packedOf(cache.get('n2')!, PACKED.taints)], [1, 1])
    cache.setNode(makeNode('n2', { cpu: '4', memory: '8Gi', pods: 10 }))
    assertRows(cache)
  })

  it('a node changed is its NodeInfo changed in place; a removed one keeps its numbers, its slot the new node\'s alone', () => {
    const cache = new SchedulerCache()
    cache.setNode(makeNode('old', { cpu: '4', memory: '8Gi', pods: 10 }))
    const before = cache.get('old')!
    cache.setPod(makePod('p0', { cpu: '1' }, 'old'))
    cache.setNode(makeNode('old', { cpu: '8', memory: '8Gi', pods: 10 }))
    assert.equal(cache.get('old'), before, 'the same NodeInfo, as upstream\'s SetNode')
    assert.deepEqual([packedOf(before, PACKED.allocatableMilliCPU), packedOf(before, PACKED.requestedMilliCPU)], [8000, 1000], 'its pods still counted')
    assertRows(cache)
    const gone = cache.get('old')!
    cache.removeNode('old')
    cache.setNode(makeNode('new', { cpu: '2', memory: '1Gi', pods: 5 }))
    cache.setPod(makePod('p', { cpu: '1' }, 'new'))
    assert.equal(packedOf(gone, PACKED.allocatableMilliCPU), 8000)
    assert.equal(packedOf(gone, PACKED.requestedMilliCPU), 1000)
    assertRows(cache)
  })

  it('stay right as the shared array grows past its first 1,024 rows', () => {
    const cache = new SchedulerCache()
    for (let i = 0; i < 2500; i++) cache.setNode(makeNode(`n${i}`, { cpu: String(1 + (i % 7)), memory: '8Gi', pods: 10 }))
    cache.setPod(makePod('p', { cpu: '1' }, 'n3'))
    assertRows(cache)
    assert.equal(new Set(cache.nodes.map(n => n.packed)).size, 1, 'every row in the one (grown) array')
  })

  it('a preemption dry run\'s copy has its own row: removing victims there leaves the cache as it was', () => {
    const cache = new SchedulerCache()
    cache.setNode(makeNode('n', { cpu: '4', memory: '8Gi', pods: 10 }))
    cache.setPod(makePod('v', { cpu: '3' }, 'n'))
    const copy = cloneNodeInfo(cache.get('n')!)
    copy.pods = []
    copy.requested.milliCPU = 0
    copy.packed![(copy.packedAt ?? 0) + PACKED.requestedMilliCPU] = 0
    assert.equal(packedOf(cache.get('n')!, PACKED.requestedMilliCPU), 3000)
    assertRows(cache)
  })
})
