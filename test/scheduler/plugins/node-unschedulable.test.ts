// Cases from kube-scheduler's nodeunschedulable/node_unschedulable_test.go.
import assert from 'node:assert/strict'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { newNodeUnschedulable } from '../../../src/scheduler/plugins/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { filterStatus } from './helpers.ts'

describe('NodeUnschedulable filter', () => {
  const unschedulable = { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] }
  const ok = { code: 'Success', reasons: [] }
  const cases: Array<[string, ReturnType<typeof makePod>, ReturnType<typeof makeNode>, object]> = [
    ['Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', makePod(), makeNode().unschedulable(), unschedulable],
    ['Schedule pod to normal node', makePod(), makeNode(), ok],
    ['Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)',
      makePod().toleration({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }), makeNode().unschedulable(), ok],
    ['a toleration of every taint (Exists, no key) also tolerates cordoning', makePod().toleration({ operator: 'Exists' }), makeNode().unschedulable(), ok],
    ['a NoExecute toleration does not tolerate cordoning', makePod().toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }), makeNode().unschedulable(), unschedulable],
  ]
  for (const [name, pod, node, want] of cases) {
    it(name, () => {
      assert.deepEqual(filterStatus(newNodeUnschedulable(), pod.obj(), newNodeInfo(node.obj())), want)
      // The same without the packed numbers (a NodeInfo built by hand reads the node itself).
      assert.deepEqual(filterStatus(newNodeUnschedulable(), pod.obj(), { ...newNodeInfo(node.obj()), packed: undefined }), want)
    })
  }
})
