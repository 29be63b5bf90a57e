// Soft constraints (ScheduleAnyway) and the system defaults, scores from kube-scheduler's
// podtopologyspread/scoring_test.go (TestPodTopologySpreadScore).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newPodTopologySpread, type Listers } from '../../../src/scheduler/plugins/index.ts'
import { defaultSelector } from '../../../src/scheduler/plugins/pod-topology-spread/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { scoreNodes, snapshotOf } from './helpers.ts'

const HOST = 'kubernetes.io/hostname'
const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }
const bar = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] }
const p = (name: string, node: string, labels: Record<string, string> = { foo: '' }): KubeObject => makePod().name(name).node(node).labels(labels).obj()
const host = (name: string, extra: Record<string, string> = {}): KubeObject => makeNode().name(name).labels({ [HOST]: name, ...extra }).obj()
const pods = (node: string, count: number, labels?: Record<string, string>): KubeObject[] => Array.from({ length: count }, (_, i) => p(`${node}-${i}`, node, labels))
const spreadPod = (...constraints: Array<[number, string, object | null]>): KubeObject => {
  const b = makePod().name('p').labels({ foo: '', bar: '' })
  for (const [maxSkew, key, sel] of constraints) b.spreadConstraint(maxSkew, key, 'ScheduleAnyway', sel as any)
  return b.obj()
}

interface Case { name: string, pod: KubeObject, nodes: KubeObject[], failed?: KubeObject[], existing?: KubeObject[], listers?: Listers, want: Record<string, number> }

