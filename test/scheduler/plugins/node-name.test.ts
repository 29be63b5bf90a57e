// Cases from kube-scheduler's nodename/node_name_test.go.
import assert from 'node:assert/strict'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { newNodeName } from '../../../src/scheduler/plugins/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { filterStatus } from './helpers.ts'

describe('NodeName filter', () => {
  const cases: Array<[string, ReturnType<typeof makePod>, object]> = [
    ['no host specified', makePod(), { code: 'Success', reasons: [] }],
    ['host matches', makePod().node('foo'), { code: 'Success', reasons: [] }],
    ['host doesn\'t match', makePod().node('bar'), { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] }],
  ]
  for (const [name, pod, want] of cases) it(name, () => assert.deepEqual(filterStatus(newNodeName(), pod.obj(), newNodeInfo(makeNode().name('foo').obj())), want))
})
