// Scores from kube-scheduler's least_allocated_test.go and balanced_allocation_test.go (v1.32
// semantics). Node capacities are plain quantities: cpu "4000" is 4000 cores, as upstream's tests.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeResourcesBalancedAllocation, newNodeResourcesFit } from '../../../src/scheduler/plugins/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { scoreNodes, snapshotOf, unpackedSnapshotOf } from './helpers.ts'

const EXT = 'abc.com/xyz'
const node = (name: string, cpu: string, memory: string, extra: Record<string, string> = {}): KubeObject => makeNode().name(name).capacity({ cpu, memory, ...extra }).obj()
const onNode = (name: string, ...reqs: Array<Record<string, string>>): KubeObject => {
  const b = makePod().name(`p-${Math.random().toString(36).slice(2)}`).node(name)
  for (const r of reqs) b.req(r)
  return b.obj()
}
const twoContainers = (): ReturnType<typeof makePod> => makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' })

interface Case { name: string, pod: KubeObject, nodes: KubeObject[], pods?: KubeObject[], resources?: Array<{ name: string, weight: number }>, want: Record<string, number> }

describe('NodeResourcesFit score: LeastAllocated (least_allocated_test.go)', () => {
  const cases: Case[] = [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), nodes: [node('node1', '4000', '10000'), node('node2', '4000', '10000')], want: { node1: 100, node2: 100 } },
    // node1: cpu (4000−3000)·100/4000 = 25, memory 50 → 37; node2: cpu 50, memory 50 → 50
    { name: 'nothing scheduled, resources requested, differently sized nodes', pod: twoContainers().obj(), nodes: [node('node1', '4000', '10000'), node('node2', '6000', '10000')], want: { node1: 37, node2: 50 } },
    { name: 'no resources requested, pods scheduled', pod: makePod().obj(), nodes: [node('node1', '4000', '10000'), node('node2', '4000', '10000')], pods: [onNode('node1'), onNode('node1'), onNode('node2'), onNode('node2')], want: { node1: 100, node2: 100 } },
    { name: 'no resources requested, pods scheduled with resources', pod: makePod().obj(), nodes: [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      pods: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })], want: { node1: 70, node2: 57 } },
    { name: 'resources requested, pods scheduled with resources', pod: twoContainers().obj(), nodes: [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      pods: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })], want: { node1: 57, node2: 45 } },
    { name: 'resources requested, pods scheduled with resources, differently sized nodes', pod: twoContainers().obj(), nodes: [node('node1', '10000', '20000'), node('node2', '10000', '50000')],
      pods: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })], want: { node1: 57, node2: 60 } },
    { name: 'requested resources exceed node capacity', pod: makePod().req({ cpu: '3000', memory: '0' }).obj(), nodes: [node('node1', '4000', '10000'), node('node2', '4000', '10000')],
      pods: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })], want: { node1: 50, node2: 25 } },
    { name: 'zero node resources, pods scheduled with resources', pod: makePod().obj(), nodes: [makeNode().name('node1').obj(), makeNode().name('node2').obj()],
      pods: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })], want: { node1: 0, node2: 0 } },
    // (25·1 + 50·2) / 3 = 41; (50 + 100) / 3 = 50
    { name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes', pod: twoContainers().obj(),
      nodes: [node('node1', '4000', '10000'), node('node2', '6000', '10000')], resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }], want: { node1: 41, node2: 50 } },
    { name: 'bypass extended resource if the pod does not request', pod: twoContainers().obj(), nodes: [node('node1', '6000', '10000'), node('node2', '6000', '10000', { [EXT]: '4' })],
      resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: EXT, weight: 1 }], want: { node1: 50, node2: 50 } },
    // extended: node1 (4−2)/4 = 50, node2 (10−2)/10 = 80 → (50 + 50 + 80) / 3 = 60
    { name: 'honor extended resource if the pod requests', pod: makePod().req({ cpu: '3000', memory: '5000', [EXT]: '2' }).obj(), nodes: [node('node1', '6000', '10000', { [EXT]: '4' }), node('node2', '6000', '10000', { [EXT]: '10' })],
      resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: EXT, weight: 1 }], want: { node1: 50, node2: 60 } },
    { name: "if the node doesn't have a resource", pod: makePod().req({ cpu: '3000', memory: '4000' }).obj(), nodes: [node('node1', '6000', '10000'), node('node2', '6000', '10000', { [EXT]: '4' })],
      resources: [{ name: EXT, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], want: { node1: 55, node2: 55 } },
    // Non-zero defaults: an existing pod without requests counts 100m and 200Mi on node1.
    { name: 'a container without requests counts 100m cpu and 200Mi memory', pod: makePod().container().obj(),
      nodes: [node('node1', '1', '1Gi'), node('node2', '1', '1Gi')], pods: [onNode('node1', {})], want: { node1: 70, node2: 85 } },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const plugin = newNodeResourcesFit(c.resources ? { args: { scoringStrategy: { type: 'LeastAllocated', resources: c.resources } } } : {})
      assert.deepEqual(scoreNodes(plugin, c.pod, snapshotOf(c.nodes, c.pods)).scores, c.want)
      assert.deepEqual(scoreNodes(plugin, c.pod, unpackedSnapshotOf(c.nodes, c.pods)).scores, c.want, 'without packed numbers')
    })
  }
  it('a resource weight outside 1..100 is refused', () => {
    assert.throws(() => newNodeResourcesFit({ args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 0 }] } } }), /weight/)
  })
  it('MostAllocated favours the fuller node', () => {
    const plugin = newNodeResourcesFit({ args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } })
    // node1: cpu 3000/4000 = 75, memory 5000/10000 = 50 → 62; node2: 50, 50 → 50
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')]
    assert.deepEqual(scoreNodes(plugin, twoContainers().obj(), snapshotOf(nodes)).scores, { node1: 62, node2: 50 })
    assert.deepEqual(scoreNodes(plugin, twoContainers().obj(), unpackedSnapshotOf(nodes)).scores, { node1: 62, node2: 50 })
  })
})

