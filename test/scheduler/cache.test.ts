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
