// selectVictimsOnNode and the PDB split, as upstream's SelectVictimsOnNode and
// filterPodsWithPDBViolation (default_preemption_test.go's cases, small).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { cloneNodeInfo, NO_VICTIMS, selectVictimsOnNode, splitByPDBViolation, type SelectVictimsResult } from '../../../src/scheduler/preemption/index.ts'
import { CycleState, type NodeInfo } from '../../../src/scheduler/types.ts'
import { at, filterNode, makePod, names, nodeInfo, pdb, PORTS, snapshotOf, T0 } from './fixtures.ts'

const priorityOf = (p: KubeObject): number => (p.spec as { priority?: number }).priority ?? 0

function select (preemptor: KubeObject, ni: NodeInfo, pdbs: KubeObject[] = []): SelectVictimsResult {
  return selectVictimsOnNode({ state: new CycleState(), pod: preemptor, nodeInfo: cloneNodeInfo(ni), snapshot: snapshotOf(ni), filterNode, podPriority: priorityOf, pdbs, now: T0 + 3_600_000 })
}

describe('scheduler/preemption: selectVictimsOnNode', () => {
  const high = makePod('high').priority(1000).cpu('1').obj()

  it('no lower-priority pod on the node: "No preemption victims found for incoming pod" (UU)', () => {
    const ni = nodeInfo('n1', [makePod('a').priority(1000).cpu('2').on('n1').obj(), makePod('b').priority(2000).on('n1').obj()])
    const r = select(high, ni)
    assert.deepEqual(r.status, { code: 'UnschedulableAndUnresolvable', reasons: [NO_VICTIMS] })
    assert.deepEqual(r.victims, [])
  })

  it('a lower-priority pod whose removal makes room is the victim', () => {
    const ni = nodeInfo('n1', [makePod('low').priority(0).cpu('1500m').on('n1').obj(), makePod('peer').priority(1000).cpu('500m').on('n1').obj()])
    const r = select(high, ni)
    assert.equal(r.status.code, 'Success')
    assert.deepEqual(names(r.victims), ['low'])
    assert.equal(r.numPDBViolations, 0)
  })

  it('the NodeInfo given is changed, the original one is not (the dry run works on a copy)', () => {
    const ni = nodeInfo('n1', [makePod('low').priority(0).cpu('2').on('n1').obj()])
    select(high, ni)
    assert.deepEqual(names(ni.pods.map(p => p.pod)), ['low'])
    assert.equal(ni.requested.milliCPU, 2000)
  })

  it('still not fitting with every lower-priority pod gone: the filter status (the port is held by an equal-priority pod)', () => {
    const ni = nodeInfo('n1', [makePod('svclb').priority(1000).hostPort(80).on('n1').obj(), makePod('user').priority(0).on('n1').obj()])
    const r = select(makePod('svclb-2').priority(1000).hostPort(80).obj(), ni)
    assert.deepEqual(r.status, { code: 'Unschedulable', reasons: [PORTS] })
    assert.deepEqual(r.victims, [])
  })

  it('as few victims as possible: more important pods are reprieved first, the least important goes', () => {
    const ni = nodeInfo('n1', [
      makePod('p1').priority(1).cpu('1').started(0).on('n1').obj(),
      makePod('p5').priority(5).cpu('1').started(0).on('n1').obj(),
    ])
    assert.deepEqual(names(select(high, ni).victims), ['p1'])
  })

  it('equal priority: the pod that started earlier is more important, so the newer one goes', () => {
    const ni = nodeInfo('n1', [
      makePod('newer').priority(1).cpu('1').started(30).on('n1').obj(),
      makePod('older').priority(1).cpu('1').started(10).on('n1').obj(),
    ])
    assert.deepEqual(names(select(high, ni).victims), ['newer'])
  })

  it('a pod not started yet counts as started now, the newest of all', () => {
    const ni = nodeInfo('n1', [makePod('pending').priority(1).cpu('1').on('n1').obj(), makePod('running').priority(1).cpu('1').started(10).on('n1').obj()])
    assert.deepEqual(names(select(high, ni).victims), ['pending'])
  })

  it('victims are listed most important first', () => {
    const ni = nodeInfo('n1', [
      makePod('a').priority(3).cpu('700m').on('n1').obj(),
      makePod('b').priority(7).cpu('700m').on('n1').obj(),
      makePod('c').priority(5).cpu('600m').on('n1').obj(),
    ])
    const r = select(makePod('big').priority(1000).cpu('2').obj(), ni)
    assert.deepEqual(names(r.victims), ['b', 'c', 'a'])
  })

  it('PDB-protected pods are reprieved first, even before more important unprotected ones', () => {
    // Room for the preemptor needs one of the two gone. `guarded` (priority 1, PDB allowing no
    // disruption) is tried first and kept; `free` (priority 5) goes, with no PDB violated.
    const ni = nodeInfo('n1', [
      makePod('guarded').priority(1).cpu('1').labels({ app: 'db' }).on('n1').obj(),
      makePod('free').priority(5).cpu('1').on('n1').obj(),
    ])
    const r = select(high, ni, [pdb('db', { app: 'db' }, 0)])
    assert.deepEqual(names(r.victims), ['free'])
    assert.equal(r.numPDBViolations, 0)
  })

  it('a PDB-protected victim that cannot be spared counts as a violation', () => {
    const ni = nodeInfo('n1', [makePod('guarded').priority(1).cpu('2').labels({ app: 'db' }).on('n1').obj()])
    const r = select(high, ni, [pdb('db', { app: 'db' }, 0)])
    assert.deepEqual(names(r.victims), ['guarded'])
    assert.equal(r.numPDBViolations, 1)
  })

  it('an Error from the filters is the result', () => {
    const ni = nodeInfo('n1', [makePod('low').priority(0).on('n1').obj()])
    const r = selectVictimsOnNode({
      state: new CycleState(), pod: high, nodeInfo: cloneNodeInfo(ni), snapshot: snapshotOf(ni), podPriority: priorityOf, pdbs: [], now: T0,
      filterNode: () => { throw new Error('boom') },
    })
    assert.deepEqual(r.status, { code: 'Error', reasons: ['boom'] })
  })
})

