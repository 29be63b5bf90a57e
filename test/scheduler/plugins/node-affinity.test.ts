// Cases from kube-scheduler's nodeaffinity/node_affinity_test.go (TestNodeAffinity, TestNodeAffinityPriority).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeInfo } from '../../../src/scheduler/node-info.ts'
import { newNodeAffinity } from '../../../src/scheduler/plugins/index.ts'
import { CycleState, type Status } from '../../../src/scheduler/types.ts'
import { makeNode, makePod } from '../builders.ts'
import { bare, scoreNodes, snapshotOf } from './helpers.ts'

const expr = (key: string, operator: string, values?: string[]): object => ({ key, operator, ...(values ? { values } : {}) })
const nameIn = (...values: string[]): object => ({ key: 'metadata.name', operator: 'In', values })
const withTerms = (...terms: object[]): KubeObject => makePod().nodeAffinityTerms(terms).obj()

const POD: Status = { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] }
const OK: Status = { code: 'Success', reasons: [] }

interface Case {
  name: string
  pod: KubeObject
  labels?: Record<string, string>
  nodeName?: string
  args?: Record<string, any>
  runPreFilter?: boolean
  wantPreFilter?: { status: Status, nodeNames?: string[] }
  want: Status
}

const added = (terms: object[]): Record<string, any> => ({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } })

