// NodeInfo bookkeeping (framework.NodeInfo): allocatable, incremental requested / non-zero sums,
// used host ports and images.
import assert from 'node:assert/strict'
import { addPod, newNodeInfo, newPodInfo, newSnapshot, removePod, setNode } from '../../../src/scheduler/node-info.ts'
import { makeNode, makePod } from '../builders.ts'

const node = makeNode().name('n1').capacity({ cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '20Gi', 'nvidia.com/gpu': '2' })
  .image(['docker.io/library/nginx:1.25', 'docker.io/library/nginx@sha256:abc'], 70_000_000).obj()

describe('NodeInfo', () => {
  it('reads allocatable: cpu in millicores, memory and storage in bytes, pods, scalar resources', () => {
    const ni = newNodeInfo(node)
    assert.deepEqual(ni.allocatable, { milliCPU: 4000, memory: 8 * 2 ** 30, ephemeralStorage: 20 * 2 ** 30, pods: 110, scalar: { 'nvidia.com/gpu': 2 } })
    assert.equal(ni.name, 'n1')
  })
  it('indexes every name of every image with its size', () => {
    assert.deepEqual([...newNodeInfo(node).images], [['docker.io/library/nginx:1.25', 70_000_000], ['docker.io/library/nginx@sha256:abc', 70_000_000]])
  })
  it('adding pods sums real and non-zero requests and collects host ports', () => {
    const ni = newNodeInfo(node)
    addPod(ni, newPodInfo(makePod().name('a').req({ cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' }).obj()))
    addPod(ni, newPodInfo(makePod().name('b').container().hostPort(80).obj()))
    assert.equal(ni.pods.length, 2)
    assert.deepEqual(ni.requested, { milliCPU: 500, memory: 2 ** 30, ephemeralStorage: 0, scalar: { 'nvidia.com/gpu': 1 } })
    // b has two containers without requests: 2 × (100m, 200Mi)
    assert.deepEqual([ni.nonZeroRequested.milliCPU, ni.nonZeroRequested.memory], [700, 2 ** 30 + 2 * 200 * 2 ** 20])
    assert.deepEqual(ni.usedPorts, [{ ip: '0.0.0.0', protocol: 'TCP', port: 80 }])
  })
  it('removing a pod (matched by UID) subtracts what it added', () => {
    const a = makePod().name('a').req({ cpu: '1' }).hostPort(53, { protocol: 'UDP' }).obj()
    const ni = newNodeInfo(node, [a, makePod().name('b').req({ cpu: '2' }).obj()])
    assert.equal(removePod(ni, a), true)
    assert.equal(removePod(ni, a), false)
    assert.deepEqual([ni.pods.map((p) => p.pod.metadata.name), ni.requested.milliCPU, ni.usedPorts], [['b'], 2000, []])
  })
  it('setNode refreshes allocatable and images, keeping the pods', () => {
    const ni = newNodeInfo(node, [makePod().req({ cpu: '1' }).obj()])
    setNode(ni, makeNode().name('n1').capacity({ cpu: '8' }).obj())
    assert.deepEqual([ni.allocatable.milliCPU, ni.images.size, ni.pods.length, ni.requested.milliCPU], [8000, 0, 1, 1000])
  })
  it('a snapshot finds nodes by name', () => {
    const snap = newSnapshot([newNodeInfo(node)])
    assert.equal(snap.get('n1')?.name, 'n1')
    assert.equal(snap.get('n2'), undefined)
  })
})
