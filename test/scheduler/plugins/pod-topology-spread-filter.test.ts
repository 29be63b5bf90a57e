// Hard constraints (DoNotSchedule), after kube-scheduler's podtopologyspread/filtering_test.go.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newPodInfo } from '../../../src/scheduler/node-info.ts'
import { newPodTopologySpread } from '../../../src/scheduler/plugins/index.ts'
import { CycleState, type Status } from '../../../src/scheduler/types.ts'
import { makeNode, makePod } from '../builders.ts'
import { bare, snapshotOf } from './helpers.ts'

const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }
const p = (name: string, node: string, labels: Record<string, string> = { foo: '' }): KubeObject => makePod().name(name).node(node).labels(labels).obj()
const n = (name: string, labels: Record<string, string>): KubeObject => makeNode().name(name).labels(labels).obj()
const zoneNodes = (): KubeObject[] => [n('node-a', { zone: 'zone1', node: 'node-a' }), n('node-b', { zone: 'zone1', node: 'node-b' }), n('node-x', { zone: 'zone2', node: 'node-x' }), n('node-y', { zone: 'zone2', node: 'node-y' })]

const OK = 'ok'
const SKEW = "node(s) didn't match pod topology spread constraints"
const LABEL = "node(s) didn't match pod topology spread constraints (missing required label)"

/** Runs PreFilter once and Filter on every node: node → 'ok' | reason. */
function filterAll (pod: KubeObject, nodes: KubeObject[], pods: KubeObject[] = []): Record<string, string> {
  const plugin = newPodTopologySpread()
  const snap = snapshotOf(nodes, pods)
  const state = new CycleState()
  const pre = plugin.preFilter(state, pod, snap)
  if (pre.status.code === 'Skip') return Object.fromEntries(snap.nodes.map((ni) => [ni.name, OK]))
  assert.equal(pre.status.code, 'Success')
  const out: Record<string, string> = {}
  for (const ni of snap.nodes) {
    const s: Status = plugin.filter(state, pod, ni, snap)
    out[ni.name] = s.code === 'Success' ? OK : `${s.code}: ${s.reasons.join(', ')}`
  }
  return out
}
const U = (r: string): string => `Unschedulable: ${r}`
const UU = (r: string): string => `UnschedulableAndUnresolvable: ${r}`

