// The resourcequota controller in a cluster on a virtual clock: status.hard follows spec.hard,
// status.used is recounted when a quota appears or changes, when what it counts goes away
// (deleted pods, finished pods, any counted kind), and every 5 minutes; a Deployment that the
// quota stops shows upstream's FailedCreate event and ReplicaFailure conditions, and resumes
// when the quota allows.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { Cluster } from '../../src/index.ts'

type Json = Record<string, any>

describe('resourcequota controller', () => {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES], node: { cpu: '8', memory: '16Gi' }, seed: 5 })
  })
  afterEach(async () => { await cluster.stop() })

  const status = async (name: string): Promise<Json> => ((await cluster.client.get('v1', 'ResourceQuota', 'default', name)) as Json).status
  const createQuota = async (name: string, hard: Json, spec: Json = {}): Promise<void> => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard, ...spec } } as KubeObject)
    await cluster.settle()
  }
  const pod = (name: string, requests: Json = { cpu: '250m' }): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests } }] } } as KubeObject)

  it('counts what exists when a quota is created, zero for what nothing uses, finished pods not at all', async () => {
    await cluster.client.create(pod('a'))
    await cluster.client.create(pod('b', { cpu: '1', memory: '1Gi' }))
    await cluster.settle()
    const b = await cluster.client.get('v1', 'Pod', 'default', 'b') as Json
    await cluster.client.update({ ...b, status: { ...b.status, phase: 'Succeeded' } } as unknown as KubeObject, { subresource: 'status' })
    await createQuota('q', { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi', configmaps: '5', 'count/pods': '20', services: '3' })
    assert.deepEqual(await status('q'), {
      hard: { configmaps: '5', 'count/pods': '20', pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi', services: '3' },
      // kube-root-ca.crt and the `kubernetes` Service are in every default namespace.
      used: { configmaps: '1', 'count/pods': '2', pods: '1', 'requests.cpu': '250m', 'requests.memory': '0', services: '1' },
    })
  })

  it('gives back what a deleted or finished pod used, without waiting for the resync', async () => {
    await createQuota('q', { pods: '10', 'requests.cpu': '4' })
    for (const n of ['a', 'b', 'c']) await cluster.client.create(pod(n))
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { pods: '3', 'requests.cpu': '750m' })
    await cluster.client.delete('v1', 'Pod', 'default', 'a')
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { pods: '2', 'requests.cpu': '500m' })
    const b = await cluster.client.get('v1', 'Pod', 'default', 'b') as Json
    await cluster.client.update({ ...b, status: { ...b.status, phase: 'Failed' } } as unknown as KubeObject, { subresource: 'status' })
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { pods: '1', 'requests.cpu': '250m' })
  })

  it('follows spec.hard changes, and counts deletions of any kind named by count/<resource>.<group>', async () => {
    await createQuota('q', { 'count/deployments.apps': '2' })
    const deploy = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KubeObject)
    await cluster.client.create(deploy('one'))
    await cluster.client.create(deploy('two'))
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { 'count/deployments.apps': '2' })
    await cluster.client.delete('apps/v1', 'Deployment', 'default', 'one')
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { 'count/deployments.apps': '1' })
    const q = await cluster.client.get('v1', 'ResourceQuota', 'default', 'q') as Json
    await cluster.client.update({ ...q, spec: { hard: { 'count/deployments.apps': '5', 'count/replicasets.apps': '9' } } } as unknown as KubeObject)
    await cluster.settle()
    assert.deepEqual(await status('q'), { hard: { 'count/deployments.apps': '5', 'count/replicasets.apps': '9' }, used: { 'count/deployments.apps': '1', 'count/replicasets.apps': '1' } })
  })

  it('counts custom resources of a CRD created after the cluster started', async () => {
    await cluster.client.create({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    } as unknown as KubeObject)
    await createQuota('q', { 'count/widgets.example.com': '2' })
    assert.deepEqual((await status('q')).used, { 'count/widgets.example.com': '0' })
    const widget = (name: string): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' } } as KubeObject)
    await cluster.client.create(widget('w1'))
    await cluster.client.create(widget('w2'))
    await assert.rejects(cluster.client.create(widget('w3')), /exceeded quota: q, requested: count\/widgets\.example\.com=1/)
    await cluster.client.delete('example.com/v1', 'Widget', 'default', 'w1')
    await cluster.settle()
    assert.deepEqual((await status('q')).used, { 'count/widgets.example.com': '1' })
  })

  it('never counts Events, and leaves used out when it tracks nothing countable', async () => {
    await createQuota('q', { 'count/events': '100', 'example.com/widgets': '3' })
    assert.deepEqual(await status('q'), { hard: { 'count/events': '100', 'example.com/widgets': '3' } })
  })

  it('counts only the pods a scoped quota selects', async () => {
    await createQuota('besteffort', { pods: '5' }, { scopes: ['BestEffort'] })
    await createQuota('high', { pods: '5' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-cluster-critical'] }] } })
    await cluster.client.create(pod('burstable'))
    await cluster.client.create(pod('besteffort', {}))
    await cluster.client.create({ ...pod('critical'), spec: { ...(pod('critical') as Json).spec, priorityClassName: 'system-cluster-critical' } } as KubeObject)
    await cluster.settle()
    assert.deepEqual([(await status('besteffort')).used, (await status('high')).used], [{ pods: '1' }, { pods: '1' }])
  })

  it('recounts every 5 minutes, correcting usage nobody reported', async () => {
    await createQuota('q', { pods: '10' })
    await cluster.client.create(pod('a'))
    await cluster.settle()
    const q = await cluster.client.get('v1', 'ResourceQuota', 'default', 'q') as Json
    await cluster.client.update({ ...q, status: { ...q.status, used: { pods: '7' } } } as unknown as KubeObject, { subresource: 'status' })
    await cluster.clock.advance('4m')
    assert.deepEqual((await status('q')).used, { pods: '7' })
    await cluster.clock.advance('1m')
    assert.deepEqual((await status('q')).used, { pods: '1' })
  })

  it('stops a Deployment at the quota with FailedCreate and ReplicaFailure, and resumes when the quota grows', async () => {
    await createQuota('compute', { 'requests.cpu': '1' })
    await cluster.client.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { cpu: '400m' } } }] } } } } as KubeObject)
    await cluster.settle()
    const pods = (await cluster.client.list('v1', 'Pod', { namespace: 'default' })).items
    assert.equal(pods.length, 2)
    const rs = (await cluster.client.list('apps/v1', 'ReplicaSet', { namespace: 'default' })).items[0] as Json
    const failed = (await cluster.client.list('v1', 'Event', { namespace: 'default' })).items.filter((e: Json) => e.reason === 'FailedCreate') as Json[]
    assert.ok(failed.length > 0)
    assert.match(failed[0].message, new RegExp(`^Error creating: pods "${rs.metadata.name}-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1$`))
    const rsFailure = rs.status.conditions.find((c: Json) => c.type === 'ReplicaFailure')
    assert.deepEqual([rsFailure.status, rsFailure.reason], ['True', 'FailedCreate'])
    const d = await cluster.client.get('apps/v1', 'Deployment', 'default', 'web') as Json
    const dFailure = d.status.conditions.find((c: Json) => c.type === 'ReplicaFailure')
    assert.deepEqual([dFailure.status, dFailure.reason, dFailure.message], ['True', 'FailedCreate', rsFailure.message])

    const q = await cluster.client.get('v1', 'ResourceQuota', 'default', 'compute') as Json
    await cluster.client.update({ ...q, spec: { hard: { 'requests.cpu': '2' } } } as unknown as KubeObject)
    await cluster.clock.advance('1m')
    await cluster.settle()
    assert.equal((await cluster.client.list('v1', 'Pod', { namespace: 'default' })).items.length, 3)
    assert.deepEqual((await status('compute')).used, { 'requests.cpu': '1200m' })
    const after = await cluster.client.get('apps/v1', 'Deployment', 'default', 'web') as Json
    assert.equal(after.status.conditions.find((c: Json) => c.type === 'ReplicaFailure'), undefined)
  })
})