const cases: Case[] = [
  { name: 'missing labels', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), want: POD },
  { name: 'same labels', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), labels: { foo: 'bar' }, want: OK },
  { name: 'node labels are superset', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), labels: { foo: 'bar', baz: 'blah' }, want: OK },
  { name: 'node labels are subset', pod: makePod().nodeSelector({ foo: 'bar', baz: 'blah' }).obj(), labels: { foo: 'bar' }, want: POD },
  { name: 'Pod with matchExpressions using In operator that matches the existing node', pod: withTerms({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }), labels: { foo: 'bar' }, want: OK },
  { name: 'Pod with matchExpressions using Gt operator that matches the existing node', pod: withTerms({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }), labels: { 'kernel-version': '0206' }, want: OK },
  { name: 'Pod with matchExpressions using NotIn operator that matches the existing node', pod: withTerms({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }), labels: { 'mem-type': 'DDR3' }, want: OK },
  { name: 'Pod with matchExpressions using Exists operator that matches the existing node', pod: withTerms({ matchExpressions: [expr('GPU', 'Exists')] }), labels: { GPU: 'NVIDIA-GRID-K1' }, want: OK },
  { name: "Pod with affinity that don't match node's labels won't schedule onto the node", pod: withTerms({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }), labels: { foo: 'bar' }, want: POD },
  { name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node", pod: withTerms({ matchExpressions: [] }), labels: { foo: 'bar' }, want: POD },
  { name: 'Pod with no Affinity will schedule onto a node', pod: makePod().obj(), labels: { foo: 'bar' }, wantPreFilter: { status: { code: 'Skip', reasons: [] } }, want: OK },
  { name: 'Pod with Affinity but nil NodeSelector will schedule onto a node', pod: (() => { const p = makePod().obj() as any; p.spec.affinity = { nodeAffinity: {} }; return p })(), labels: { foo: 'bar' }, wantPreFilter: { status: { code: 'Skip', reasons: [] } }, want: OK },
  { name: 'Pod with multiple matchExpressions ANDed that matches the existing node', pod: withTerms({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }), labels: { GPU: 'NVIDIA-GRID-K1' }, want: OK },
  { name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node", pod: withTerms({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }), labels: { GPU: 'NVIDIA-GRID-K1' }, want: POD },
  { name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
    pod: withTerms({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }), labels: { foo: 'bar' }, want: OK },
  { name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
    pod: makePod().nodeSelector({ foo: 'bar' }).nodeAffinityTerms([{ matchExpressions: [expr('foo', 'Exists')] }]).obj(), labels: { foo: 'bar' }, want: OK },
  { name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
    pod: makePod().nodeSelector({ foo: 'bar' }).nodeAffinityTerms([{ matchExpressions: [expr('foo', 'Exists')] }]).obj(), labels: { foo: 'barrrrrr' }, want: POD },
  { name: "Pod with an invalid value in Affinity term won't be scheduled onto the node", pod: withTerms({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }), labels: { foo: 'bar' }, want: POD },
  { name: 'Pod with matchFields using In operator that matches the existing node', pod: withTerms({ matchFields: [nameIn('node1')] }), nodeName: 'node1', wantPreFilter: { status: OK, nodeNames: ['node1'] }, want: OK },
  { name: 'Pod with matchFields using In operator that does not match the existing node', pod: withTerms({ matchFields: [nameIn('node1')] }), nodeName: 'node2', wantPreFilter: { status: OK, nodeNames: ['node1'] }, want: POD },
  { name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
    pod: withTerms({ matchFields: [nameIn('node1'), nameIn('node2')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }), nodeName: 'node2', labels: { foo: 'bar' }, wantPreFilter: { status: OK }, want: OK },
  { name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
    pod: withTerms({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }), nodeName: 'node2', labels: { foo: 'bar' }, wantPreFilter: { status: OK, nodeNames: ['node1'] }, want: POD },
  { name: 'Pod with one term: both matchFields and matchExpressions match',
    pod: withTerms({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }), nodeName: 'node1', labels: { foo: 'bar' }, wantPreFilter: { status: OK, nodeNames: ['node1'] }, want: OK },
  { name: 'Pod with two terms: both matchFields and matchExpressions do not match',
    pod: withTerms({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }), nodeName: 'node2', labels: { foo: 'bar' }, want: POD },
  { name: 'Pod with two terms of node.Name affinity', pod: withTerms({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] }), nodeName: 'node2', wantPreFilter: { status: OK, nodeNames: ['node1', 'node2'] }, want: OK },
  { name: 'Pod with two conflicting mach field requirements', pod: withTerms({ matchFields: [nameIn('node1'), nameIn('node2')] }), nodeName: 'node2', labels: { foo: 'bar' },
    wantPreFilter: { status: { code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] } }, want: POD },
  { name: "Matches added affinity and Pod's node affinity", pod: withTerms({ matchExpressions: [expr('zone', 'In', ['foo'])] }), nodeName: 'node2', labels: { zone: 'foo' }, args: added([{ matchFields: [nameIn('node2')] }]), want: OK },
  { name: "Matches added affinity but not Pod's node affinity", pod: withTerms({ matchExpressions: [expr('zone', 'In', ['bar'])] }), nodeName: 'node2', labels: { zone: 'foo' }, args: added([{ matchFields: [nameIn('node2')] }]), want: POD },
  { name: "Doesn't match added affinity", pod: makePod().obj(), nodeName: 'node2', labels: { zone: 'foo' }, args: added([{ matchExpressions: [expr('zone', 'In', ['bar'])] }]),
    want: { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match scheduler-enforced node affinity"] } },
  { name: 'Matches node selector correctly even if PreFilter is not called', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), labels: { foo: 'bar', baz: 'blah' }, runPreFilter: false, want: OK },
  { name: 'Matches node affinity correctly even if PreFilter is not called', pod: withTerms({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }), labels: { GPU: 'NVIDIA-GRID-K1' }, runPreFilter: false, want: OK },
]

describe('NodeAffinity PreFilter and Filter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const plugin = newNodeAffinity({ args: c.args })
      const node = makeNode().name(c.nodeName ?? '').labels(c.labels ?? {}).obj()
      const ni = newNodeInfo(node)
      const state = new CycleState()
      if (c.runPreFilter !== false) {
        const r = plugin.preFilter(state, c.pod, snapshotOf([node]))
        const want = c.wantPreFilter ?? { status: OK }
        assert.deepEqual({ status: bare(r.status), nodeNames: r.nodeNames ? [...r.nodeNames].sort() : undefined }, { status: want.status, nodeNames: want.nodeNames })
      }
      assert.deepEqual(bare(plugin.filter(state, c.pod, ni, snapshotOf([node]))), c.want)
    })
  }
})