describe('scheduler/preemption: splitByPDBViolation', () => {
  const pod = (name: string, labels: Record<string, string> | undefined, namespace = 'default'): KubeObject => {
    const b = makePod(name, namespace)
    return (labels ? b.labels(labels) : b).obj()
  }
  const split = (pods: KubeObject[], pdbs: KubeObject[]): [string[], string[]] => {
    const r = splitByPDBViolation(pods, p => p, pdbs)
    return [names(r.violating), names(r.nonViolating)]
  }

  it('each matching pod spends one allowed disruption, in order; the one going below zero violates', () => {
    assert.deepEqual(split([pod('a', { app: 'web' }), pod('b', { app: 'web' })], [pdb('web', { app: 'web' }, 1)]), [['b'], ['a']])
  })
  it('a PDB in another namespace does not apply', () => {
    assert.deepEqual(split([pod('a', { app: 'web' })], [pdb('web', { app: 'web' }, 0, 'other')]), [[], ['a']])
  })
  it('a pod without labels matches no PDB, even one whose selector would select it', () => {
    const notWeb = { ...pdb('not-web', {}, 0), spec: { selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } } }
    assert.deepEqual(split([pod('a', undefined), pod('b', { tier: 'x' })], [notWeb]), [['b'], ['a']])
  })
  it('an empty selector matches nothing (upstream skips selector.Empty())', () => {
    assert.deepEqual(split([pod('a', { app: 'web' })], [{ ...pdb('all', {}, 0), spec: { selector: {} } }]), [[], ['a']])
  })
  it('a pod already in status.disruptedPods spends nothing', () => {
    const p = pdb('web', { app: 'web' }, 0)
    ;(p.status as Record<string, unknown>).disruptedPods = { a: at(0) }
    assert.deepEqual(split([pod('a', { app: 'web' })], [p]), [[], ['a']])
  })
})
