import assert from 'node:assert/strict'
import { strictDecodingBadRequest, strictErrorMessage, unknownFields } from '../../../src/apiserver/schemas/strict.ts'

const deployment = (spec: object, metadata: object = { name: 'web' }): object => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec })
const podTemplate = (container: object): object => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }, container] } })

describe('schemas/strict unknownFields', () => {
  const cases: Array<{ name: string, obj: unknown, gvk?: [string, string, string], want: string[] }> = [
    { name: 'a complete Deployment has no unknown fields', obj: deployment({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ name: 'side', image: 'busybox', ports: [{ containerPort: 80 }] }), strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }), want: [] },
    { name: 'an unknown spec field is named by its path', obj: deployment({ replicas: 1, foo: 1 }), want: ['spec.foo'] },
    { name: 'fields in lists carry the item index without a dot', obj: deployment({ template: podTemplate({ name: 'side', imagePullPolicyy: 'Always' }) }), want: ['spec.template.spec.containers[1].imagePullPolicyy'] },
    { name: 'nested lists index every level', obj: deployment({ template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 1 }, { containerPort: 2, hostPortt: 3 }] }] } } }), want: ['spec.template.spec.containers[0].ports[1].hostPortt'] },
    { name: 'the unknown value is not descended into', obj: deployment({ extra: { deeper: { x: 1 } } }), want: ['spec.extra'] },
    { name: 'several unknown fields are reported in document order', obj: deployment({ zzz: 1, replicas: 1, aaa: 2 }, { name: 'web', labelz: {} }), want: ['metadata.labelz', 'spec.zzz', 'spec.aaa'] },
    { name: 'matching is case-sensitive, as the apiserver decodes', obj: deployment({ Replicas: 1 }), want: ['spec.Replicas'] },
    { name: 'metadata is ObjectMeta, in the template too', obj: deployment({ template: { metadata: { labels: { a: 'b' }, annotation: {} } } }), want: ['spec.template.metadata.annotation'] },
    { name: 'map values of a string map are not fields', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { anything: 'x' } }, data: { any: 'thing' } }, gvk: ['', 'v1', 'ConfigMap'], want: [] },
    { name: 'map values of a struct map are checked, keyed by the map key', obj: { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', typo: true } } } } }] } }, gvk: ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'], want: ['spec.versions[0].schema.openAPIV3Schema.properties.spec.typo'] },
    { name: 'JSON names that are not identifiers are known ($ref, x-kubernetes-*)', obj: { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { $ref: '#/x', 'x-kubernetes-preserve-unknown-fields': true, default: { any: 1 } } } }] } }, gvk: ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'], want: [] },
    { name: 'IntOrString accepts a number or a string and has no fields', obj: { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080, nodePortt: 1 }] } }, gvk: ['', 'v1', 'Service'], want: ['spec.ports[1].nodePortt'] },
    { name: 'status is a known field', obj: { apiVersion: 'v1', kind: 'Pod', status: { phase: 'Running', bogus: 1 } }, gvk: ['', 'v1', 'Pod'], want: ['status.bogus'] },
    { name: 'untyped fields (RawExtension) accept anything', obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { spec: { anything: 1 } } }, gvk: ['apps', 'v1', 'ControllerRevision'], want: [] },
    { name: 'core/v1 Event and events.k8s.io/v1 Event are different types', obj: { apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'x', message: 'y' }, gvk: ['events.k8s.io', 'v1', 'Event'], want: ['message'] },
    { name: 'autoscaling/v2 metrics are typed', obj: { spec: { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50, averageUtilisation: 1 } } }] } }, gvk: ['autoscaling', 'v2', 'HorizontalPodAutoscaler'], want: ['spec.metrics[0].resource.target.averageUtilisation'] },
    { name: 'custom resources have no model: the CRD schema decides elsewhere', obj: { spec: { anything: 1 } }, gvk: ['example.com', 'v1', 'Widget'], want: [] },
    { name: 'null values and wrong types are not unknown fields', obj: deployment({ replicas: null, template: 'oops', selector: [1] }), want: [] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const [g, v, k] = c.gvk ?? ['apps', 'v1', 'Deployment']
      assert.deepEqual(unknownFields(c.obj, g, v, k), c.want)
    })
  }

  it('formats the strict decoding error as runtime.NewStrictDecodingError does', () => {
    assert.equal(strictErrorMessage(['spec.foo']), 'strict decoding error: unknown field "spec.foo"')
    assert.equal(strictErrorMessage(['spec.serviceAccount', 'spec.serviceAccountName']), 'strict decoding error: unknown field "spec.serviceAccount", unknown field "spec.serviceAccountName"')
  })

  it('formats the create/update BadRequest message', () => {
    assert.equal(strictDecodingBadRequest('Deployment', 'v1', ['spec.foo']), 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"')
  })
})
