// The ResourceQuota admission plugin through the API, with quotas whose status is written by hand
// (the controller is tested on its own): upstream's refusals, the charge written to status.used
// before the object is stored, one namespace evaluated at a time, dry runs charging nothing.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import type { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError, StatusError } from '../../src/apiserver/errors.ts'
import { QuotaAdmission } from '../../src/apiserver/admission/resource-quota.ts'
import * as ops from '../../src/store/ops.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('ResourceQuota admission', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => { ({ core, client } = await startCore({ userAgent: 'test/1.0' })) })
  afterEach(() => core.stop())

  /** A quota as the controller leaves it: status.hard = spec.hard, status.used as given. */
  const quota = async (name: string, hard: Json, used: Json | undefined, spec: Json = {}): Promise<void> => {
    const q = await client.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard, ...spec } } as KubeObject)
    await client.update({ ...q, status: used === undefined ? { hard } : { hard, used } } as KubeObject, { subresource: 'status' })
  }
  const used = async (name: string): Promise<Json> => ((await client.get('v1', 'ResourceQuota', 'default', name)) as Json).status.used
  const pod = (name: string, requests: Json = { cpu: '500m', memory: '64Mi' }, limits: Json = { memory: '128Mi' }): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests, limits } }] } } as KubeObject)
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p
    } catch (err) {
      assert.ok(isStatusError(err, 403), String(err))
      return err.message
    }
    assert.fail('expected a refusal')
  }

  it('charges each admitted pod to status.used and refuses the one that would exceed, naming only what exceeds', async () => {
    await quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi', pods: '10' }, { 'requests.cpu': '0', 'limits.memory': '0', pods: '0' })
    await client.create(pod('a'))
    assert.deepEqual(await used('compute'), { 'limits.memory': '128Mi', pods: '1', 'requests.cpu': '500m' })
    await client.create(pod('b'))
    assert.equal(await refusal(client.create(pod('c'))),
      'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1')
    assert.deepEqual(await used('compute'), { 'limits.memory': '256Mi', pods: '2', 'requests.cpu': '1' })
    assert.equal(await client.get('v1', 'Pod', 'default', 'c').catch(e => e.code), 404)
  })

  it('lets concurrent creates in one namespace take the last unit only once', async () => {
    await quota('count', { pods: '3' }, { pods: '0' })
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map(n => client.create(pod(n))))
    assert.equal(results.filter(r => r.status === 'fulfilled').length, 3)
    assert.equal(results.filter(r => r.status === 'rejected' && /exceeded quota: count, requested: pods=1, used: pods=3, limited: pods=3$/.test(String(r.reason.message))).length, 2)
    assert.deepEqual(await used('count'), { pods: '3' })
  })

  it('requires the constrained resources of every container ("must specify")', async () => {
    await quota('compute', { 'requests.cpu': '4', 'limits.memory': '4Gi' }, { 'requests.cpu': '0', 'limits.memory': '0' })
    assert.equal(await refusal(client.create(pod('bare', {}, {}))), 'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app')
  })

  it('refuses while the controller has not counted usage yet ("status unknown"), and ignores a quota without status.hard', async () => {
    await quota('fresh', { pods: '5', 'requests.cpu': '1' }, undefined)
    assert.equal(await refusal(client.create(pod('a'))), 'pods "a" is forbidden: status unknown for quota: fresh, resources: pods,requests.cpu')
    await client.delete('v1', 'ResourceQuota', 'default', 'fresh')
    await client.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'unsynced', namespace: 'default' }, spec: { hard: { pods: '0' } } } as KubeObject)
    await client.create(pod('b'))
  })

  it('applies only quotas whose scopes match the pod', async () => {
    await quota('besteffort', { pods: '1' }, { pods: '0' }, { scopes: ['BestEffort'] })
    await client.create(pod('burstable-1'))
    await client.create(pod('burstable-2'))
    await client.create(pod('be-1', {}, {}))
    assert.match(await refusal(client.create(pod('be-2', {}, {}))), /exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1$/)
  })

  it('charges a dry run nothing, and checks it all the same', async () => {
    await quota('count', { pods: '1' }, { pods: '0' })
    await client.create(pod('dry'), { dryRun: true })
    assert.deepEqual(await used('count'), { pods: '0' })
    await client.create(pod('real'))
    assert.match(await refusal(client.create(pod('dry2'), { dryRun: true })), /exceeded quota/)
  })

  it('counts other kinds by count/<resource>.<group> and legacy names, services by type on update', async () => {
    await quota('objects', { 'count/deployments.apps': '1', configmaps: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' }, { 'count/deployments.apps': '0', configmaps: '0', 'services.loadbalancers': '0', 'services.nodeports': '0' })
    const deploy = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KubeObject)
    await client.create(deploy('one'))
    assert.equal(await refusal(client.create(deploy('two'))),
      'deployments.apps "two" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1')
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'default' } } as KubeObject)
    assert.match(await refusal(client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'default' } } as KubeObject)), /requested: configmaps=1, used: configmaps=1, limited: configmaps=1$/)
    const svc = await client.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }, { name: 'c', port: 8080 }] } } as KubeObject) as Json
    assert.equal(await refusal(client.update({ ...svc, spec: { ...svc.spec, type: 'NodePort' } } as unknown as unknown as KubeObject)),
      'services "s" is forbidden: exceeded quota: objects, requested: services.nodeports=3, used: services.nodeports=0, limited: services.nodeports=2')
    assert.equal(((await client.get('v1', 'Service', 'default', 's')) as Json).spec.type, 'ClusterIP')
  })

  it('writes the charge as k3s (the apiserver loopback client), to the status only', async () => {
    await quota('count', { pods: '2' }, { pods: '0' })
    await client.create(pod('a'))
    const q = await client.get('v1', 'ResourceQuota', 'default', 'count') as Json
    assert.deepEqual(q.metadata.managedFields.map((f: Json) => [f.manager, f.operation, f.subresource]), [['test', 'Update', undefined], ['test', 'Update', 'status'], ['k3s', 'Update', 'status']])
  })

  it('ignores Events (both APIs), namespaces without quotas, and every subresource write', async () => {
    await client.create(pod('free'))
    await quota('strict', { 'count/events': '0', 'count/events.events.k8s.io': '0', services: '5' }, undefined)
    await client.create({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'free', namespace: 'default' }, reason: 'X', message: 'y' } as KubeObject)
    await client.create({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e2', namespace: 'default' }, eventTime: '2024-01-01T00:00:00.000000Z', reportingController: 'x', reportingInstance: 'y', action: 'A', reason: 'R', regarding: { kind: 'Pod', name: 'free', namespace: 'default' } } as KubeObject)
    // services has no used yet ("status unknown" for a create), but a status write is not evaluated.
    const svc = await client.get('v1', 'Service', 'default', 'kubernetes') as Json
    await client.update({ ...svc, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } } as unknown as KubeObject, { subresource: 'status' })
  })

  it('counts a quota or LimitRange written through the etcd port that would not decode as absent', async () => {
    const backend = core.ctx.storage.backend
    const put = (key: string, value: object): Promise<unknown> => ops.create(backend, key, new TextEncoder().encode(JSON.stringify(value)), {})
    await put('/registry/resourcequotas/default/junk', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'junk', namespace: 'default' }, spec: { hard: { pods: 'abc' } }, status: { hard: { pods: 'abc' }, used: { pods: '0' } } })
    await put('/registry/limitranges/default/junk', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'junk', namespace: 'default' }, spec: { limits: 'none' } })
    await put('/registry/limitranges/default/junk2', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'junk2', namespace: 'default' }, spec: { limits: [{ type: 'Container', max: { cpu: 'lots' } }] } })
    await client.create(pod('still-fine'))
  })
})

