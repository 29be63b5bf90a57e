// kubectl drain against a cluster with kubelets: it finds pods/eviction in /api/v1 (its group and
// version), cordons the node, evicts the Deployment's pods, skips the DaemonSet's, and waits for
// them to be gone; with --disable-eviction it deletes them instead (a protobuf DeleteOptions body).
import assert from 'node:assert/strict'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

const AGENT = 'k3sim-k3s-default-agent-0'

const workloads = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeSelector: { kubernetes.io/hostname: ${AGENT} }
      containers: [{ name: nginx, image: nginx:1.27 }]
      volumes: [{ name: scratch, emptyDir: {} }]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: default }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [{ name: a, image: busybox }] }
`

describe('kubectl drain against k3sim', function () {
  let k: KubectlCluster
  before(async () => {
    k = await startKubectlCluster({ disable: [...ADDON_NAMES], agents: 1, node: { cpu: '4', memory: '8Gi' }, seed: 5 })
  })
  after(async () => { await k.stop() })

  const podsOn = async (node: string, app: string): Promise<string[]> =>
    (await k.ok(['get', 'pods', '-l', `app=${app}`, '--field-selector', `spec.nodeName=${node}`, '-o', 'name'])).split('\n').filter(l => l !== '')

  it('advertises pods/eviction with its group and version, as upstream\'s installer does', async () => {
    const list = JSON.parse(await k.ok(['get', '--raw', '/api/v1']))
    const eviction = list.resources.find((r: { name: string }) => r.name === 'pods/eviction')
    assert.deepEqual(eviction, { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] })
    const status = list.resources.find((r: { name: string }) => r.name === 'pods/status')
    assert.deepEqual(status, { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] })
    const apps = JSON.parse(await k.ok(['get', '--raw', '/apis/apps/v1']))
    const scale = apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')
    assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] })
  })

  it('evicts the pods of a node, ignoring DaemonSet pods', async () => {
    await k.ok(['apply', '-f', '-'], workloads)
    await k.cluster.settle()
    assert.equal((await podsOn(AGENT, 'web')).length, 2)
    const out = await k.ok(['drain', AGENT, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=30s'])
    assert.match(out, new RegExp(`^node/${AGENT} cordoned$`, 'm'))
    assert.match(out, /^evicting pod default\/web-[a-z0-9]+-[a-z0-9]+$/m)
    assert.match(out, /^pod\/web-[a-z0-9]+-[a-z0-9]+ evicted$/m)
    assert.match(out, new RegExp(`^node/${AGENT} drained$`, 'm'))
    assert.deepEqual(await podsOn(AGENT, 'web'), [])
    assert.equal((await podsOn(AGENT, 'agent')).length, 1)
    await k.ok(['uncordon', AGENT])
  })

  it('deletes instead of evicting with --disable-eviction', async () => {
    // The uncordoned node takes the replacements once the scheduler's back-off lets them retry.
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'])
    assert.equal((await podsOn(AGENT, 'web')).length, 2)
    const out = await k.ok(['drain', AGENT, '--ignore-daemonsets', '--delete-emptydir-data', '--disable-eviction', '--timeout=30s'])
    assert.match(out, /^pod\/web-[a-z0-9]+-[a-z0-9]+ deleted$/m)
    assert.match(out, new RegExp(`^node/${AGENT} drained$`, 'm'))
    assert.deepEqual(await podsOn(AGENT, 'web'), [])
  })
})