const cases: Case[] = [
  { name: 'one constraint on node, no existing pods', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b')], want: { 'node-a': 100, 'node-b': 100 } },
  { name: 'one constraint on node, only one node is candidate', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a')], failed: [host('node-b')],
    existing: [...pods('node-a', 2), ...pods('node-b', 1)], want: { 'node-a': 100 } },
  { name: 'one constraint on node, all nodes have the same number of matching pods', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b')],
    existing: [...pods('node-a', 1), ...pods('node-b', 1)], want: { 'node-a': 100, 'node-b': 100 } },
  // counts 2/1/0/3, weight log(4 + 2): raw round(2·1.79) = 4, 2, 0, 5 → 100·(5 + 0 − s)/5
  { name: 'one constraint on node, all 4 nodes are candidates', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b'), host('node-c'), host('node-d')],
    existing: [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-d', 3)], want: { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 } },
  { name: 'one constraint on node, null selector', pod: spreadPod([1, HOST, null]), nodes: [host('node-a'), host('node-b'), host('node-c'), host('node-d')],
    existing: [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-d', 3)], want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 } },
  { name: 'one constraint on node, all 4 nodes are candidates, maxSkew=2', pod: spreadPod([2, HOST, foo]), nodes: [host('node-a'), host('node-b'), host('node-c'), host('node-d')],
    existing: [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-d', 3)], want: { 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 } },
  { name: 'one constraint on node, all 4 nodes are candidates, maxSkew=3', pod: spreadPod([3, HOST, foo]), nodes: [host('node-a'), host('node-b'), host('node-c'), host('node-d')],
    existing: [...pods('node-a', 4), ...pods('node-b', 3), ...pods('node-c', 2), ...pods('node-d', 1)], want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 } },
  { name: "system defaulting, nodes don't have zone, pods match service", pod: makePod().name('p').label('foo', '').obj(),
    nodes: [host('node-a'), host('node-b'), host('node-c'), host('node-d')],
    existing: [...pods('node-a', 4), ...pods('node-b', 3), ...pods('node-c', 2), ...pods('node-d', 1)],
    listers: { services: () => [{ metadata: { name: 's', namespace: 'default' }, spec: { selector: { foo: '' } } }] }, want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 } },
  { name: 'one constraint on node, 3 out of 4 nodes are candidates', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b'), host('node-x')], failed: [host('node-y')],
    existing: [...pods('node-a', 4), ...pods('node-b', 2), ...pods('node-x', 1), ...pods('node-y', 3)], want: { 'node-a': 33, 'node-b': 83, 'node-x': 100 } },
  { name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key", pod: spreadPod([1, HOST, foo]),
    nodes: [host('node-a'), makeNode().name('node-b').label('n', 'node-b').obj(), host('node-x')], failed: [host('node-y')],
    existing: [...pods('node-a', 4), ...pods('node-b', 2), ...pods('node-x', 1), ...pods('node-y', 3)], want: { 'node-a': 16, 'node-b': 0, 'node-x': 100 } },
  { name: 'one constraint on zone, 3 out of 4 nodes are candidates', pod: spreadPod([1, 'zone', foo]),
    nodes: [host('node-a', { zone: 'zone1' }), host('node-b', { zone: 'zone1' }), host('node-x', { zone: 'zone2' })], failed: [host('node-y', { zone: 'zone2' })],
    existing: [...pods('node-a', 4), ...pods('node-b', 2), ...pods('node-x', 1), ...pods('node-y', 3)], want: { 'node-a': 75, 'node-b': 75, 'node-x': 100 } },
  { name: 'two Constraints on zone and node, 2 out of 4 nodes are candidates', pod: spreadPod([1, 'zone', foo], [1, HOST, foo]),
    nodes: [host('node-a', { zone: 'zone1' }), host('node-x', { zone: 'zone2' })], failed: [host('node-b', { zone: 'zone1' }), host('node-y', { zone: 'zone2' })],
    existing: [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-x', 2), ...pods('node-y', 4)], want: { 'node-a': 100, 'node-x': 63 } },
  { name: 'two Constraints on zone, 2 out of 4 nodes are candidates', pod: spreadPod([1, 'zone', foo], [1, 'zone', bar]),
    nodes: [makeNode().name('node-a').label('zone', 'zone1').obj(), makeNode().name('node-x').label('zone', 'zone2').obj()],
    failed: [makeNode().name('node-b').label('zone', 'zone1').obj(), makeNode().name('node-y').label('zone', 'zone2').obj()],
    existing: [p('a1', 'node-a', { foo: '', bar: '' }), p('a2', 'node-a'), p('b1', 'node-b', { foo: '', bar: '' }), p('y1', 'node-y'), p('y2', 'node-y', { foo: '', bar: '' }), p('y3', 'node-y')],
    want: { 'node-a': 85, 'node-x': 100 } },
  { name: 'two Constraints on zone and node, with different labelSelectors', pod: spreadPod([1, 'zone', foo], [1, HOST, bar]),
    nodes: [host('node-a', { zone: 'zone1' }), host('node-b', { zone: 'zone1' }), host('node-x', { zone: 'zone2' }), host('node-y', { zone: 'zone2' })],
    existing: [p('a1', 'node-a'), p('b1', 'node-b', { foo: '', bar: '' }), p('y1', 'node-y'), p('y2', 'node-y', { bar: '' })], want: { 'node-a': 60, 'node-b': 20, 'node-x': 100, 'node-y': 60 } },
  { name: 'two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods', pod: spreadPod([1, 'zone', foo], [1, HOST, bar]),
    nodes: [host('node-a', { zone: 'zone1' }), host('node-b', { zone: 'zone1' }), host('node-x', { zone: 'zone2' }), host('node-y', { zone: 'zone2' })],
    existing: [p('b1', 'node-b', { bar: '' }), p('x1', 'node-x'), p('y1', 'node-y', { foo: '', bar: '' })], want: { 'node-a': 100, 'node-b': 60, 'node-x': 40, 'node-y': 0 } },
  { name: 'two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates', pod: spreadPod([1, 'zone', foo], [1, HOST, bar]),
    nodes: [host('node-a', { zone: 'zone1' }), host('node-b', { zone: 'zone1' }), host('node-x', { zone: 'zone2' })], failed: [host('node-y', { zone: 'zone2' })],
    existing: [p('a1', 'node-a'), p('b1', 'node-b', { foo: '', bar: '' }), p('y1', 'node-y'), p('y2', 'node-y', { bar: '' })], want: { 'node-a': 50, 'node-b': 25, 'node-x': 100 } },
  { name: 'existing pods in a different namespace do not count', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b')],
    existing: [makePod().name('a1').namespace('ns1').node('node-a').label('foo', '').obj(), p('a2', 'node-a'), p('b1', 'node-b'), p('b2', 'node-b')], want: { 'node-a': 100, 'node-b': 33 } },
  { name: 'terminating Pods should be excluded', pod: spreadPod([1, HOST, foo]), nodes: [host('node-a'), host('node-b')],
    existing: [makePod().name('a').node('node-a').label('foo', '').terminating().obj(), p('b', 'node-b')], want: { 'node-a': 100, 'node-b': 0 } },
]

describe('PodTopologySpread score', () => {
  for (const c of cases) {
    it(c.name, () => {
      const snap = snapshotOf([...c.nodes, ...(c.failed ?? [])], c.existing)
      const filtered = snap.nodes.filter((ni) => c.nodes.some((n) => n.metadata.name === ni.name))
      assert.deepEqual(scoreNodes(newPodTopologySpread({ listers: c.listers }), c.pod, snap, { filtered }).scores, c.want)
    })
  }
  it('PreScore skips a pod without soft constraints that belongs to no workload', () => {
    assert.deepEqual(scoreNodes(newPodTopologySpread(), makePod().label('foo', '').obj(), snapshotOf([host('node-a')])).preScore, { code: 'Skip', reasons: [] })
  })
  it('system defaults give a ReplicaSet pod hostname (maxSkew 3) and zone (maxSkew 5) spreading', () => {
    const rs = makePod().label('app', 'web').label('pod-template-hash', 'abc').owner('ReplicaSet', 'web-abc')
    const nodes = [host('node-a', { 'topology.kubernetes.io/zone': 'z1' }), host('node-b', { 'topology.kubernetes.io/zone': 'z2' })]
    const existing = [rs.name('w1').node('node-a').obj(), rs.name('w2').node('node-a').obj()]
    // hostname: a 2·log(4) + 2 = 4.77, b 2; zone: a 2·log(4) + 4 = 6.77, b 4 → raw 12, 6 → 100·(12 + 6 − s)/12
    assert.deepEqual(scoreNodes(newPodTopologySpread(), makePod().name('new').labels({ app: 'web', 'pod-template-hash': 'abc' }).owner('ReplicaSet', 'web-abc').obj(), snapshotOf(nodes, existing)).scores,
      { 'node-a': 50, 'node-b': 100 })
  })
})

describe('PodTopologySpread default selector (helper.DefaultSelector)', () => {
  const pod = makePod().labels({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': 'db-7c' }).owner('StatefulSet', 'db').obj()
  it('uses the owner\'s selector from the lister', () => {
    const listers: Listers = { statefulSet: () => ({ metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } } } }) }
    assert.equal(defaultSelector(pod, listers).toString(), 'app=db')
  })
  it('approximates the owner\'s selector with the pod labels minus per-pod ones when there is no lister', () => {
    assert.equal(defaultSelector(pod).toString(), 'app=db')
  })
  it('merges the selectors of the Services selecting the pod', () => {
    const listers: Listers = { services: () => [{ metadata: { name: 's' }, spec: { selector: { app: 'db' } } }, { metadata: { name: 'other' }, spec: { selector: { app: 'web' } } }, { metadata: { name: 'none' }, spec: {} }] }
    assert.equal(defaultSelector(makePod().label('app', 'db').obj(), listers).toString(), 'app=db')
  })
  it('a pod owned by a DaemonSet gets no owner selector', () => {
    assert.equal(defaultSelector(makePod().label('app', 'x').owner('DaemonSet', 'ds').obj()).empty(), true)
  })
})
