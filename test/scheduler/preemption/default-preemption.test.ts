// DefaultPreemption as a PostFilter plugin: which nodes it tries, whom it nominates, and the
// `preemption: …` part of FailedScheduling (k3s-facts §2.2 step 3 and the §6 port clash).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { fitErrorMessage } from '../../../src/scheduler/message.ts'
import { defaultPreemption, type DefaultPreemptionOptions, type PreemptionResult } from '../../../src/scheduler/preemption/index.ts'
import { CycleState, type Snapshot, type Status } from '../../../src/scheduler/types.ts'
import { filterAll, filterNode, makePod, names, nodeInfo, pdb, PORTS, snapshotOf, T0 } from './fixtures.ts'

const clock = { now: () => T0 + 3_600_000 }
const UU = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons })

function run (pod: KubeObject, snapshot: Snapshot, opts: Partial<DefaultPreemptionOptions> & { statuses?: Map<string, Status> } = {}): PreemptionResult {
  const plugin = defaultPreemption({ filterNode, clock, ...opts })
  return plugin.postFilter(new CycleState(), pod, opts.statuses ?? filterAll(pod, snapshot), snapshot)
}

/** The whole FailedScheduling text, put together as the framework does. */
function failedScheduling (pod: KubeObject, snapshot: Snapshot, statuses = filterAll(pod, snapshot)): string {
  const r = run(pod, snapshot, { statuses })
  return fitErrorMessage({ numAllNodes: snapshot.nodes.length, statuses, postFilterMessage: r.message })
}

