// The scheduler cache's incremental summaries (upstream's snapshot lists and image states) must
// always equal what a scan of its NodeInfos gives, through pods and nodes coming and going.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { SchedulerCache } from '../../src/scheduler/cache.ts'
import { newSnapshot } from '../../src/scheduler/node-info.ts'
import { makeNode, makePod } from './builders.ts'

type Json = Record<string, any>

function withAntiAffinity (pod: KubeObject, required: boolean): KubeObject {
  const term = { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }
  ;(pod.spec as Json).affinity = { podAntiAffinity: required ? { requiredDuringSchedulingIgnoredDuringExecution: [term] } : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } }
  return pod
}

/** The cache's summaries next to the same summaries computed by scanning its nodes. */
function summaries (cache: SchedulerCache, images: string[]): { cached: Json, scanned: Json } {
  const scan = newSnapshot(cache.nodes)
  const view = (s: typeof scan): Json => ({
    affinity: s.havePodsWithAffinity().map(n => `${n.name}:${n.pods.length}`).sort(),
    requiredAnti: s.havePodsWithRequiredAntiAffinity().map(n => `${n.name}:${n.pods.length}`).sort(),
    images: Object.fromEntries(images.map(i => [i, s.imageNumNodes(i)])),
  })
  return { cached: view(cache), scanned: view(scan) }
}

describe('scheduler cache summaries', () => {
  it('track affinity pods and images as pods and nodes are added, changed, assumed, forgotten and removed', () => {
    const cache = new SchedulerCache()
    const images = ['nginx:1.27', 'redis:7']
    const check = (want: Json): void => {
      const { cached, scanned } = summaries(cache, images)
      assert.deepEqual(cached, scanned, 'incremental = scan')
      assert.deepEqual(cached, want)
    }
    cache.setNode(makeNode().name('n1').image(['nginx:1.27'], 100).obj())
    cache.setNode(makeNode().name('n2').image(['nginx:1.27', 'redis:7'], 100).obj())
    check({ affinity: [], requiredAnti: [], images: { 'nginx:1.27': 2, 'redis:7': 1 } })

    const anti = withAntiAffinity(makePod().name('anti').node('n1').obj(), true)
    const soft = withAntiAffinity(makePod().name('soft').node('n2').obj(), false)
    cache.setPod(anti)
    cache.setPod(soft)
    cache.setPod(makePod().name('plain').node('n2').obj())
    check({ affinity: ['n1:1', 'n2:2'], requiredAnti: ['n1:1'], images: { 'nginx:1.27': 2, 'redis:7': 1 } })

    // A node update replaces its NodeInfo: the lists show the new one (with its pods).
    cache.setNode(makeNode().name('n1').image(['redis:7'], 100).obj())
    check({ affinity: ['n1:1', 'n2:2'], requiredAnti: ['n1:1'], images: { 'nginx:1.27': 1, 'redis:7': 2 } })

    const assumed = withAntiAffinity(makePod().name('assumed').obj(), true)
    cache.assume(assumed, 'n2')
    check({ affinity: ['n1:1', 'n2:3'], requiredAnti: ['n1:1', 'n2:3'], images: { 'nginx:1.27': 1, 'redis:7': 2 } })
    cache.forget(assumed)
    check({ affinity: ['n1:1', 'n2:2'], requiredAnti: ['n1:1'], images: { 'nginx:1.27': 1, 'redis:7': 2 } })

    cache.removePod(anti)
    check({ affinity: ['n2:2'], requiredAnti: [], images: { 'nginx:1.27': 1, 'redis:7': 2 } })
    cache.removeNode('n2')
    check({ affinity: [], requiredAnti: [], images: { 'nginx:1.27': 0, 'redis:7': 1 } })
  })
})

describe('scheduler cache: a newer version of a pod on the same node', () => {
  it('replaces the object (labels may change) and keeps the counts; a new pod of the same name is counted anew', async () => {
    const { countMatchingOnNode } = await import('../../src/scheduler/plugins/pod-topology-spread/constraints.ts')
    const { selectorFromSet } = await import('../../src/api/labels.ts')
    const cache = new SchedulerCache()
    cache.setNode(makeNode().name('n1').capacity({ cpu: '4', memory: '8Gi', pods: '10' }).obj())
    const pod = makePod().name('p').label('app', 'web').req({ cpu: '1', memory: '1Gi' }).obj()
    cache.assume(pod, 'n1')
    const n1 = cache.get('n1')!
    const { version } = cache.changes(0)
    const web = selectorFromSet({ app: 'web' })
    assert.equal(countMatchingOnNode(n1, web, 'default'), 1)

    // The binding confirmed, relabelled meanwhile: the node holds the new object, counted once.
    const bound = { ...pod, metadata: { ...pod.metadata, labels: { app: 'db' } }, spec: { ...(pod.spec as Json), nodeName: 'n1' } }
    cache.setPod(bound)
    assert.equal(cache.isAssumed('default/p'), false)
    assert.equal(n1.pods.length, 1)
    assert.equal(n1.pods[0].pod, bound)
    assert.deepEqual([n1.requested.milliCPU, n1.requested.memory], [1000, 2 ** 30])
    assert.equal(countMatchingOnNode(n1, web, 'default'), 0, 'the per-node count follows the new labels')
    assert.deepEqual(cache.changes(version).names, ['n1'], 'the node is reported changed')

    // Deleted and created again under the same name (a new UID) with other requests.
    const again = makePod().name('p').uid('p-2').req({ cpu: '2' }).node('n1').obj()
    cache.setPod(again)
    assert.equal(n1.pods.length, 1)
    assert.equal(n1.requested.milliCPU, 2000)
  })
})

describe('PodTopologySpread per-node match counts', () => {
  it('are remembered per node until a pod is added or removed', async () => {
    const { countMatchingOnNode } = await import('../../src/scheduler/plugins/pod-topology-spread/constraints.ts')
    const { addPod, newNodeInfo, newPodInfo, removePod } = await import('../../src/scheduler/node-info.ts')
    const { selectorFromSet } = await import('../../src/api/labels.ts')
    const ni = newNodeInfo(makeNode().name('n1').obj())
    const web = selectorFromSet({ app: 'web' })
    const a = makePod().name('a').label('app', 'web').node('n1').obj()
    assert.equal(countMatchingOnNode(ni, web, 'default'), 0)
    addPod(ni, newPodInfo(a))
    addPod(ni, newPodInfo(makePod().name('b').label('app', 'db').node('n1').obj()))
    assert.equal(countMatchingOnNode(ni, web, 'default'), 1)
    assert.equal(countMatchingOnNode(ni, selectorFromSet({ app: 'web' }), 'default'), 1, 'an equal selector object shares the count')
    assert.equal(countMatchingOnNode(ni, web, 'other'), 0, 'per namespace')
    removePod(ni, a)
    assert.equal(countMatchingOnNode(ni, web, 'default'), 0)
  })
})
