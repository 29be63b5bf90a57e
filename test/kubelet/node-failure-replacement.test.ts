// Node failure in virtual time, end to end with the workload controllers: a node stops; after the
// 50 s grace period and the 300 s not-ready/unreachable tolerations its pods are marked for
// deletion, but nobody can finish them (the kubelet is gone), so they stay Terminating. The
// ReplicaSet ignores terminating pods and replaces them on the healthy nodes; the StatefulSet
// does not: a pod's identity is stable, so upstream waits until the old pod object is gone
// (when the node returns, or someone force-deletes it). The node returns; its kubelet finishes
// the deletions and the StatefulSet recreates its pod.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { Cluster } from '../../src/index.ts'

type Json = Record<string, any>

const template = (app: string): Json => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] },
})
const ready = (p: KubeObject): boolean => ((p.status as Json | undefined)?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')
const nodeOf = (p: KubeObject): string => (p.spec as Json).nodeName

describe('node failure in virtual time: replacement', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ agents: 2, clock: 'virtual', seed: 11, disable: ['traefik', 'servicelb', 'metrics-server'] })
  })
  afterEach(async () => { await cluster.stop() })

  const pods = async (app: string): Promise<KubeObject[]> => (await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: `app=${app}` })).items
  const live = (ps: KubeObject[]): KubeObject[] => ps.filter(p => p.metadata.deletionTimestamp === undefined)
  const terminating = (ps: KubeObject[]): KubeObject[] => ps.filter(p => p.metadata.deletionTimestamp !== undefined)

  it('ends with replacement pods Running and Ready on healthy nodes; the StatefulSet pod waits as upstream', async () => {
    const N = 6
    // Only the agents take the workloads, so that the node that dies runs some of each.
    await cluster.client.patch('v1', 'Node', undefined, 'k3sim-k3s-default-server-0', { spec: { unschedulable: true } }, { type: 'merge' })
    await cluster.client.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: N, selector: { matchLabels: { app: 'web' } }, template: template('web') } })
    await cluster.client.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 3, serviceName: 'db', podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'db' } }, template: template('db') },
    })
    await cluster.clock.advance('30s')
    assert.deepEqual((await pods('web')).filter(p => ready(p)).length, N)
    assert.deepEqual((await pods('db')).filter(p => ready(p)).length, 3)

    // The agent running db-1 dies; it must run some web pods too for the test to mean anything.
    const dead = nodeOf((await pods('db')).find(p => p.metadata.name === 'db-1')!)
    assert.match(dead, /agent/)
    const doomedWeb = (await pods('web')).filter(p => nodeOf(p) === dead).map(p => p.metadata.uid)
    assert.ok(doomedWeb.length > 0, `some web pods run on ${dead}`)
    const db1 = (await pods('db')).find(p => p.metadata.name === 'db-1')!
    await cluster.stopNode(dead)

    // 55 s: Unknown and tainted; 300 s later the taint manager marks the pods for deletion; the
    // ReplicaSet replaces them and the kubelets of the healthy nodes start the replacements.
    await cluster.clock.advance('60s')
    assert.equal((await pods('web')).filter(p => p.metadata.deletionTimestamp !== undefined).length, 0, 'the pods tolerate unreachable for 300 s')
    await cluster.clock.advance('300s')
    await cluster.clock.advance('30s')

    const web = await pods('web')
    assert.deepEqual(terminating(web).map(p => p.metadata.uid).sort(), [...doomedWeb].sort(), 'the dead node\'s pods are Terminating, not gone')
    assert.ok(terminating(web).every(p => nodeOf(p) === dead))
    const replacements = live(web)
    assert.equal(replacements.length, N)
    assert.deepEqual(replacements.filter(p => nodeOf(p) === dead).map(p => p.metadata.name), [], 'nothing new lands on the dead node')
    assert.deepEqual(replacements.filter(p => !ready(p) || (p.status as Json).phase !== 'Running').map(p => p.metadata.name), [], 'all Running and Ready')
    const dep = (await cluster.client.get('apps/v1', 'Deployment', 'default', 'web')).status as Json
    assert.deepEqual([dep.replicas, dep.readyReplicas, dep.availableReplicas, dep.unavailableReplicas], [N, N, N, undefined])

    // StatefulSet: db-1 is the same pod object, Terminating; no second db-1 and no replacement.
    const db = await pods('db')
    const stuck = db.find(p => p.metadata.name === 'db-1')!
    assert.equal(stuck.metadata.uid, db1.metadata.uid)
    assert.ok(stuck.metadata.deletionTimestamp !== undefined)
    assert.equal(db.length, 3)
    const sts = (await cluster.client.get('apps/v1', 'StatefulSet', 'default', 'db')).status as Json
    assert.deepEqual([sts.replicas, sts.readyReplicas, sts.availableReplicas], [3, 2, 2])

    // The node comes back: its kubelet finishes the deletions; db-1 is recreated (a new pod).
    await cluster.startNode(dead)
    await cluster.clock.advance('30s')
    const after = await pods('web')
    assert.deepEqual(terminating(after).map(p => p.metadata.name), [], 'the terminating pods are gone')
    assert.equal(after.length, N)
    const dbAfter = await pods('db')
    const newDb1 = dbAfter.find(p => p.metadata.name === 'db-1')!
    assert.notEqual(newDb1.metadata.uid, db1.metadata.uid)
    assert.deepEqual(dbAfter.map(p => ready(p) && p.metadata.deletionTimestamp === undefined), [true, true, true])
    assert.equal(((await cluster.client.get('apps/v1', 'StatefulSet', 'default', 'db')).status as Json).readyReplicas, 3)
  })
})
