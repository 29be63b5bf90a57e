// The Deployment controller end to end, with the ReplicaSet controller and the kubelets of a
// virtual-time cluster: rollouts, scaling, history, pause, undo, progress deadline.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import type { Cluster } from '../../../src/cluster/cluster.ts'
import { eventsOf, makeDeployment, phase, podsOf, startCluster } from '../replicaset/fixtures.ts'

const T0 = '2025-01-01T00:00:00Z'

describe('controllers/deployment', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const get = async (kind: string, name: string): Promise<KubeObject> => await cluster.client.get('apps/v1', kind, 'default', name)
  const replicaSets = async (): Promise<KubeObject[]> =>
    (await cluster.client.list('apps/v1', 'ReplicaSet', { namespace: 'default' })).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
  const rsSummary = async (): Promise<string[]> => (await replicaSets()).map(rs =>
    `${rs.metadata.name} rev=${rs.metadata.annotations?.['deployment.kubernetes.io/revision']} replicas=${(rs.spec as { replicas: number }).replicas}`)
  const setImage = async (image: string): Promise<void> => {
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } }, { type: 'strategic' })
  }
  const images = async (): Promise<string[]> => (await podsOf(cluster, 'web')).map(p => `${(p.spec as { containers: Array<{ image: string }> }).containers[0].image} ${phase(p)}`)

  it('creates a ReplicaSet <deploy>-<hash> whose pods run, with exact status and conditions', async () => {
    const d = await cluster.client.create(makeDeployment('web', 3))
    await cluster.clock.advance('10s')
    const [rs] = await replicaSets()
    const hash = rs.metadata.labels!['pod-template-hash']
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/)
    assert.equal(rs.metadata.name, `web-${hash}`)
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }])
    assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' })
    assert.deepEqual((rs.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } })
    assert.deepEqual(await images(), ['nginx:1.27 Running', 'nginx:1.27 Running', 'nginx:1.27 Running'])
    const got = await get('Deployment', 'web')
    assert.equal(got.metadata.annotations?.['deployment.kubernetes.io/revision'], '1')
    assert.deepEqual(got.status, {
      observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: T0, lastTransitionTime: T0, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: T0, lastTransitionTime: T0, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` },
      ],
    })
    assert.deepEqual(eventsOf(cluster, 'web', 'deployment-controller'), [`ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`])
  })

  it('rolls from nginx:1.27 to 1.28 one surge pod at a time, ending with the old ReplicaSet at 0', async () => {
    await cluster.client.create(makeDeployment('web', 3))
    await cluster.clock.advance('10s')
    const [old] = (await replicaSets()).map(rs => rs.metadata.name)
    await setImage('nginx:1.28')
    await cluster.clock.advance('60s')
    const next = (await replicaSets()).map(rs => rs.metadata.name!).find(n => n !== old)!
    assert.deepEqual(await images(), ['nginx:1.28 Running', 'nginx:1.28 Running', 'nginx:1.28 Running'])
    assert.deepEqual((await get('ReplicaSet', old!)).spec, (await get('ReplicaSet', old!)).spec)
    assert.equal(((await get('ReplicaSet', old!)).spec as { replicas: number }).replicas, 0)
    assert.deepEqual(eventsOf(cluster, 'web', 'deployment-controller'), [
      `ScalingReplicaSet Scaled up replica set ${old} from 0 to 3`,
      `ScalingReplicaSet Scaled up replica set ${next} from 0 to 1`,
      `ScalingReplicaSet Scaled down replica set ${old} from 3 to 2`,
      `ScalingReplicaSet Scaled up replica set ${next} from 1 to 2`,
      `ScalingReplicaSet Scaled down replica set ${old} from 2 to 1`,
      `ScalingReplicaSet Scaled up replica set ${next} from 2 to 3`,
      `ScalingReplicaSet Scaled down replica set ${old} from 1 to 0`,
    ])
    const d = await get('Deployment', 'web')
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2')
    const st = d.status as { updatedReplicas: number, replicas: number, availableReplicas: number, observedGeneration: number, conditions: Array<{ type: string, reason: string, message: string }> }
    assert.deepEqual([st.observedGeneration, st.replicas, st.updatedReplicas, st.availableReplicas], [2, 3, 3, 3])
    assert.deepEqual(st.conditions.map(c => `${c.type} ${c.reason} ${c.message}`), [
      'Available MinimumReplicasAvailable Deployment has minimum availability.',
      `Progressing NewReplicaSetAvailable ReplicaSet "${next}" has successfully progressed.`,
    ])
  })

  it('Recreate scales the old ReplicaSet to 0 and waits for its pods to stop before creating the new one', async () => {
    const d = makeDeployment('web', 2, { strategy: { type: 'Recreate' } }) as KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> } } } }
    // The old pods ignore SIGTERM: they run on for their 30 s grace period once deleted.
    d.spec.template.metadata.annotations = { 'k3sim.io/profile-inline': '{stopDelay: 1m}' }
    await cluster.client.create(d)
    await cluster.clock.advance('10s')
    const [old] = (await replicaSets()).map(rs => rs.metadata.name)
    await setImage('nginx:1.28')
    await cluster.clock.advance('20s')
    assert.equal((await replicaSets()).length, 1, 'no new ReplicaSet while the old pods terminate')
    assert.equal(((await get('ReplicaSet', old!)).spec as { replicas: number }).replicas, 0)
    await cluster.clock.advance('20s')
    const next = (await replicaSets()).map(rs => rs.metadata.name!).find(n => n !== old)!
    assert.deepEqual(await images(), ['nginx:1.28 Running', 'nginx:1.28 Running'])
    assert.deepEqual(eventsOf(cluster, 'web', 'deployment-controller'), [
      `ScalingReplicaSet Scaled up replica set ${old} from 0 to 2`,
      `ScalingReplicaSet Scaled down replica set ${old} from 2 to 0`,
      `ScalingReplicaSet Scaled up replica set ${next} from 0 to 2`,
    ])
  })

  it('scales the ReplicaSet up and down with spec.replicas', async () => {
    await cluster.client.create(makeDeployment('web', 2))
    await cluster.clock.advance('10s')
    const [rs] = (await replicaSets()).map(r => r.metadata.name)
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { replicas: 5 } }, { type: 'merge' })
    await cluster.clock.advance('10s')
    assert.equal((await images()).length, 5)
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { replicas: 1 } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await images(), ['nginx:1.27 Running'])
    assert.deepEqual(eventsOf(cluster, 'web', 'deployment-controller'), [
      `ScalingReplicaSet Scaled up replica set ${rs} from 0 to 2`,
      `ScalingReplicaSet Scaled up replica set ${rs} from 2 to 5`,
      `ScalingReplicaSet Scaled down replica set ${rs} from 5 to 1`,
    ])
    assert.deepEqual((await replicaSets())[0].metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '1')
  })

  it('scales proportionally mid-rollout, by the max-replicas annotation', async () => {
    await cluster.client.create(makeDeployment('web', 10))
    await cluster.clock.advance('10s')
    // The new template cannot be scheduled: the rollout stalls at old 8, new 5 (surge 3, unavailable 2).
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { template: { spec: { nodeSelector: { nowhere: 'true' } } } } }, { type: 'strategic' })
    await cluster.clock.advance('30s')
    const sizes = async (): Promise<number[]> => (await replicaSets())
      .sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']))
      .map(rs => (rs.spec as { replicas: number }).replicas)
    assert.deepEqual(await sizes(), [8, 5])
    // 20 + 5 surge = 25 allowed, 12 to add: old 8·25/13 ≈ 15, new 5·25/13 ≈ 10.
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { replicas: 20 } }, { type: 'merge' })
    await cluster.clock.advance('10s')
    assert.deepEqual(await sizes(), [15, 10])
  })

  it('replaces a deleted pod', async () => {
    await cluster.client.create(makeDeployment('web', 2))
    await cluster.clock.advance('10s')
    const [victim] = await podsOf(cluster, 'web')
    await cluster.client.delete('v1', 'Pod', 'default', victim.metadata.name!)
    await cluster.clock.advance('60s')
    const pods = await podsOf(cluster, 'web')
    assert.equal(pods.length, 2)
    assert.ok(!pods.some(p => p.metadata.name === victim.metadata.name))
    assert.equal(((await get('Deployment', 'web')).status as { availableReplicas: number }).availableReplicas, 2)
  })

  it('keeps revisionHistoryLimit old ReplicaSets', async () => {
    await cluster.client.create(makeDeployment('web', 1, { revisionHistoryLimit: 1 }))
    await cluster.clock.advance('10s')
    for (const image of ['nginx:1.28', 'nginx:1.29', 'nginx:1.30']) {
      await setImage(image)
      await cluster.clock.advance('60s')
    }
    const summary = await rsSummary()
    assert.equal(summary.length, 2)
    assert.deepEqual(summary.map(s => s.replace(/^web-\S+ /, '')).sort(), ['rev=3 replicas=0', 'rev=4 replicas=1'])
  })

  it('a paused Deployment does not roll out; resuming it does', async () => {
    await cluster.client.create(makeDeployment('web', 1))
    await cluster.clock.advance('10s')
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { paused: true } }, { type: 'merge' })
    await setImage('nginx:1.28')
    await cluster.clock.advance('30s')
    assert.equal((await replicaSets()).length, 1)
    const progressing = (): Promise<string> => get('Deployment', 'web').then(d =>
      (d.status as { conditions: Array<{ type: string, status: string, reason: string, message: string }> }).conditions
        .filter(c => c.type === 'Progressing').map(c => `${c.status} ${c.reason} ${c.message}`)[0])
    assert.equal(await progressing(), 'Unknown DeploymentPaused Deployment is paused')
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { paused: false } }, { type: 'merge' })
    await cluster.clock.advance('60s')
    assert.deepEqual(await images(), ['nginx:1.28 Running'])
    assert.match(await progressing(), /^True NewReplicaSetAvailable ReplicaSet "web-\w+" has successfully progressed\.$/)
  })

  it('rolling back to an old template (kubectl rollout undo) reuses its ReplicaSet with the next revision', async () => {
    await cluster.client.create(makeDeployment('web', 1))
    await cluster.clock.advance('10s')
    const [first] = await replicaSets()
    await setImage('nginx:1.28')
    await cluster.clock.advance('60s')
    // What kubectl rollout undo writes: the revision's template without pod-template-hash.
    const template = structuredClone((first.spec as { template: { metadata: { labels: Record<string, string> } } }).template)
    delete template.metadata.labels['pod-template-hash']
    await cluster.client.patch('apps/v1', 'Deployment', 'default', 'web', [{ op: 'replace', path: '/spec/template', value: template }], { type: 'json' })
    await cluster.clock.advance('60s')
    const back = await get('ReplicaSet', first.metadata.name!)
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision'], '3')
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1')
    assert.equal((await replicaSets()).length, 2)
    assert.deepEqual(await images(), ['nginx:1.27 Running'])
    assert.equal((await get('Deployment', 'web')).metadata.annotations?.['deployment.kubernetes.io/revision'], '3')
  })

  it('reports ProgressDeadlineExceeded when the new pods never become available', async () => {
    const d = makeDeployment('web', 1)
    ;(d.spec as Record<string, unknown>).progressDeadlineSeconds = 30
    ;((d.spec as { template: { spec: Record<string, unknown> } }).template.spec).nodeSelector = { nowhere: 'true' }
    await cluster.client.create(d)
    await cluster.clock.advance('10s')
    const conditions = async (): Promise<string[]> => ((await get('Deployment', 'web')).status as { conditions: Array<{ type: string, status: string, reason: string }> })
      .conditions.map(c => `${c.type} ${c.status} ${c.reason}`)
    // NewReplicaSetCreated, then ReplicaSetUpdated once the ReplicaSet reports its pending replica.
    assert.deepEqual(await conditions(), ['Available False MinimumReplicasUnavailable', 'Progressing True ReplicaSetUpdated'])
    await cluster.clock.advance('30s')
    assert.deepEqual(await conditions(), ['Available False MinimumReplicasUnavailable', 'Progressing False ProgressDeadlineExceeded'])
  })
})
