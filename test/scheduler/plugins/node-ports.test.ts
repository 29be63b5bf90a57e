// Cases from kube-scheduler's nodeports/node_ports_test.go; ports written PROTOCOL/IP/PORT.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { newNodePorts } from '../../../src/scheduler/plugins/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { filterStatus, runFilter } from './helpers.ts'

/** newPod: one container with the given host ports. */
const podWith = (...ports: string[]): KubeObject => makePod().node('m1').containerPorts(ports.map((p) => {
  const [protocol, hostIP, port] = p.split('/')
  return { hostIP, hostPort: Number(port), protocol }
})).obj()

const CONFLICT = { code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] }
const OK = { code: 'Success', reasons: [] }

describe('NodePorts', () => {
  it('skip filter (a pod without host ports skips the filter)', () => {
    assert.deepEqual(runFilter(newNodePorts(), makePod().obj(), newNodeInfo(makeNode().obj())).preFilter?.status, { code: 'Skip', reasons: [] })
  })
  const cases: Array<[string, KubeObject, KubeObject, object]> = [
    ['other port', podWith('UDP/127.0.0.1/8080'), podWith('UDP/127.0.0.1/9090'), OK],
    ['same udp port', podWith('UDP/127.0.0.1/8080'), podWith('UDP/127.0.0.1/8080'), CONFLICT],
    ['same tcp port', podWith('TCP/127.0.0.1/8080'), podWith('TCP/127.0.0.1/8080'), CONFLICT],
    ['different host ip', podWith('TCP/127.0.0.1/8080'), podWith('TCP/127.0.0.2/8080'), OK],
    ['different protocol', podWith('UDP/127.0.0.1/8080'), podWith('TCP/127.0.0.1/8080'), OK],
    ['second udp port conflict', podWith('UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'), podWith('UDP/127.0.0.1/8080'), CONFLICT],
    ['first tcp port conflict', podWith('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'), podWith('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'), CONFLICT],
    ['first tcp port conflict due to 0.0.0.0 hostIP', podWith('TCP/0.0.0.0/8001'), podWith('TCP/127.0.0.1/8001'), CONFLICT],
    ['TCP hostPort conflict due to 0.0.0.0 hostIP', podWith('TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'), podWith('TCP/127.0.0.1/8001'), CONFLICT],
    ['second tcp port conflict to 0.0.0.0 hostIP', podWith('TCP/127.0.0.1/8001'), podWith('TCP/0.0.0.0/8001'), CONFLICT],
    ['second different protocol', podWith('UDP/127.0.0.1/8001'), podWith('TCP/0.0.0.0/8001'), OK],
    ['UDP hostPort conflict due to 0.0.0.0 hostIP', podWith('UDP/127.0.0.1/8001'), podWith('TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'), CONFLICT],
    ['an empty host IP means 0.0.0.0 and an empty protocol means TCP', makePod().hostPort(8001).obj(), podWith('TCP/127.0.0.1/8001'), CONFLICT],
    ['SCTP only conflicts with SCTP', podWith('SCTP/0.0.0.0/8001'), podWith('TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'), OK],
  ]
  for (const [name, pod, existing, want] of cases) {
    it(name, () => assert.deepEqual(filterStatus(newNodePorts(), pod, newNodeInfo(makeNode().name('m1').obj(), [existing])), want))
  }
  it('a port is free again once the pod using it leaves the node', async () => {
    const { removePod } = await import('../../../src/scheduler/node-info.ts')
    const existing = podWith('TCP/0.0.0.0/80')
    const ni = newNodeInfo(makeNode().name('m1').obj(), [existing])
    removePod(ni, existing)
    assert.deepEqual(filterStatus(newNodePorts(), podWith('TCP/0.0.0.0/80'), ni), OK)
  })
})