describe('NodeAffinity score', () => {
  const label1 = { foo: 'bar' }
  const label2 = { key: 'value' }
  const label3 = { az: 'az1' }
  const label4 = { abc: 'az11', def: 'az22' }
  const label5 = { foo: 'bar', key: 'value', az: 'az1' }
  const pref = (weight: number, ...exprs: object[]): [number, object] => [weight, { matchExpressions: exprs }]
  const affinity1 = [pref(2, expr('foo', 'In', ['bar']))]
  const affinity2 = [pref(2, expr('foo', 'In', ['bar'])), pref(4, expr('key', 'In', ['value'])), pref(5, expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1']))]
  const podWith = (prefs: Array<[number, object]>): KubeObject => {
    const b = makePod()
    for (const [w, t] of prefs) b.preferredNodeAffinity(w, t)
    return b.obj()
  }
  const nodes = (...spec: Array<[string, Record<string, string>]>): KubeObject[] => spec.map(([n, l]) => makeNode().name(n).labels(l).obj())

  const cases: Array<{ name: string, pod: KubeObject, nodes: KubeObject[], args?: Record<string, any>, preScore?: boolean, want: Record<string, number> | Status }> = [
    { name: 'all nodes are same priority as NodeAffinity is nil', pod: makePod().obj(), nodes: nodes(['node1', label1], ['node2', label2], ['node3', label3]), preScore: false, want: { node1: 0, node2: 0, node3: 0 } },
    { name: 'Skip is returned in PreScore when NodeAffinity is nil', pod: makePod().obj(), nodes: nodes(['node1', label1]), want: { code: 'Skip', reasons: [] } },
    { name: 'PreScore returns error when an incoming Pod has a broken affinity', pod: podWith([pref(2, expr('invalid key', 'In', ['bar']))]), nodes: nodes(['node1', label1]),
      want: { code: 'Error', reasons: [`[0].matchExpressions[0].key: Invalid value: "invalid key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`] } },
    { name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", pod: podWith(affinity1), nodes: nodes(['node1', label4], ['node2', label2], ['node3', label3]), want: { node1: 0, node2: 0, node3: 0 } },
    { name: 'only node1 matches the preferred scheduling requirements of pod', pod: podWith(affinity1), nodes: nodes(['node1', label1], ['node2', label2], ['node3', label3]), want: { node1: 100, node2: 0, node3: 0 } },
    // raw 2, 11, 4 → 100·2/11 = 18, 100, 100·4/11 = 36
    { name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities', pod: podWith(affinity2), nodes: nodes(['node1', label1], ['node5', label5], ['node2', label2]), want: { node1: 18, node5: 100, node2: 36 } },
    { name: 'added affinity', pod: makePod().obj(), nodes: nodes(['node1', label1], ['node2', label2]),
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }] } }, want: { node1: 100, node2: 0 } },
    { name: 'added affinity and pod has default affinity', pod: podWith(affinity1), nodes: nodes(['node1', label1], ['node2', label2], ['node3', label5]),
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } }] } }, want: { node1: 40, node2: 60, node3: 100 } },
    { name: 'calculate the priorities correctly even if PreScore is not called', pod: podWith(affinity2), nodes: nodes(['node1', label1], ['node5', label5], ['node2', label2]), preScore: false, want: { node1: 18, node5: 100, node2: 36 } },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = scoreNodes(newNodeAffinity({ args: c.args }), c.pod, snapshotOf(c.nodes), { preScore: c.preScore })
      assert.deepEqual(got.scores ?? got.preScore, c.want)
    })
  }
})
