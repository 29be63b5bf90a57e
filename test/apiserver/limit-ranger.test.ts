// The LimitRanger admission plugin through the API: defaults for new pods' containers (and the
// annotation saying so), min/max/ratio refusals with upstream's messages for pods and claims, and
// LimitRange objects defaulted and validated as upstream.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import type { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('LimitRanger admission', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => { ({ core, client } = await startCore()) })
  afterEach(() => core.stop())

  const range = (name: string, limits: Json[]): Promise<Json> => client.create({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: 'default' }, spec: { limits } } as KubeObject) as Promise<Json>
  const container = (name: string, resources: Json = {}): Json => ({ name, image: 'nginx', resources })
  const pod = (name: string, containers: Json[], extra: Json = {}): Promise<Json> =>
    client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers, ...extra } } as KubeObject) as Promise<Json>
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p
    } catch (err) {
      assert.ok(isStatusError(err, 403), String(err))
      assert.equal(err.reason, 'Forbidden')
      return err.message
    }
    assert.fail('expected a refusal')
  }

  it('defaults a LimitRange as upstream: default from max, defaultRequest from default, then from min', async () => {
    const lr = await range('lr', [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }, { type: 'Pod', max: { cpu: '4' } }])
    assert.deepEqual(lr.spec.limits[0], { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } })
    assert.deepEqual(lr.spec.limits[1], { type: 'Pod', max: { cpu: '4' } })
  })

  it('fills the requests and limits a new pod does not set, and says so in kubernetes.io/limit-ranger', async () => {
    await range('lr', [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } }])
    const p = await pod('a', [container('app', { requests: { memory: '128Mi' } }), container('side', { limits: { cpu: '1' } })], { initContainers: [container('init')] })
    assert.deepEqual(p.spec.containers[0].resources, { requests: { memory: '128Mi', cpu: '100m' }, limits: { cpu: '500m', memory: '256Mi' } })
    // A limit without a request had its request defaulted to the limit before admission.
    assert.deepEqual(p.spec.containers[1].resources, { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '1', memory: '256Mi' } })
    assert.deepEqual(p.spec.initContainers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } })
    assert.equal(p.metadata.annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu request for container app; cpu, memory limit for container app; memory request for container side; memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init')
    assert.equal(p.status.qosClass, 'Burstable')
  })

  it('leaves pods alone in namespaces without a LimitRange', async () => {
    const p = await pod('a', [container('app')])
    assert.deepEqual(p.spec.containers[0].resources, {})
    assert.equal(p.metadata.annotations, undefined)
    assert.equal(p.status.qosClass, 'BestEffort')
  })

  it('refuses containers outside min and max, with each message upstream prints', async () => {
    await range('lr', [{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1', memory: '1Gi' }, default: { cpu: '200m', memory: '512Mi' } }])
    assert.equal(await refusal(pod('big', [container('app', { limits: { cpu: '2' } })])), 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2')
    assert.equal(await refusal(pod('small', [container('app', { requests: { cpu: '50m' } })])), 'pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m')
    assert.equal(await refusal(pod('both', [container('a', { limits: { cpu: '2', memory: '2Gi' } })])),
      'pods "both" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]')
    const ok = await pod('fits', [container('app', { requests: { cpu: '100m' }, limits: { cpu: '1' } })])
    assert.equal(ok.metadata.name, 'fits')
  })

  it('checks the limit/request ratio and reports it with six decimals', async () => {
    await range('lr', [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }])
    assert.equal(await refusal(pod('r', [container('app', { requests: { cpu: '300m' }, limits: { cpu: '1' } })])),
      'pods "r" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 3.333333')
    assert.equal(await refusal(pod('none', [container('app')])),
      'pods "none" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0')
  })

  it('sums the pod for Pod items: init containers as the max, sidecars added', async () => {
    await range('lr', [{ type: 'Pod', max: { cpu: '1' } }])
    const c = (cpu: string): Json => container(`c${cpu}`, { limits: { cpu } })
    assert.equal(await refusal(pod('sum', [c('600m'), c('500m')])), 'pods "sum" is forbidden: maximum cpu usage per Pod is 1, but limit is 1100m')
    await pod('init-max', [c('600m')], { initContainers: [c('1')] })
    assert.match(await refusal(pod('sidecar', [c('600m')], { initContainers: [{ ...c('500m'), restartPolicy: 'Always' }] })), /limit is 1100m$/)
  })

  it('checks claims against PersistentVolumeClaim items, creates and updates', async () => {
    await range('lr', [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }])
    const claim = (name: string, storage: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } } as KubeObject)
    assert.equal(await refusal(client.create(claim('tiny', '500Mi'))), 'persistentvolumeclaims "tiny" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi')
    assert.equal(await refusal(client.create(claim('huge', '20Gi'))), 'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi')
    const ok = await client.create(claim('ok', '5Gi')) as Json
    assert.equal(await refusal(client.update({ ...ok, spec: { ...ok.spec, resources: { requests: { storage: '50Gi' } } } } as unknown as unknown as KubeObject)),
      'persistentvolumeclaims "ok" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 50Gi')
  })

  it('does not check pod updates (containers cannot change) nor pods created before the range', async () => {
    const before = await pod('early', [container('app', { limits: { cpu: '4' } })])
    await range('lr', [{ type: 'Container', max: { cpu: '1' } }])
    const updated = await client.update({ ...before, metadata: { ...before.metadata, labels: { x: 'y' } } } as unknown as KubeObject) as Json
    assert.equal(updated.metadata.labels.x, 'y')
  })

  it('refuses LimitRanges that contradict themselves, with upstream field errors', async () => {
    const err = async (limits: Json[]): Promise<string> => {
      try {
        await range('bad', limits)
      } catch (e) {
        assert.ok(isStatusError(e, 422), String(e))
        return e.message
      }
      assert.fail('expected 422')
    }
    assert.match(await err([{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }]),
      /^LimitRange "bad" is invalid: \[spec\.limits\[0\]\.min\[cpu\]: Invalid value: resource\.Quantity\{i:resource\.int64Amount\{value:2, scale:0\}.*: min value 2 is greater than max value 1, /)
    assert.equal(await err([{ type: 'Pod', default: { cpu: '1' } }, { type: 'Pod', max: { cpu: '1' } }]),
      'LimitRange "bad" is invalid: [spec.limits[0].default: Forbidden: may not be specified when `type` is \'Pod\', spec.limits[1].type: Duplicate value: "Pod"]')
    assert.equal(await err([{ type: 'PersistentVolumeClaim', default: { storage: '1Gi' } }]),
      'LimitRange "bad" is invalid: spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided')
    // Defaulting copied max into default and defaultRequest first: each names the bad resource.
    assert.equal(await err([{ type: 'Container', max: { pods: '1' } }]),
      'LimitRange "bad" is invalid: [spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers, spec.limits[0].default[pods]: Invalid value: "pods": must be a standard resource for containers, spec.limits[0].defaultRequest[pods]: Invalid value: "pods": must be a standard resource for containers]')
    assert.deepEqual((await client.list('v1', 'LimitRange', { namespace: 'default' })).items, [])
  })
})
