// The kubelet's Images node status setter: a node lists the images its runtime holds, largest
// first, each by its digest and tag, once a pull changed them (within the 10-second status check);
// a node with none leaves the field out (omitempty).
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { imageRef, imageSize } from '../../src/runtime/images.ts'
import { nodeImages } from '../../src/kubelet/node-object.ts'

const NODE = 'k3sim-k3s-default-agent-0'

describe('kubelet: the node\'s images', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 4 }) })
  afterEach(async () => { await cluster.stop() })

  const images = async (): Promise<unknown> => ((await cluster.client.get('v1', 'Node', undefined, NODE)).status as { images?: unknown }).images

  it('lists what the node pulled, by digest and tag, after the next status check', async () => {
    assert.equal(await images(), undefined, 'nothing pulled: no images field')
    for (const [name, image] of [['web', 'nginx:1.27'], ['cache', 'redis:7']]) {
      await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, containers: [{ name: 'c', image }] } } as any)
    }
    await cluster.settle()
    await cluster.clock.advance('10s')
    const want = ['docker.io/library/nginx:1.27', 'docker.io/library/redis:7']
      .map(tag => ({ names: [imageRef(tag), tag], sizeBytes: imageSize(tag) }))
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
    assert.deepEqual(await images(), want)
  })

  it('keeps the 50 largest images and 5 names of each, as the kubelet reports them', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ repoDigests: [`r/i${i}@sha256:x`], repoTags: ['a', 'b', 'c', 'd', 'e'].map(t => `r/i${i}:${t}`), size: i }))
    const listed = nodeImages(many)
    assert.equal(listed.length, 50)
    assert.equal(listed[0].sizeBytes, 59)
    assert.equal(listed[49].sizeBytes, 10)
    assert.deepEqual(listed[0].names, ['r/i59@sha256:x', 'r/i59:a', 'r/i59:b', 'r/i59:c', 'r/i59:d'])
  })
})
