// Required and preferred pod (anti-)affinity, after kube-scheduler's interpodaffinity
// filtering_test.go and scoring_test.go.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newPodInfo } from '../../../src/scheduler/node-info.ts'
import { newInterPodAffinity } from '../../../src/scheduler/plugins/index.ts'
import { CycleState } from '../../../src/scheduler/types.ts'
import { makeNode, makePod } from '../builders.ts'
import { scoreNodes, snapshotOf } from './helpers.ts'

const sel = (key: string, operator: string, values?: string[]): { matchExpressions: Array<{ key: string, operator: string, values?: string[] }> } =>
  ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] })
const S1 = sel('security', 'In', ['S1'])
const node = (name: string, labels: Record<string, string>): KubeObject => makeNode().name(name).labels(labels).obj()
const existing = (name: string, nodeName: string, labels: Record<string, string>, ns = 'default'): KubeObject => makePod().name(name).namespace(ns).node(nodeName).labels(labels).obj()

const OK = 'ok'
const AFFINITY = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules"
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules"
const EXISTING_ANTI = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules"

function filterAll (pod: KubeObject, nodes: KubeObject[], pods: KubeObject[]): Record<string, string> {
  const plugin = newInterPodAffinity()
  const snap = snapshotOf(nodes, pods)
  const state = new CycleState()
  const pre = plugin.preFilter(state, pod, snap)
  if (pre.status.code === 'Skip') return Object.fromEntries(snap.nodes.map((ni) => [ni.name, OK]))
  if (pre.status.code !== 'Success') return { preFilter: `${pre.status.code}: ${pre.status.reasons.join(', ')}` }
  return Object.fromEntries(snap.nodes.map((ni) => {
    const s = plugin.filter(state, pod, ni, snap)
    return [ni.name, s.code === 'Success' ? OK : `${s.code}: ${s.reasons.join(', ')}`]
  }))
}

