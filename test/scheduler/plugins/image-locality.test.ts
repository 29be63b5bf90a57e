// Cases after kube-scheduler's imagelocality/image_locality_test.go: image sizes scaled by spread
// (nodes with the image / all nodes), clamped to [23Mi, 1000Mi × containers], mapped to 0–100.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newImageLocality } from '../../../src/scheduler/plugins/index.ts'
import { calculatePriority, normalizedImageName } from '../../../src/scheduler/plugins/image-locality/index.ts'
import { makeNode, makePod } from '../builders.ts'
import { scoreNodes, snapshotOf } from './helpers.ts'

const MB = 1024 * 1024

// node1 has gcr.io/40 (40MB), gcr.io/300 (300MB) and gcr.io/2000 (2000MB); node2 has gcr.io/250
// (250MB) and gcr.io/10 (10MB); node3 has gcr.io/600 (600MB) and gcr.io/10; node4 gcr.io/10.
const node1 = (): KubeObject => makeNode().name('node1').image(['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v2'], 40 * MB)
  .image(['gcr.io/300:latest', 'gcr.io/300:v1'], 300 * MB).image(['gcr.io/2000:latest'], 2000 * MB).obj()
const node2 = (): KubeObject => makeNode().name('node2').image(['gcr.io/250:latest'], 250 * MB).image(['gcr.io/10:latest', 'gcr.io/10:v1'], 10 * MB).obj()
const node3 = (): KubeObject => makeNode().name('node3').image(['gcr.io/600:latest'], 600 * MB).image(['gcr.io/10:latest', 'gcr.io/10:v1'], 10 * MB).obj()
const node4 = (): KubeObject => makeNode().name('node4').image(['gcr.io/10:latest'], 10 * MB).obj()

const podWithImages = (...images: string[]): KubeObject => {
  const b = makePod()
  for (const i of images) b.image(i)
  return b.obj()
}

describe('ImageLocality score', () => {
  const cases: Array<[string, KubeObject, KubeObject[], Record<string, number>]> = [
    // node1: 40MB·1/2 = 20MB < 23MB → 0; node2: 250MB·1/2 = 125MB → 100·(125 − 23)/(2000 − 23) = 5
    ['two images spread on two nodes, prefer the larger image one', podWithImages('gcr.io/40', 'gcr.io/250'), [node1(), node2()], { node1: 0, node2: 5 }],
    // node1: (40 + 300)·1/2 = 170MB → 100·147/1977 = 7; node2: 0
    ['two images on one node, prefer this node', podWithImages('gcr.io/40', 'gcr.io/300'), [node1(), node2()], { node1: 7, node2: 0 }],
    // node1: 2000MB·1/2 = 1000MB → 100·977/1977 = 49; node2: 10MB·1/2 below the threshold → 0
    ['if exceed limit, use limit', podWithImages('gcr.io/2000', 'gcr.io/10'), [node1(), node2()], { node1: 49, node2: 0 }],
    // gcr.io/10 is on 3 of 3 nodes but 10MB stays below 23MB everywhere
    ['a small image everywhere scores nothing', podWithImages('gcr.io/10'), [node2(), node3(), node4()], { node2: 0, node3: 0, node4: 0 }],
    // 600MB·1/3 = 200MB → 100·(200 − 23)/(1000 − 23) = 18
    ['an image on one of three nodes is scaled by its spread 1/3', podWithImages('gcr.io/600:latest'), [node1(), node2(), node3()], { node1: 0, node2: 0, node3: 18 }],
    // 600MB·1/2 = 300MB → 100·277/977 = 28
    ['a reference without a tag matches :latest', podWithImages('gcr.io/600'), [node3(), node4()], { node3: 28, node4: 0 }],
    ['a tagged reference matches only that tag', podWithImages('gcr.io/600:v2'), [node3(), node4()], { node3: 0, node4: 0 }],
    // (300 + 300)MB over 2 containers → 100·577/1977 = 29
    ['images no node holds: every node 0 (no node\'s images are looked at)', podWithImages('gcr.io/nowhere', 'gcr.io/none:v1'), [node1(), node2()], { node1: 0, node2: 0 }],
    ['init containers count too, and widen the threshold', makePod().initReq({}, { image: 'gcr.io/600' }).image('gcr.io/600').obj(), [node3(), node4()], { node3: 29, node4: 0 }],
  ]
  for (const [name, pod, nodes, want] of cases) it(name, () => assert.deepEqual(scoreNodes(newImageLocality(), pod, snapshotOf(nodes)).scores, want))

  it('calculatePriority clamps below 23Mi and above 1000Mi × containers', () => {
    assert.deepEqual([calculatePriority(0, 1), calculatePriority(23 * MB, 1), calculatePriority(2000 * MB, 1), calculatePriority(0, 0)], [0, 0, 100, 0])
  })
  it('normalizedImageName appends :latest only when there is no tag', () => {
    assert.deepEqual(['nginx', 'nginx:1.25', 'localhost:5000/app', 'localhost:5000/app:v1'].map(normalizedImageName),
      ['nginx:latest', 'nginx:1.25', 'localhost:5000/app:latest', 'localhost:5000/app:v1'])
  })
})
