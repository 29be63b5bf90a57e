// kube-apiserver's autoregister: a local APIService per served group/version, CRDs' coming and
// going with them, each Available (Local) from the start.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { startCore } from '../support/api-core.ts'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'

const crd = (group: string, versions: string[]): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: versions.map((name, i) => ({ name, served: true, storage: i === 0, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })),
  },
} as KubeObject)

type ApiService = KubeObject & { spec: { group: string, version: string, groupPriorityMinimum: number, versionPriority: number }, status: { conditions: Array<{ type: string, status: string, reason: string }> } }

describe('local APIServices (autoregister)', () => {
  it('registers every built-in group/version with kube-apiserver\'s priorities, Available and Local', async () => {
    const { core, client } = await startCore()
    const items = (await client.list<ApiService>('apiregistration.k8s.io/v1', 'APIService')).items
    const byName = new Map(items.map(i => [i.metadata.name!, i]))
    assert.deepEqual([...byName.keys()].filter(n => ['v1.', 'v1.apps', 'v2.autoscaling', 'v1.autoscaling'].includes(n)).sort(), ['v1.', 'v1.apps', 'v1.autoscaling', 'v2.autoscaling'])
    const apps = byName.get('v1.apps')!
    assert.deepEqual(apps.spec, { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 })
    assert.deepEqual(apps.metadata.labels, { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' })
    assert.deepEqual(apps.status.conditions.map(c => [c.type, c.status, c.reason]), [['Available', 'True', 'Local']])
    assert.deepEqual(byName.get('v1.')!.spec, { group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 })
    core.stop()
  })

  it('adds a CRD\'s group/versions while it serves them, and removes them with it', async () => {
    const { core, client } = await startCore()
    await client.create(crd('example.com', ['v1', 'v1beta1']))
    const names = async (): Promise<string[]> => (await client.list('apiregistration.k8s.io/v1', 'APIService')).items.map(i => i.metadata.name!).filter(n => n.endsWith('example.com'))
    assert.deepEqual(await names(), ['v1.example.com', 'v1beta1.example.com'])
    const v1 = await client.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.example.com')
    assert.deepEqual([v1.spec.groupPriorityMinimum, v1.spec.versionPriority, v1.metadata.labels?.['kube-aggregator.kubernetes.io/automanaged']], [1000, 100, 'true'])
    await client.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com')
    assert.deepEqual(await names(), [])
    core.stop()
  })

  it('puts back a CRD\'s APIService a user deleted or changed, drops a version the CRD no longer serves, and leaves built-in ones to the next start', async () => {
    const { core, client } = await startCore()
    await client.create(crd('example.com', ['v1', 'v1beta1']))
    await client.delete('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.example.com')
    await client.delete('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.apps')
    await new Promise(resolve => setImmediate(resolve))
    const names = async (): Promise<string[]> => (await client.list('apiregistration.k8s.io/v1', 'APIService')).items.map(i => i.metadata.name!)
    assert.ok((await names()).includes('v1.example.com'), 'recreated')
    assert.ok(!(await names()).includes('v1.apps'), 'an onstart one waits for the next start')
    const stored = await client.get<any>('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com')
    await client.update({ ...stored, spec: { ...stored.spec, versions: stored.spec.versions.filter((v: { name: string }) => v.name === 'v1') } })
    assert.deepEqual((await names()).filter(n => n.endsWith('example.com')), ['v1.example.com'])
    const v1 = await client.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.example.com')
    await client.update({ ...v1, spec: { ...v1.spec, versionPriority: 7 } } as KubeObject)
    await client.create(crd('other.com', ['v1']))
    assert.equal((await client.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.example.com')).spec.versionPriority, 100, 'spec reset')
    core.stop()
  })

  it('at a restart, recreates the built-in ones and resets their spec, and keeps APIServices users made', async () => {
    const backend = new MemoryBackend()
    const first = new ApiServerCore({ backend })
    await first.bootstrap()
    const c1 = new InProcessClient({ core: first })
    await c1.delete('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.apps')
    const batch = await c1.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.batch')
    await c1.update({ ...batch, spec: { ...batch.spec, groupPriorityMinimum: 5 } } as KubeObject)
    await c1.create({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.mine.io' }, spec: { group: 'mine.io', version: 'v1', groupPriorityMinimum: 10, versionPriority: 10 } } as KubeObject)
    // What an older server registered and this one no longer serves.
    await c1.create({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.batch', labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } }, spec: { group: 'batch', version: 'v1beta1', groupPriorityMinimum: 17400, versionPriority: 9 } } as KubeObject)
    await c1.create(crd('example.com', ['v1']))
    await c1.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com')
    assert.ok((await c1.list('apiregistration.k8s.io/v1', 'APIService')).items.some(i => i.metadata.name === 'v1beta1.batch'), 'onstart ones are left until the next start')
    first.stop()
    const second = new ApiServerCore({ backend })
    await second.bootstrap()
    const c2 = new InProcessClient({ core: second })
    assert.equal((await c2.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.apps')).spec.groupPriorityMinimum, 17800)
    assert.equal((await c2.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.batch')).spec.groupPriorityMinimum, 17400)
    assert.equal((await c2.get<ApiService>('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1.mine.io')).spec.groupPriorityMinimum, 10)
    assert.ok(!(await c2.list('apiregistration.k8s.io/v1', 'APIService')).items.some(i => i.metadata.name === 'v1beta1.batch'), 'removed at the start')
    second.stop()
  })
})
