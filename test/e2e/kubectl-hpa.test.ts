// HorizontalPodAutoscalers with the real kubectl, as a CKA/CKAD walkthrough uses them: kubectl
// autoscale, the metrics-server add-on's numbers (pods' k3sim.io/usage-cpu annotations), the
// controller scaling up within its rate limits and down after the 5-minute stabilization window,
// in virtual time; its events, conditions and TARGETS column read as upstream's.
import assert from 'node:assert/strict'
import type { Cluster } from '../../src/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
      annotations: { k3sim.io/usage-cpu: 180m }
    spec:
      containers:
      - name: web
        image: nginx
        resources:
          requests: { cpu: 100m }
`

describe('kubectl against k3sim: HorizontalPodAutoscalers', function () {
  let k: KubectlCluster
  let cluster: Cluster
  before(async () => {
    k = await startKubectlCluster({ clock: 'virtual', disable: ['coredns', 'servicelb', 'traefik', 'local-storage'], node: { cpu: '4', memory: '8Gi' }, seed: 31 })
    cluster = k.cluster
    await cluster.clock.advance('5s') // metrics-server ready
  })
  after(async () => { await k.stop() })

  const run = (args: string[], input?: string) => k.run(args, input)
  const ok = (args: string[], input?: string) => k.ok(args, input)
  const replicas = async (): Promise<string> => ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])

  it('creates an HPA with kubectl autoscale; TARGETS is <unknown> until the first sync with metrics', async () => {
    await ok(['apply', '-f', '-'], DEPLOYMENT)
    await cluster.settle()
    assert.equal(await ok(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=6']), 'horizontalpodautoscaler.autoscaling/web autoscaled\n')
    assert.match(await ok(['get', 'hpa', 'web']), /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+6\s+0\s+\d+s$/m)
    const v2 = JSON.parse(await ok(['get', 'hpa.v2.autoscaling', 'web', '-o', 'json']))
    assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }])
  })

  it('scales up by the legacy rate limit (to max(2×, 4)) with SuccessfulRescale events, then to maxReplicas', async () => {
    // The first sync is 15 s after the HPA appeared; the pod has metrics from its first scrape on
    // (it started 10 s before it: metrics-server's fresh-container rule).
    await cluster.clock.advance('20s')
    assert.equal(await replicas(), '4')
    assert.match(await ok(['get', 'hpa', 'web']), /^web\s+Deployment\/web\s+cpu: 180%\/50%\s+1\s+6\s+\d+\s+\d+s$/m)
    await cluster.clock.advance('15s')
    assert.equal(await replicas(), '6')
    const described = await ok(['describe', 'hpa', 'web'])
    assert.match(described, /resource cpu on pods \s*\(as a percentage of request\):\s+180% \(180m\) \/ 50%/)
    assert.match(described, /ScalingLimited\s+True\s+TooManyReplicas\s+the desired replica count is more than the maximum replica count/)
    assert.match(described, /Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 4; reason: cpu resource utilization \(percentage of request\) above target/)
    assert.match(described, /New size: 6; reason: cpu resource utilization \(percentage of request\) above target/)
  })

  it('scales down only after the 5-minute stabilization window once the pods are idle', async () => {
    await ok(['annotate', 'pods', '-l', 'app=web', 'k3sim.io/usage-cpu=0', '--overwrite'])
    await cluster.clock.advance('60s')
    assert.equal(await replicas(), '6')
    assert.match(await ok(['describe', 'hpa', 'web']), /AbleToScale\s+True\s+ScaleDownStabilized\s+recent recommendations were higher than current one, applying the highest recent recommendation/)
    await cluster.clock.advance('5m')
    assert.equal(await replicas(), '1')
    assert.match(await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'custom-columns=MSG:.message', '--no-headers']), /^New size: 1; reason: All metrics below target$/m)
  })

  it('says why it cannot compute replicas for pods without cpu requests', async () => {
    await ok(['create', 'deployment', 'norequests', '--image=nginx'])
    await ok(['autoscale', 'deployment', 'norequests', '--cpu-percent=50', '--max=3'])
    await cluster.settle()
    await cluster.clock.advance('45s')
    const described = await ok(['describe', 'hpa', 'norequests'])
    assert.match(described, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container nginx of Pod norequests-\S+/)
    assert.match(described, /Warning\s+FailedComputeMetricsReplicas\s+.*invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container nginx of Pod norequests-/)
  })

  it('refuses invalid HPAs with upstream\'s field errors', async () => {
    const bad = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: bad }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 0
  maxReplicas: 0
`
    const r = await run(['apply', '-f', '-'], bad)
    assert.notEqual(r.code, 0)
    assert.equal(r.stderr, 'The HorizontalPodAutoscaler "bad" is invalid: \n* spec.minReplicas: Invalid value: 0: must be greater than or equal to 1\n* spec.maxReplicas: Invalid value: 0: must be greater than 0\n')
  })
})
