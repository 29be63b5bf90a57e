// The horizontal-pod-autoscaler controller in a cluster, where things go wrong: no metrics API,
// a target that does not exist, two HPAs over the same pods, replicas outside min/max.
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'

const deployment = (name: string, replicas: number, labels = { app: name }): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: ${JSON.stringify(labels)} }
  template:
    metadata: { labels: ${JSON.stringify(labels)} }
    spec: { containers: [{ name: app, image: nginx, resources: { requests: { cpu: 100m } } }] }
`
const hpa = (name: string, target: string, min = 1, max = 5, kind = 'Deployment'): string => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: ${kind}, name: ${target} }
  minReplicas: ${min}
  maxReplicas: ${max}
`

type Hpa = { status: { currentReplicas?: number, desiredReplicas?: number, currentMetrics?: unknown[], conditions: Array<{ type: string, status: string, reason: string, message: string }> } }

describe('horizontal-pod-autoscaler controller', () => {
  let cluster: Cluster
  afterEach(async () => { await cluster?.stop() })
  const get = async (name: string): Promise<Hpa> => await cluster.client.get('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', name) as unknown as Hpa
  const condition = (h: Hpa, type: string): string => { const c = h.status.conditions.find(x => x.type === type)!; return `${c.status} ${c.reason}: ${c.message}` }
  const events = (name: string): string[] => cluster.events({ kind: 'HorizontalPodAutoscaler', name }).map(e => `${(e as any).type} ${(e as any).reason}: ${(e as any).message}`)

  it('without metrics-server, says the resource metrics API is missing, as upstream\'s chain of errors', async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES], seed: 3 })
    await cluster.apply(deployment('web', 2) + '---\n' + hpa('web', 'web'))
    await cluster.clock.advance('15s')
    const h = await get('web')
    const inner = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)'
    assert.equal(condition(h, 'ScalingActive'), `False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${inner}`)
    assert.equal(condition(h, 'AbleToScale'), 'True SucceededGetScale: the HPA controller was able to get the target\'s current scale')
    assert.deepEqual(h.status.currentMetrics, [{ type: '' }])
    assert.equal(h.status.currentReplicas, 2)
    assert.deepEqual(events('web'), [
      `Warning FailedGetResourceMetric: ${inner}`,
      `Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${inner}`,
    ])
  })

  it('brings replicas into [min, max] without metrics, and reports a missing target as FailedGetScale', async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES], seed: 4 })
    await cluster.apply(deployment('big', 7) + '---\n' + hpa('big', 'big', 1, 3) + '---\n' + hpa('ghost', 'nothing') + '---\n' + hpa('odd', 'x', 1, 5, 'Foo'))
    await cluster.clock.advance('15s')
    const scale = await cluster.client.get('apps/v1', 'Deployment', 'default', 'big') as unknown as { spec: { replicas: number } }
    assert.equal(scale.spec.replicas, 3)
    assert.deepEqual(events('big'), ['Normal SuccessfulRescale: New size: 3; reason: Current number of replicas above Spec.MaxReplicas'])
    assert.equal(condition(await get('big'), 'AbleToScale'), 'True SucceededRescale: the HPA controller was able to update the target scale to 3')
    assert.equal(condition(await get('ghost'), 'AbleToScale'), 'False FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments.apps "nothing" not found')
    assert.deepEqual(events('ghost'), ['Warning FailedGetScale: deployments.apps "nothing" not found'])
    assert.equal(condition(await get('odd'), 'AbleToScale'), 'False FailedGetScale: the HPA controller was unable to get the target\'s current scale: no matches for kind "Foo" in group "apps"')
  })

  it('refuses to act on pods two HPAs control (AmbiguousSelector)', async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES], seed: 5 })
    await cluster.apply(deployment('a', 1, { app: 'shared' } as any) + '---\n' + hpa('a', 'a') + '---\n' + hpa('b', 'a'))
    await cluster.settle()
    await cluster.clock.advance('30s')
    const message = 'pods by selector app=shared are controlled by multiple HPAs: [default/a default/b]'
    assert.equal(condition(await get('b'), 'ScalingActive'), `False AmbiguousSelector: ${message}`)
    assert.ok(events('b').includes(`Warning AmbiguousSelector: ${message}`), events('b').join('\n'))
  })

  it('leaves a target scaled to zero alone (ScalingDisabled)', async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES], seed: 6 })
    await cluster.apply(deployment('idle', 0) + '---\n' + hpa('idle', 'idle'))
    await cluster.clock.advance('15s')
    assert.equal(condition(await get('idle'), 'ScalingActive'), 'False ScalingDisabled: scaling is disabled since the replica count of the target is zero')
    assert.deepEqual(events('idle'), [])
  })
})