describe('PodTopologySpread filter', () => {
  const cases: Array<[string, KubeObject, KubeObject[], KubeObject[], Record<string, string>]> = [
    ['no existing pods', makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj(), zoneNodes(), [],
      { 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK }],
    ["no existing pods, incoming pod doesn't match itself", makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', { matchExpressions: [{ key: 'bar', operator: 'Exists' }] }).obj(), zoneNodes(), [],
      { 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK }],
    ['existing pods in a different namespace do not count', makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [makePod().name('a1').namespace('ns1').node('node-a').label('foo', '').obj(), makePod().name('a2').namespace('ns2').node('node-a').label('foo', '').obj(), p('y1', 'node-y'), p('y2', 'node-y')],
      { 'node-a': OK, 'node-b': OK, 'node-x': U(SKEW), 'node-y': U(SKEW) }],
    ['pods spread across zones as 3/3, all nodes fit', makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('b1', 'node-b'), p('b2', 'node-b'), p('x1', 'node-x'), p('y1', 'node-y'), p('y2', 'node-y')],
      { 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK }],
    ["pods spread across zones as 1/2 due to absence of label 'zone' on node-b", makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj(),
      [n('node-a', { zone: 'zone1' }), n('node-b', { zon: 'zone1' }), n('node-x', { zone: 'zone2' }), n('node-y', { zone: 'zone2' })],
      [p('a1', 'node-a'), p('b1', 'node-b'), p('x1', 'node-x'), p('y1', 'node-y'), p('y2', 'node-y')],
      { 'node-a': OK, 'node-b': UU(LABEL), 'node-x': U(SKEW), 'node-y': U(SKEW) }],
    ['pods spread across nodes as 2/1/0/3, only node-x fits', makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('a2', 'node-a'), p('b1', 'node-b'), p('y1', 'node-y'), p('y2', 'node-y'), p('y3', 'node-y')],
      { 'node-a': U(SKEW), 'node-b': U(SKEW), 'node-x': OK, 'node-y': U(SKEW) }],
    ['pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit', makePod().label('foo', '').spreadConstraint(2, 'node', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('a2', 'node-a'), p('b1', 'node-b'), p('y1', 'node-y'), p('y2', 'node-y'), p('y3', 'node-y')],
      { 'node-a': U(SKEW), 'node-b': OK, 'node-x': OK, 'node-y': U(SKEW) }],
    ["pods spread across nodes as 2/1/0/3, but pod doesn't match itself", makePod().label('bar', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('a2', 'node-a'), p('b1', 'node-b'), p('y1', 'node-y'), p('y2', 'node-y'), p('y3', 'node-y')],
      { 'node-a': U(SKEW), 'node-b': OK, 'node-x': OK, 'node-y': U(SKEW) }],
    ['terminating pods do not count', makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo).obj(), zoneNodes().slice(0, 2),
      [makePod().name('a1').node('node-a').label('foo', '').terminating().obj()], { 'node-a': OK, 'node-b': OK }],
    // zone1 has 2 matching pods, zone2 none, but node-x/node-y fail the pod's node affinity: zone2 is
    // not a domain, so the minimum is 2 and node-a gives 2 + 1 − 2 = 1 (NodeAffinity rejects zone2 anyway).
    ['incoming pod has nodeAffinity, nodes outside it are not domains (nodeAffinityPolicy Honor)',
      makePod().label('foo', '').nodeAffinityIn('zone', ['zone1']).spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('b1', 'node-b')], { 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK }],
    ['nodeAffinityPolicy Ignore counts nodes outside the pod\'s node affinity',
      makePod().label('foo', '').nodeAffinityIn('zone', ['zone1']).spreadConstraint(1, 'zone', 'DoNotSchedule', foo, { nodeAffinityPolicy: 'Ignore' }).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('b1', 'node-b')], { 'node-a': U(SKEW), 'node-b': U(SKEW), 'node-x': OK, 'node-y': OK }],
    ['nodeTaintsPolicy Honor leaves out tainted nodes the pod does not tolerate',
      makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo, { nodeTaintsPolicy: 'Honor' }).obj(),
      [n('node-a', { zone: 'zone1' }), makeNode().name('node-x').label('zone', 'zone2').taint('k', 'v', 'NoSchedule').obj()],
      [p('a1', 'node-a')], { 'node-a': OK, 'node-x': OK }],
    // counts 1/1/1 over 3 domains; minDomains 4 makes the global minimum 0, so 1 + 1 − 0 > 1 everywhere
    ['fewer domains than minDomains makes the global minimum 0', makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo, { minDomains: 4 }).obj(), zoneNodes().slice(0, 3),
      [p('a1', 'node-a'), p('b1', 'node-b'), p('x1', 'node-x')], { 'node-a': U(SKEW), 'node-b': U(SKEW), 'node-x': U(SKEW) }],
    ['with minDomains met, 1/1/1 fits everywhere', makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo, { minDomains: 3 }).obj(), zoneNodes().slice(0, 3),
      [p('a1', 'node-a'), p('b1', 'node-b'), p('x1', 'node-x')], { 'node-a': OK, 'node-b': OK, 'node-x': OK }],
    ['matchLabelKeys narrows the selector to pods with the same label value',
      makePod().labels({ foo: '', rev: '2' }).spreadConstraint(1, 'node', 'DoNotSchedule', foo, { matchLabelKeys: ['rev'] }).obj(), zoneNodes().slice(0, 2),
      [p('a1', 'node-a', { foo: '', rev: '1' }), p('a2', 'node-a', { foo: '', rev: '1' })], { 'node-a': OK, 'node-b': OK }],
    // v1.32 quirk: countPodsMatchSelector returns 0 for an empty selector, so `labelSelector: {}` never rejects
    ['an empty labelSelector counts no pods (v1.32)', makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', {}).obj(), zoneNodes().slice(0, 2),
      [p('a1', 'node-a'), p('a2', 'node-a')], { 'node-a': OK, 'node-b': OK }],
    ['ScheduleAnyway constraints are not filtered (PreFilter skips)', makePod().label('foo', '').spreadConstraint(1, 'node', 'ScheduleAnyway', foo).obj(), zoneNodes().slice(0, 2),
      [p('a1', 'node-a'), p('a2', 'node-a')], { 'node-a': OK, 'node-b': OK }],
    ['multiple constraints: the zone one rejects zone2, the node one node-a',
      makePod().label('foo', '').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).spreadConstraint(1, 'node', 'DoNotSchedule', foo).obj(), zoneNodes(),
      [p('a1', 'node-a'), p('x1', 'node-x'), p('y1', 'node-y'), p('y2', 'node-y')], { 'node-a': U(SKEW), 'node-b': OK, 'node-x': U(SKEW), 'node-y': U(SKEW) }],
  ]
  for (const [name, pod, nodes, pods, want] of cases) it(name, () => assert.deepEqual(filterAll(pod, nodes, pods), want))

  it('a pod without constraints and without a workload skips the filter', () => {
    const r = newPodTopologySpread().preFilter(new CycleState(), makePod().label('foo', '').obj(), snapshotOf(zoneNodes()))
    assert.deepEqual(bare(r.status), { code: 'Skip', reasons: [] })
  })

  it('removePod (preemption) makes room: node-a fits once its matching pod is removed', () => {
    const plugin = newPodTopologySpread()
    const pod = makePod().label('foo', '').spreadConstraint(1, 'node', 'DoNotSchedule', foo).obj()
    const victim = p('a1', 'node-a')
    const snap = snapshotOf(zoneNodes().slice(0, 2), [victim])
    const state = new CycleState()
    plugin.preFilter(state, pod, snap)
    const before = state.clone()
    assert.equal(plugin.filter(state, pod, snap.get('node-a')!, snap).code, 'Unschedulable')
    assert.equal(plugin.removePod(state, pod, newPodInfo(victim), snap.get('node-a')!).code, 'Success')
    assert.equal(plugin.filter(state, pod, snap.get('node-a')!, snap).code, 'Success')
    assert.equal(plugin.filter(before, pod, snap.get('node-a')!, snap).code, 'Unschedulable', 'a clone taken before is unaffected')
    plugin.addPod(state, pod, newPodInfo(victim), snap.get('node-a')!)
    assert.equal(plugin.filter(state, pod, snap.get('node-a')!, snap).code, 'Unschedulable')
  })
})
