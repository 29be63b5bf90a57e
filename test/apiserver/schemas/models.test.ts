import assert from 'node:assert/strict'
import { BUILTIN_RESOURCES } from '../../../src/api/resources.ts'
import { attributesOf, modelNameFor, parseType } from '../../../src/apiserver/schemas/models.ts'
import { componentName, kindComponentName } from '../../../src/apiserver/schemas/naming.ts'

describe('schemas/models', () => {
  for (const r of BUILTIN_RESOURCES) {
    it(`${r.group === '' ? 'core' : r.group}/${r.version} ${r.kind} resolves to a client-node model with apiVersion, kind and metadata`, () => {
      const model = modelNameFor(r.group, r.version, r.kind)
      assert.ok(model !== undefined, `no model for ${r.kind}`)
      const fields = attributesOf(model)!.map(a => a.json)
      for (const f of ['apiVersion', 'kind', 'metadata']) assert.ok(fields.includes(f), `${model} lacks ${f}`)
    })
  }

  const names: Array<[string, string, string, string]> = [
    ['apps', 'v1', 'Deployment', 'V1Deployment'],
    ['', 'v1', 'Event', 'CoreV1Event'],
    ['events.k8s.io', 'v1', 'Event', 'EventsV1Event'],
    ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'V2HorizontalPodAutoscaler'],
    ['autoscaling', 'v1', 'HorizontalPodAutoscaler', 'V1HorizontalPodAutoscaler'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'V1CustomResourceDefinition'],
  ]
  for (const [g, v, k, want] of names) {
    it(`${g || 'core'}/${v} ${k} is ${want}`, () => { assert.equal(modelNameFor(g, v, k), want) })
  }

  it('kinds client-node does not know (custom resources) have no model', () => {
    assert.equal(modelNameFor('example.com', 'v1', 'Widget'), undefined)
    assert.equal(modelNameFor('apps', 'v1', 'DeploymentSpec'), undefined, 'a model without apiVersion/kind is not a kind')
  })

  it('parses client-node type strings', () => {
    assert.deepEqual(parseType('Array<V1Container>'), { t: 'array', items: { t: 'model', name: 'V1Container' } })
    assert.deepEqual(parseType('{ [key: string]: string; }'), { t: 'map', values: { t: 'string' } })
    assert.deepEqual(parseType('{ [key: string]: Array<string>; }'), { t: 'map', values: { t: 'array', items: { t: 'string' } } })
    assert.deepEqual(parseType('number', 'int32'), { t: 'number', format: 'int32' })
    assert.deepEqual(parseType('Date', 'date-time'), { t: 'time' })
    assert.deepEqual(parseType('IntOrString', 'int-or-string'), { t: 'intorstring' })
    assert.deepEqual(parseType('any'), { t: 'any' })
  })

  const components: Array<[string, string]> = [
    ['V1Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['V1PodSpec', 'io.k8s.api.core.v1.PodSpec'],
    ['V1DeploymentStrategy', 'io.k8s.api.apps.v1.DeploymentStrategy'],
    ['V1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1LabelSelector', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'],
    ['CoreV1Event', 'io.k8s.api.core.v1.Event'],
    ['EventsV1Event', 'io.k8s.api.events.v1.Event'],
    ['RbacV1Subject', 'io.k8s.api.rbac.v1.Subject'],
    ['V2MetricSpec', 'io.k8s.api.autoscaling.v2.MetricSpec'],
    ['V1CrossVersionObjectReference', 'io.k8s.api.autoscaling.v1.CrossVersionObjectReference'],
    ['V1JSONSchemaProps', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'],
    ['V1TopologySelectorTerm', 'io.k8s.api.core.v1.TopologySelectorTerm'],
  ]
  for (const [model, want] of components) {
    it(`${model} is published as ${want}`, () => { assert.equal(componentName(model), want) })
  }

  it('names a kind by its own group-version', () => {
    assert.equal(kindComponentName('networking.k8s.io', 'v1', 'Ingress'), 'io.k8s.api.networking.v1.Ingress')
    assert.equal(kindComponentName('example.com', 'v1', 'Widget'), undefined)
  })
})

describe('schemas/models.generated.ts', () => {
  it('records exactly the attribute maps of the installed @kubernetes/client-node (re-run scripts/gen-schema-models.ts after an upgrade)', async () => {
    const { rawModels } = await import('../../../scripts/gen-schema-models.ts')
    const { MODELS_JSON } = await import('../../../src/apiserver/schemas/models.generated.ts')
    assert.deepEqual(JSON.parse(MODELS_JSON), rawModels())
  })
})