describe('ResourceQuota admission, its retries', () => {
  const quotaObj = (rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns', resourceVersion: rv }, spec: { hard: { configmaps: '5' } }, status: { hard: { configmaps: '5' }, used: { configmaps: '1' } } } as unknown as KubeObject)
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } } as KubeObject
  const admit = (admission: QuotaAdmission): Promise<void> => admission.admit({ operation: 'create', resource: { group: '', resource: 'configmaps' }, obj: configMap, dryRun: false })

  it('admits a write whose quota was deleted while it was being charged (the retry reads it gone)', async () => {
    let reads = 0
    const admission = new QuotaAdmission({
      quotas: async () => (reads++ < 2 ? [quotaObj('1')] : []),
      writeStatus: async () => { throw new StatusError(404, 'NotFound', 'resourcequotas "q" not found') },
      now: () => 0,
    })
    await admit(admission)
  })

  it('evaluates a burst of requests together, each against what the ones before charged, with one write per quota', async () => {
    let current = { ...quotaObj('1'), status: { hard: { configmaps: '5' }, used: { configmaps: '0' } } } as unknown as KubeObject
    const writes: string[] = []
    const admission = new QuotaAdmission({
      quotas: async () => [current],
      writeStatus: async q => { writes.push((q as Json).status.used.configmaps); current = q },
      now: () => 0,
    })
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => admit(admission)))
    assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected'])
    // The first request alone, then the seven that arrived while it was written.
    assert.deepEqual(writes, ['1', '5'])
    assert.match(String((results[5] as PromiseRejectedResult).reason), /exceeded quota: q, requested: configmaps=1, used: configmaps=5, limited: configmaps=5/)
  })

  it('charges again the newer quota after a conflict, and each quota once', async () => {
    const writes: string[] = []
    let current = quotaObj('1')
    const admission = new QuotaAdmission({
      quotas: async () => [current],
      writeStatus: async q => {
        writes.push(`${q.metadata.resourceVersion}:${(q as Json).status.used.configmaps}`)
        if (q.metadata.resourceVersion === '1') { current = { ...quotaObj('2'), status: { hard: { configmaps: '5' }, used: { configmaps: '3' } } } as unknown as KubeObject; throw new StatusError(409, 'Conflict', 'changed') }
      },
      now: () => 0,
    })
    await admit(admission)
    assert.deepEqual(writes, ['1:2', '2:4'])
  })
})