describe('InterPodAffinity filter', () => {
  const machine1 = (): KubeObject => node('machine1', { region: 'r1', zone: 'z11', hostname: 'machine1' })
  const machine2 = (): KubeObject => node('machine2', { region: 'r1', zone: 'z12', hostname: 'machine2' })
  const machine3 = (): KubeObject => node('machine3', { region: 'r2', zone: 'z21', hostname: 'machine3' })
  const cases: Array<[string, KubeObject, KubeObject[], KubeObject[], Record<string, string>]> = [
    ['A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods', makePod().obj(), [machine1()], [], { machine1: OK }],
    ['satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
      makePod().podAffinity('region', S1).obj(), [machine1(), machine3()], [existing('e', 'machine1', { security: 'S1' })], { machine1: OK, machine3: AFFINITY }],
    ['satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
      makePod().podAffinity('region', sel('security', 'NotIn', ['securityscan3', 'value3'])).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' })], { machine1: OK }],
    ['the affinity domain is the whole topology value: machine2 shares region r1 with the matching pod',
      makePod().podAffinity('region', S1).obj(), [machine1(), machine2(), machine3()], [existing('e', 'machine1', { security: 'S1' })], { machine1: OK, machine2: OK, machine3: AFFINITY }],
    ['Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      makePod().podAffinity('region', S1, { namespaces: ['DiffNameSpace'] }).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' }, 'ns')], { machine1: AFFINITY }],
    ["Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      makePod().podAffinity('region', sel('service', 'In', ['antivirusscan', 'value2'])).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' })], { machine1: AFFINITY }],
    ['the node must have the topology key of every affinity term',
      makePod().podAffinity('rack', S1).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' })], { machine1: AFFINITY }],
    ['a pod with affinity to its own labels can land first when no pod matches anywhere',
      makePod().label('security', 'S1').podAffinity('region', S1).obj(), [machine1(), machine3()], [], { machine1: OK, machine3: OK }],
    ['...but not on a node lacking the topology key', makePod().label('security', 'S1').podAffinity('rack', S1).obj(), [machine1()], [], { machine1: AFFINITY }],
    ['Satisfies the PodAffinity and PodAntiAffinity with the existing pod',
      makePod().podAffinity('region', S1).podAntiAffinity('zone', sel('security', 'In', ['S2'])).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' })], { machine1: OK }],
    ['the incoming pod\'s anti-affinity rejects the nodes of its topology domain',
      makePod().podAntiAffinity('region', S1).obj(), [machine1(), machine2(), machine3()], [existing('e', 'machine1', { security: 'S1' })], { machine1: ANTI, machine2: ANTI, machine3: OK }],
    ['an existing pod\'s anti-affinity rejects the incoming pod in its domain',
      makePod().label('security', 'S1').obj(), [machine1(), machine2(), machine3()],
      [makePod().name('e').node('machine1').podAntiAffinity('zone', S1).obj()], { machine1: EXISTING_ANTI, machine2: OK, machine3: OK }],
    ['an existing pod\'s anti-affinity in another namespace only selects its own namespace by default',
      makePod().namespace('other').label('security', 'S1').obj(), [machine1()], [makePod().name('e').node('machine1').podAntiAffinity('zone', S1).obj()], { machine1: OK }],
    ['an empty namespaceSelector selects all namespaces',
      makePod().podAffinity('region', S1, { namespaceSelector: {} }).obj(), [machine1(), machine3()], [existing('e', 'machine1', { security: 'S1' }, 'ns')], { machine1: OK, machine3: AFFINITY }],
    ['a namespaceSelector matches the kubernetes.io/metadata.name label',
      makePod().podAffinity('region', S1, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns' } } }).obj(), [machine1()], [existing('e', 'machine1', { security: 'S1' }, 'ns')], { machine1: OK }],
    ['an invalid label selector rejects the pod at PreFilter',
      makePod().podAffinity('region', sel('security', 'In', [])).obj(), [machine1()], [],
      { preFilter: "UnschedulableAndUnresolvable: parsing pod: requiredAffinityTerms: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty" }],
  ]
  for (const [name, pod, nodes, pods, want] of cases) it(name, () => assert.deepEqual(filterAll(pod, nodes, pods), want))

  it('removePod (preemption) lifts the anti-affinity of a victim', () => {
    const plugin = newInterPodAffinity()
    const victim = makePod().name('e').node('machine1').podAntiAffinity('zone', S1).obj()
    const pod = makePod().label('security', 'S1').obj()
    const snap = snapshotOf([machine1()], [victim])
    const state = new CycleState()
    plugin.preFilter(state, pod, snap)
    const ni = snap.get('machine1')!
    assert.equal(plugin.filter(state, pod, ni, snap).code, 'Unschedulable')
    plugin.removePod(state, pod, newPodInfo(victim), ni)
    assert.equal(plugin.filter(state, pod, ni, snap).code, 'Success')
  })
})

describe('InterPodAffinity score', () => {
  const china = { region: 'China' }
  const india = { region: 'India' }
  const az1 = { az: 'az1' }
  const cases: Array<{ name: string, pod: KubeObject, nodes: KubeObject[], pods: KubeObject[], args?: Record<string, any>, want: Record<string, number> | { code: string, reasons: string[] } }> = [
    { name: 'all machines are same priority as Affinity is nil (PreScore skips)', pod: makePod().obj(), nodes: [node('machine1', china), node('machine2', india)],
      pods: [existing('e', 'machine1', { security: 'S1' })], want: { code: 'Skip', reasons: [] } },
    { name: 'Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn\'t match either pods in nodes or in topology key',
      pod: makePod().preferredPodAffinity(5, 'region', S1).obj(), nodes: [node('machine1', china), node('machine2', india), node('machine3', az1)],
      pods: [existing('e1', 'machine1', { security: 'S1' }), existing('e2', 'machine2', { security: 'S2' }), existing('e3', 'machine3', { security: 'S1' })], want: { machine1: 100, machine2: 0, machine3: 0 } },
    { name: 'Anti Affinity: pod that does not match existing pods in node will get high score',
      pod: makePod().preferredPodAntiAffinity(5, 'az', S1).obj(), nodes: [node('machine1', az1), node('machine2', china)],
      pods: [existing('e1', 'machine1', { security: 'S1' }), existing('e2', 'machine2', { security: 'S2' })], want: { machine1: 0, machine2: 100 } },
    // machine1 and machine3 share region China with e1 (+5 +3 = 8); machine2 has e2 (+3) → normalized over [3, 8]
    { name: 'weights add per domain, normalized between the lowest and the highest node',
      pod: makePod().preferredPodAffinity(5, 'region', S1).preferredPodAffinity(3, 'region', sel('security', 'In', ['S1', 'S2'])).obj(),
      nodes: [node('machine1', china), node('machine2', india), node('machine3', china)], pods: [existing('e1', 'machine1', { security: 'S1' }), existing('e2', 'machine2', { security: 'S2' })],
      want: { machine1: 100, machine2: 0, machine3: 100 } },
    { name: 'Affinity symmetry: an existing pod\'s required affinity to the incoming pod counts hardPodAffinityWeight',
      pod: makePod().label('security', 'S1').obj(), nodes: [node('machine1', china), node('machine2', india), node('machine3', china)],
      pods: [makePod().name('e').node('machine1').podAffinity('region', S1).obj()], want: { machine1: 100, machine2: 0, machine3: 100 } },
    { name: 'hardPodAffinityWeight 0 ignores existing pods\' required affinity', args: { hardPodAffinityWeight: 0 },
      pod: makePod().label('security', 'S1').obj(), nodes: [node('machine1', china), node('machine2', india)],
      pods: [makePod().name('e').node('machine1').podAffinity('region', S1).obj()], want: { code: 'Skip', reasons: [] } },
    { name: 'Affinity symmetry: an existing pod\'s preferred anti-affinity to the incoming pod lowers its domain',
      pod: makePod().label('security', 'S1').obj(), nodes: [node('machine1', china), node('machine2', india)],
      pods: [makePod().name('e').node('machine1').preferredPodAntiAffinity(5, 'region', S1).obj()], want: { machine1: 0, machine2: 100 } },
    { name: 'ignorePreferredTermsOfExistingPods skips a pod without preferences', args: { ignorePreferredTermsOfExistingPods: true },
      pod: makePod().label('security', 'S1').obj(), nodes: [node('machine1', china), node('machine2', india)],
      pods: [makePod().name('e').node('machine1').preferredPodAntiAffinity(5, 'region', S1).obj()], want: { code: 'Skip', reasons: [] } },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = scoreNodes(newInterPodAffinity({ args: c.args }), c.pod, snapshotOf(c.nodes, c.pods))
      assert.deepEqual(got.scores ?? got.preScore, c.want)
    })
  }
})
