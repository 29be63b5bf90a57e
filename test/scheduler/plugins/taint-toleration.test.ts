// Cases from kube-scheduler's tainttoleration/taint_toleration_test.go, with v1.32's filter
// reason `node(s) had untolerated taint {<key>: <value>}`.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { newTaintToleration } from '../../../src/scheduler/plugins/index.ts'
import type { Taint, Toleration } from '../../../src/scheduler/plugins/shared/taints.ts'
import { makeNode, makePod } from '../builders.ts'
import { filterStatus, scoreNodes, snapshotOf } from './helpers.ts'

const nodeWithTaints = (name: string, taints: Taint[]): KubeObject => {
  const b = makeNode().name(name)
  for (const t of taints) b.taint(t.key, t.value ?? '', t.effect)
  return b.obj()
}
const podWithTolerations = (tolerations: Toleration[]): KubeObject => {
  const b = makePod().name('pod1')
  for (const t of tolerations) b.toleration(t)
  return b.obj()
}

describe('TaintToleration filter', () => {
  const cases: Array<[string, Toleration[], Taint[], string | undefined]> = [
    ["A pod having no tolerations can't be scheduled onto a node with nonempty taints", [], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], undefined],
    ["A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node', [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], undefined],
    ['A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }, { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      [{ key: 'dedicated', value: 'user2', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }], undefined],
    ["A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }], [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], 'node(s) had untolerated taint {foo: bar}'],
    ['The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      [{ key: 'foo', operator: 'Equal', value: 'bar' }], [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], undefined],
    ["The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }], undefined],
    ['The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node', [], [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }], undefined],
    ['the first untolerated taint in spec order is named', [{ key: 'a', operator: 'Exists' }], [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'b', value: '2', effect: 'NoExecute' }, { key: 'c', value: '3', effect: 'NoSchedule' }], 'node(s) had untolerated taint {b: 2}'],
    ['a taint without a value is named with an empty value', [], [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    ['an empty key with Exists tolerates every taint', [{ operator: 'Exists' }], [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoExecute' }], undefined],
  ]
  for (const [name, tolerations, taints, reason] of cases) {
    it(name, () => {
      const want = reason ? { code: 'UnschedulableAndUnresolvable', reasons: [reason] } : { code: 'Success', reasons: [] }
      assert.deepEqual(filterStatus(newTaintToleration(), podWithTolerations(tolerations), newNodeInfo(nodeWithTaints('nodeA', taints))), want)
      // The same without the packed taint count (a NodeInfo built by hand reads the node itself).
      assert.deepEqual(filterStatus(newTaintToleration(), podWithTolerations(tolerations), { ...newNodeInfo(nodeWithTaints('nodeA', taints)), packed: undefined }), want)
    })
  }
})

describe('TaintToleration score', () => {
  const cases: Array<[string, Toleration[], Array<[string, Taint[]]>, Record<string, number>]> = [
    ['node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      [['nodeA', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]], ['nodeB', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]]],
      { nodeA: 100, nodeB: 0 }],
    ['the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' }],
      [['nodeA', []], ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
        ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }]]],
      { nodeA: 100, nodeB: 100, nodeC: 100 }],
    ['the more intolerable taints a node has, the lower score it gets.',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      [['nodeA', []], ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
        ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }]]],
      { nodeA: 100, nodeB: 50, nodeC: 0 }],
    ['only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' }],
      [['nodeA', []], ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }]],
        ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }]]],
      { nodeA: 100, nodeB: 100, nodeC: 0 }],
    ['Default behaviour No taints and tolerations, lands on node with no taints', [],
      [['nodeA', []], ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]]], { nodeA: 100, nodeB: 0 }],
    // reverse normalization with integer division: 100 − 100·1/3 = 67
    ['one of three intolerable taints scores 100 − ⌊100/3⌋', [],
      [['nodeA', [{ key: 'a', effect: 'PreferNoSchedule' }]], ['nodeB', [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'PreferNoSchedule' }]]],
      { nodeA: 67, nodeB: 0 }],
  ]
  for (const [name, tolerations, nodes, want] of cases) {
    it(name, () => {
      const snap = snapshotOf(nodes.map(([n, taints]) => nodeWithTaints(n, taints)))
      assert.deepEqual(scoreNodes(newTaintToleration(), podWithTolerations(tolerations), snap).scores, want)
    })
  }
})