describe('NodeResourcesBalancedAllocation score (balanced_allocation_test.go)', () => {
  const cpuAndMemory = (n: string): KubeObject => onNode(n, { cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' })
  const cpuOnly = (n: string): KubeObject => onNode(n, { cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' })
  const cpuAndMemoryAndGPU = (n: string): KubeObject => onNode(n, { cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' })
  const milliNode = (name: string, milliCPU: number, memory: number, gpu?: number): KubeObject =>
    node(name, `${milliCPU}m`, `${memory}`, gpu ? { 'nvidia.com/gpu': `${gpu}` } : {})
  const withGPU = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 1 }]
  const incoming = (): KubeObject => makePod().req({ cpu: '1000m', memory: '2000' }).req({ cpu: '2000m', memory: '3000' }).obj()

  const cases: Case[] = [
    // v1.32 still scores best-effort pods (the PreScore Skip came in v1.33): fractions 0 and 0 → 100.
    { name: 'nothing scheduled, nothing requested, scored (v1.32)', pod: makePod().obj(), nodes: [milliNode('node1', 4000, 10000), milliNode('node2', 4000, 10000)], want: { node1: 100, node2: 100 } },
    // node1: cpu 3000/4000 = 0.75, memory 0.5 → std 0.125 → 87; node2: 0.5, 0.5 → 100
    { name: 'nothing scheduled, resources requested, differently sized nodes', pod: incoming(), nodes: [milliNode('node1', 4000, 10000), milliNode('node2', 6000, 10000)], want: { node1: 87, node2: 100 } },
    { name: 'resources requested, pods scheduled with resources', pod: incoming(), nodes: [milliNode('node1', 10000, 20000), milliNode('node2', 10000, 20000)], pods: [cpuOnly('node1'), cpuAndMemory('node2')], want: { node1: 82, node2: 95 } },
    { name: 'resources requested, pods scheduled with resources, differently sized nodes', pod: incoming(), nodes: [milliNode('node1', 10000, 20000), milliNode('node2', 10000, 50000)], pods: [cpuOnly('node1'), cpuAndMemory('node2')], want: { node1: 82, node2: 80 } },
    { name: 'requested resources at node capacity', pod: cpuOnly('node1'), nodes: [milliNode('node1', 6000, 10000), milliNode('node2', 6000, 10000)], pods: [cpuOnly('node1'), cpuAndMemory('node2')], want: { node1: 50, node2: 75 } },
    { name: 'include scalar resource on a node for balanced resource allocation', pod: makePod().req({ memory: '0', 'nvidia.com/gpu': '1' }).obj(), nodes: [milliNode('node1', 3500, 40000, 8), milliNode('node2', 3500, 40000, 8)],
      pods: [cpuAndMemory('node2'), cpuAndMemoryAndGPU('node1')], resources: withGPU, want: { node1: 70, node2: 65 } },
    // The real requests, not the non-zero ones: a pod without requests adds nothing. cpu 3000/4000 = 0.75,
    // memory 5000 of 1Gi ≈ 0 → std 0.375 → 62 on both (with 100m/200Mi counted node1 would get 70).
    { name: 'a pod without requests on the node counts nothing (real requests, not non-zero)', pod: makePod().req({ cpu: '3000m', memory: '5000' }).obj(),
      nodes: [node('node1', '4000m', '1Gi'), node('node2', '4000m', '1Gi')], pods: [onNode('node1', {})], want: { node1: 62, node2: 62 } },
    // Only cpu is allocatable: one fraction, a deviation of 0 → 100; neither: 100 as well.
    { name: 'a node with one of the two resources, or neither, scores 100', pod: makePod().req({ cpu: '3000m', memory: '5000' }).obj(),
      nodes: [node('node1', '4000m', '0'), node('node2', '0', '0')], want: { node1: 100, node2: 100 } },
    { name: 'node without the scalar resource should skip the scalar resource', pod: incoming(), nodes: [milliNode('node1', 3500, 40000, 8), milliNode('node2', 3500, 40000)], resources: withGPU, want: { node1: 63, node2: 63 } },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const plugin = newNodeResourcesBalancedAllocation(c.resources ? { args: { resources: c.resources } } : {})
      assert.deepEqual(scoreNodes(plugin, c.pod, snapshotOf(c.nodes, c.pods)).scores, c.want)
      assert.deepEqual(scoreNodes(plugin, c.pod, unpackedSnapshotOf(c.nodes, c.pods)).scores, c.want, 'without packed numbers')
    })
  }
  it('resources requested, pods scheduled with resources if PreScore not called', () => {
    const got = scoreNodes(newNodeResourcesBalancedAllocation(), incoming(), snapshotOf([milliNode('node1', 10000, 20000), milliNode('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')]), { preScore: false })
    assert.deepEqual(got.scores, { node1: 82, node2: 95 })
  })
})
