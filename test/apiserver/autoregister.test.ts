// kube-apiserver's autoregister: a local APIService per served group/version, CRDs' coming and
// going with them, each Available (Local) from the start.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { startCore } from '../support/api-core.ts'

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
})
