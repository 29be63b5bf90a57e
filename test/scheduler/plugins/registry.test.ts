// The registry and the v1.32 default profile.
import assert from 'node:assert/strict'
import { DEFAULT_PROFILE, guard, newProfilePlugins, REGISTRY } from '../../../src/scheduler/plugins/index.ts'
import { CycleState, type FilterPlugin, type ScorePlugin } from '../../../src/scheduler/types.ts'
import { newNodeInfo, newSnapshot } from '../../../src/scheduler/node-info.ts'
import { makeNode, makePod } from '../builders.ts'

describe('plugin registry and DEFAULT_PROFILE', () => {
  it('filters run in k3s-facts §2.1 order', () => {
    assert.deepEqual(DEFAULT_PROFILE.filter, ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity'])
  })
  it('score weights are v1.32 defaults', () => {
    assert.deepEqual(Object.fromEntries(DEFAULT_PROFILE.score.map((s) => [s.name, s.weight])), {
      TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1,
    })
  })
  it('queue sort is PrioritySort', () => assert.deepEqual(DEFAULT_PROFILE.queueSort, ['PrioritySort']))
  it('every profile plugin is registered and implements its extension points', () => {
    const plugins = newProfilePlugins()
    assert.equal(plugins.size, Object.keys(REGISTRY).length)
    const has = (names: string[], method: string): void => { for (const n of names) assert.equal(typeof (plugins.get(n) as any)[method], 'function', `${n}.${method}`) }
    has(DEFAULT_PROFILE.queueSort, 'less')
    has(DEFAULT_PROFILE.preFilter, 'preFilter')
    has(DEFAULT_PROFILE.filter, 'filter')
    has(DEFAULT_PROFILE.preScore, 'preScore')
    has(DEFAULT_PROFILE.score.map((s) => s.name), 'score')
    for (const [name, p] of plugins) assert.equal(p.name, name)
  })
  it('an unknown plugin name is refused', () => {
    assert.throws(() => newProfilePlugins({ ...DEFAULT_PROFILE, filter: ['VolumeZone'] }), /plugin "VolumeZone" does not exist/)
  })
  it('a throwing plugin returns an Error status instead', () => {
    const p = guard<FilterPlugin & ScorePlugin>({
      name: 'Boom',
      filter: () => { throw new Error('boom') },
      score: () => { throw new Error('bang') },
    })
    const ni = newNodeInfo(makeNode().obj())
    assert.deepEqual(p.filter(new CycleState(), makePod().obj(), ni, newSnapshot([ni])), { code: 'Error', reasons: ['boom'] })
    assert.deepEqual(p.score(new CycleState(), makePod().obj(), ni, newSnapshot([ni])), { score: 0, status: { code: 'Error', reasons: ['bang'] } })
  })
})

describe('DEFAULT_PROFILE filters composed (first failing plugin per node, as the framework runs them)', () => {
  /** PreFilter all, then per node the filters in order until one fails (Skip drops that plugin's filter). */
  function reasons (pod: ReturnType<ReturnType<typeof makePod>['obj']>, nodes: Array<ReturnType<ReturnType<typeof makeNode>['obj']>>): Record<string, string[]> {
    const plugins = newProfilePlugins()
    const snap = newSnapshot(nodes.map((n) => newNodeInfo(n)))
    const state = new CycleState()
    const skipped = new Set<string>()
    for (const name of DEFAULT_PROFILE.preFilter) {
      const r = (plugins.get(name) as any).preFilter(state, pod, snap)
      if (r.status.code === 'Skip') skipped.add(name)
      else assert.equal(r.status.code, 'Success', `${name}: ${r.status.reasons}`)
    }
    const out: Record<string, string[]> = {}
    for (const ni of snap.nodes) {
      out[ni.name] = []
      for (const name of DEFAULT_PROFILE.filter) {
        if (skipped.has(name)) continue
        const s = (plugins.get(name) as FilterPlugin).filter(state, pod, ni, snap)
        if (s.code !== 'Success') { out[ni.name] = s.reasons; break }
      }
    }
    return out
  }
  it('k3s-facts example: a tainted server and two agents failing the node selector', () => {
    const server = makeNode().name('server').label('node-role.kubernetes.io/control-plane', 'true').taint('CriticalAddonsOnly', 'true', 'NoExecute').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj()
    const agent = (n: string): ReturnType<ReturnType<typeof makeNode>['obj']> => makeNode().name(n).capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj()
    const pod = makePod().nodeSelector({ 'node-role.kubernetes.io/control-plane': 'true' }).req({ cpu: '100m' }).obj()
    assert.deepEqual(reasons(pod, [server, agent('agent-0'), agent('agent-1')]), {
      server: ['node(s) had untolerated taint {CriticalAddonsOnly: true}'],
      'agent-0': ["node(s) didn't match Pod's node affinity/selector"],
      'agent-1': ["node(s) didn't match Pod's node affinity/selector"],
    })
  })
  it('a pod too big for every node reports cpu and memory together', () => {
    const n = makeNode().name('n').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj()
    assert.deepEqual(reasons(makePod().req({ cpu: '3', memory: '8Gi' }).obj(), [n]), { n: ['Insufficient cpu', 'Insufficient memory'] })
  })
  it('a plain pod fits an empty node', () => {
    const n = makeNode().name('n').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj()
    assert.deepEqual(reasons(makePod().req({ cpu: '1' }).obj(), [n]), { n: [] })
  })
})
