// The DaemonSet controller end to end in a virtual-time cluster of one server and two agents,
// with the scheduler and kubelets: placement, new nodes, selectors, taints, rolling update.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/index.ts'
import { daemonSetController } from '../../../src/controllers/daemonset/index.ts'
import { statefulSetController } from '../../../src/controllers/statefulset/index.ts'

type Json = Record<string, any>

function makeDaemonSet (name: string, extra: { nodeSelector?: Record<string, string>, image?: string, strategy?: Json } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'agent', image: extra.image ?? 'busybox:1.36' }], ...(extra.nodeSelector === undefined ? {} : { nodeSelector: extra.nodeSelector }) },
      },
      ...(extra.strategy === undefined ? {} : { updateStrategy: extra.strategy }),
    },
  }
}

describe('controllers/daemonset', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ agents: 2, clock: 'virtual', seed: 1, controllers: () => [daemonSetController(), statefulSetController()] })
  })
  afterEach(async () => { await cluster.stop() })

  const podsOf = async (app: string): Promise<KubeObject[]> =>
    (await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: `app=${app}` })).items
  /** "<node> <phase> <image>" per pod, sorted. */
  const placed = async (app: string): Promise<string[]> => (await podsOf(app)).map(p => {
    const s = p.spec as Json
    return `${s.nodeName} ${(p.status as Json).phase} ${s.containers[0].image}`
  }).sort()
  const dsStatus = async (name: string): Promise<Json> => (await cluster.client.get('apps/v1', 'DaemonSet', 'default', name)).status as Json

  it('runs one pod per node, pinned by node affinity with the daemon tolerations, and follows new nodes', async () => {
    await cluster.client.create(makeDaemonSet('agent'))
    await cluster.clock.advance('30s')
    const nodes = cluster.nodeNames().sort()
    assert.equal(nodes.length, 3)
    assert.deepEqual(await placed('agent'), nodes.map(n => `${n} Running busybox:1.36`))
    const pod = (await podsOf('agent')).find(p => (p.spec as Json).nodeName === nodes[0])!
    assert.match(pod.metadata.name!, /^agent-[a-z0-9]{5}$/)
    assert.deepEqual((pod.spec as Json).affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodes[0]] }] }] } } })
    const tolerations = ((pod.spec as Json).tolerations as Json[]).filter(t => t.tolerationSeconds === undefined).map(t => `${t.key}:${t.effect}`)
    assert.deepEqual(tolerations, ['not-ready:NoExecute', 'unreachable:NoExecute', 'disk-pressure:NoSchedule', 'memory-pressure:NoSchedule', 'pid-pressure:NoSchedule', 'unschedulable:NoSchedule'].map(t => `node.kubernetes.io/${t}`))
    const hash = pod.metadata.labels!['controller-revision-hash']
    const revisions = (await cluster.client.list('apps/v1', 'ControllerRevision', { namespace: 'default' })).items
    assert.deepEqual(revisions.map(r => [r.metadata.name, (r as Json).revision]), [[`agent-${hash}`, 1]])
    assert.deepEqual(await dsStatus('agent'), { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 })
    const created = cluster.events({ name: 'agent', reason: 'SuccessfulCreate' }).map(e => (e as Json).message)
    assert.deepEqual(created.sort(), (await podsOf('agent')).map(p => `Created pod: ${p.metadata.name}`).sort())

    await cluster.addNode({ name: 'late' })
    await cluster.clock.advance('30s')
    assert.deepEqual(await placed('agent'), [...nodes, 'late'].sort().map(n => `${n} Running busybox:1.36`))
    assert.equal((await dsStatus('agent')).numberReady, 4)

    await cluster.removeNode('late')
    await cluster.clock.advance('60s')
    assert.deepEqual(await placed('agent'), nodes.map(n => `${n} Running busybox:1.36`))
    assert.equal((await dsStatus('agent')).desiredNumberScheduled, 3)
  })

  it('respects a nodeSelector and skips a node with an untolerated taint', async () => {
    const [a0, a1] = cluster.nodeNames().filter(n => n.includes('agent')).sort()
    await cluster.client.patch('v1', 'Node', undefined, a0, { metadata: { labels: { disk: 'ssd' } } }, { type: 'merge' })
    await cluster.client.patch('v1', 'Node', undefined, a1, { metadata: { labels: { disk: 'ssd' } }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }, { type: 'merge' })
    await cluster.client.create(makeDaemonSet('ssd', { nodeSelector: { disk: 'ssd' } }))
    await cluster.clock.advance('30s')
    assert.deepEqual(await placed('ssd'), [`${a0} Running busybox:1.36`])
    assert.deepEqual(await dsStatus('ssd'), { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1 })

    // The taint goes: the node gets its pod. The label goes from a0: its pod is deleted.
    await cluster.client.patch('v1', 'Node', undefined, a1, { spec: { taints: null } }, { type: 'merge' })
    await cluster.client.patch('v1', 'Node', undefined, a0, { metadata: { labels: { disk: null } } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await placed('ssd'), [`${a1} Running busybox:1.36`])
    assert.equal(cluster.events({ name: 'ssd', reason: 'SuccessfulDelete' }).length, 1)
  })

  it('rolls a new template out node by node within maxUnavailable 1', async () => {
    await cluster.client.create(makeDaemonSet('agent'))
    await cluster.clock.advance('30s')
    await cluster.client.patch('apps/v1', 'DaemonSet', 'default', 'agent', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:1.37' }] } } } }, { type: 'strategic' })
    await cluster.settle()
    // Never more than one node without an available pod while rolling.
    let maxDown = 0
    for (let i = 0; i < 40; i++) {
      await cluster.clock.advance('1s')
      const pods = (await podsOf('agent')).filter(p => p.metadata.deletionTimestamp === undefined && ((p.status as Json).conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True'))
      maxDown = Math.max(maxDown, 3 - pods.length)
    }
    assert.ok(maxDown <= 1, `at most one node down, saw ${maxDown}`)
    const nodes = cluster.nodeNames().sort()
    assert.deepEqual(await placed('agent'), nodes.map(n => `${n} Running busybox:1.37`))
    const revisions = (await cluster.client.list('apps/v1', 'ControllerRevision', { namespace: 'default' })).items
    assert.deepEqual(revisions.map(r => (r as Json).revision).sort(), [1, 2])
    // One node at a time: each old pod is deleted only after the previous replacement was created.
    const rollout = cluster.events({ name: 'agent' }).map(e => String((e as Json).reason)).slice(3)
    assert.deepEqual(rollout, ['SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate'])
    assert.deepEqual(await dsStatus('agent'), { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3 })
  })

  it('OnDelete: a new template reaches a node only when its pod is deleted', async () => {
    await cluster.client.create(makeDaemonSet('agent', { strategy: { type: 'OnDelete' } }))
    await cluster.clock.advance('30s')
    await cluster.client.patch('apps/v1', 'DaemonSet', 'default', 'agent', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:1.37' }] } } } }, { type: 'strategic' })
    await cluster.clock.advance('30s')
    const nodes = cluster.nodeNames().sort()
    assert.deepEqual(await placed('agent'), nodes.map(n => `${n} Running busybox:1.36`))
    const victim = (await podsOf('agent')).find(p => (p.spec as Json).nodeName === nodes[0])!
    await cluster.client.delete('v1', 'Pod', 'default', victim.metadata.name!)
    await cluster.clock.advance('60s')
    assert.deepEqual(await placed('agent'), [`${nodes[0]} Running busybox:1.37`, `${nodes[1]} Running busybox:1.36`, `${nodes[2]} Running busybox:1.36`])
    const s = await dsStatus('agent')
    assert.deepEqual([s.updatedNumberScheduled, s.numberReady, s.observedGeneration], [1, 3, 2])
  })
})