describe('scheduler/preemption: defaultPreemption', () => {
  const user = makePod('web').priority(0).cpu('1').obj()
  const critical = makePod('coredns', 'kube-system').priority(2000000000).cpu('1').obj()

  it('three full nodes, nothing of lower priority: "3 No preemption victims found" and the nomination cleared', () => {
    const full = (n: string): ReturnType<typeof nodeInfo> => nodeInfo(n, [makePod(`${n}-a`).priority(0).cpu('2').on(n).obj()])
    const snapshot = snapshotOf(full('n1'), full('n2'), full('n3'))
    const r = run(user, snapshot)
    assert.equal(r.status.code, 'Unschedulable')
    assert.equal(r.nominatedNodeName, '')
    assert.deepEqual(r.victims, [])
    assert.equal(failedScheduling(user, snapshot), '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.')
  })

  it('a lower-priority pod whose removal makes room: it is the victim and its node is nominated', () => {
    const snapshot = snapshotOf(nodeInfo('n1', [makePod('batch').priority(0).cpu('2').on('n1').obj()]))
    const r = run(critical, snapshot)
    assert.deepEqual(r.status, { code: 'Success', reasons: [], plugin: 'DefaultPreemption' })
    assert.equal(r.nominatedNodeName, 'n1')
    assert.deepEqual(names(r.victims), ['batch'])
    assert.equal(r.message, undefined)
    assert.equal(failedScheduling(critical, snapshot), '0/1 nodes are available: 1 Insufficient cpu.')
  })

  it('unresolvable nodes are not tried: "Preemption is not helpful for scheduling"', () => {
    const snapshot = snapshotOf(nodeInfo('n1', [makePod('batch').priority(0).cpu('2').on('n1').obj()]))
    const taint = 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'
    const statuses = new Map([['n1', UU(taint)]])
    const r = run(critical, snapshot, { statuses })
    assert.equal(r.nominatedNodeName, '')
    assert.equal(fitErrorMessage({ numAllNodes: 1, statuses, postFilterMessage: r.message }),
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.')
  })

  it('after a PreFilter rejection (every node UU, or none listed) preemption is not helpful anywhere', () => {
    const snapshot = snapshotOf(nodeInfo('n1', []), nodeInfo('n2', []))
    assert.equal(run(critical, snapshot, { statuses: new Map() }).message, 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.')
    const all = new Map(snapshot.nodes.map(n => [n.name, UU('persistentvolumeclaim "x" not found')]))
    assert.equal(run(critical, snapshot, { statuses: all }).message, 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.')
  })

  it('port clash, only equal-priority pods hold the port (§6): No preemption victims', () => {
    const svclb = (n: string): KubeObject => makePod(`svclb-traefik-${n}`, 'kube-system').priority(2000001000).hostPort(80).on(n).obj()
    const second = makePod('svclb-other', 'kube-system').priority(2000001000).hostPort(80).obj()
    const snapshot = snapshotOf(nodeInfo('n1', [svclb('n1')]))
    assert.equal(failedScheduling(second, snapshot),
      "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
  })

  it('port clash with lower-priority pods present that do not hold the port (§6): the filter reason again', () => {
    const second = makePod('svclb-other', 'kube-system').priority(2000001000).hostPort(80).obj()
    const snapshot = snapshotOf(nodeInfo('n1', [
      makePod('svclb-traefik', 'kube-system').priority(2000001000).hostPort(80).on('n1').obj(),
      makePod('coredns', 'kube-system').priority(2000000000).on('n1').obj(),
      makePod('web').priority(0).on('n1').obj(),
    ]))
    assert.equal(failedScheduling(second, snapshot),
      "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.")
  })

  it('four nodes, three outside the PreFilter result (§6): mixed preemption histogram', () => {
    const second = makePod('svclb-other-n1', 'kube-system').priority(2000001000).hostPort(80).obj()
    const snapshot = snapshotOf(...['n1', 'n2', 'n3', 'n4'].map(n => nodeInfo(n, [makePod(`svclb-${n}`, 'kube-system').priority(2000001000).hostPort(80).on(n).obj()])))
    const statuses = new Map<string, Status>([['n1', { code: 'Unschedulable', reasons: [PORTS] }]])
    for (const n of ['n2', 'n3', 'n4']) statuses.set(n, UU("node(s) didn't satisfy plugin(s) [NodeAffinity]"))
    assert.equal(failedScheduling(second, snapshot, statuses),
      "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.")
  })

  it('preemptionPolicy Never: not eligible, nomination left as it is', () => {
    const snapshot = snapshotOf(nodeInfo('n1', [makePod('batch').priority(0).cpu('2').on('n1').obj()]))
    const r = run(makePod('polite').priority(1000).cpu('1').never().obj(), snapshot)
    assert.equal(r.status.code, 'Unschedulable')
    assert.equal(r.message, 'preemption: not eligible due to preemptionPolicy=Never.')
    assert.equal(r.nominatedNodeName, undefined)
    assert.deepEqual(r.victims, [])
  })

  it('already nominated where earlier victims are still terminating: wait, preempt nothing more', () => {
    const snapshot = snapshotOf(
      nodeInfo('n1', [makePod('victim').priority(0).cpu('2').on('n1').preemptedAndTerminating().obj()]),
      nodeInfo('n2', [makePod('other').priority(0).cpu('2').on('n2').obj()]),
    )
    const pod = makePod('critical').priority(1000).cpu('1').nominated('n1').obj()
    const r = run(pod, snapshot)
    assert.equal(r.message, 'preemption: not eligible due to a terminating pod on the nominated node.')
    assert.equal(r.nominatedNodeName, undefined)
  })

  it('nominated node now unresolvable: preempt again elsewhere despite its terminating victims', () => {
    const snapshot = snapshotOf(
      nodeInfo('n1', [makePod('victim').priority(0).cpu('2').on('n1').preemptedAndTerminating().obj()]),
      nodeInfo('n2', [makePod('other').priority(0).cpu('2').on('n2').obj()]),
    )
    const pod = makePod('critical').priority(1000).cpu('1').nominated('n1').obj()
    const statuses = filterAll(pod, snapshot)
    statuses.set('n1', UU('node(s) were unschedulable'))
    const r = run(pod, snapshot, { statuses })
    assert.equal(r.nominatedNodeName, 'n2')
    assert.deepEqual(names(r.victims), ['other'])
  })

  it('two candidate nodes: the one whose victims have the lower highest priority', () => {
    const snapshot = snapshotOf(
      nodeInfo('n1', [makePod('mid').priority(500).cpu('2').on('n1').obj()]),
      nodeInfo('n2', [makePod('low-a').priority(100).cpu('1').on('n2').obj(), makePod('low-b').priority(100).cpu('1').on('n2').obj()]),
    )
    const r = run(makePod('big').priority(1000).cpu('2').obj(), snapshot)
    assert.equal(r.nominatedNodeName, 'n2')
    assert.deepEqual(names(r.victims).sort(), ['low-a', 'low-b'])
  })

  it('two candidate nodes: one without PDB violations wins over one with them', () => {
    const snapshot = snapshotOf(
      nodeInfo('n1', [makePod('db').priority(0).cpu('2').labels({ app: 'db' }).on('n1').obj()]),
      nodeInfo('n2', [makePod('web').priority(10).cpu('2').on('n2').obj()]),
    )
    const r = run(critical, snapshot, { listPDBs: () => [pdb('db', { app: 'db' }, 0)] })
    assert.equal(r.nominatedNodeName, 'n2')
    assert.deepEqual(names(r.victims), ['web'])
  })

  it('the dry run starts at the random offset, and every potential node is still tried', () => {
    const snapshot = snapshotOf(
      nodeInfo('n1', [makePod('a').priority(0).cpu('2').on('n1').obj()]),
      nodeInfo('n2', [makePod('b').priority(0).cpu('2').on('n2').obj()]),
    )
    // Equal on every criterion: the first candidate found wins, and the offset decides which.
    assert.equal(run(critical, snapshot, { random: () => 0 }).nominatedNodeName, 'n1')
    assert.equal(run(critical, snapshot, { random: () => 1 }).nominatedNodeName, 'n2')
  })

  it('filter errors with no candidate: an Error status, nomination unchanged', () => {
    const snapshot = snapshotOf(nodeInfo('n1', [makePod('a').priority(0).cpu('2').on('n1').obj()]))
    const statuses = filterAll(critical, snapshot)
    const r = run(critical, snapshot, { statuses, filterNode: () => ({ code: 'Error', reasons: ['boom'] }) })
    assert.equal(r.status.code, 'Error')
    assert.equal(r.message, 'preemption: boom')
    assert.equal(r.nominatedNodeName, undefined)
  })
})
