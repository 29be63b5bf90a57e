import assert from 'node:assert/strict'
import { unknownFields } from '../../../src/apiserver/schemas/strict.ts'
import { normalizeSecret } from '../../../src/apiserver/schemas/secret.ts'
import {
  decodeTyped, jsonPatchValue, patchDecodeInvalid, smpPatchValue, typeErrorBadRequest, typeErrorMessage, type DecodeMode,
} from '../../../src/apiserver/schemas/typed.ts'

type GVK = [string, string, string]
const CM: GVK = ['', 'v1', 'ConfigMap']
const POD: GVK = ['', 'v1', 'Pod']
const SVC: GVK = ['', 'v1', 'Service']
const SECRET: GVK = ['', 'v1', 'Secret']
const DEPLOY: GVK = ['apps', 'v1', 'Deployment']
const CRD: GVK = ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition']
const EVENT: GVK = ['events.k8s.io', 'v1', 'Event']

const cm = (data: unknown, metadata: object = { name: 'c' }): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data })
const secret = (data: unknown, extra: object = {}): object => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data, ...extra })
const container = (extra: object = {}): object => ({ name: 'app', image: 'nginx', ...extra })
const pod = (spec: object): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec })
const deploy = (spec: object, metadata: object = { name: 'web' }): object => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec })
const podTemplate = (...containers: object[]): object => ({ metadata: { labels: { app: 'web' } }, spec: { containers } })
const limits = (l: object): object => pod({ containers: [container({ resources: { limits: l } })] })
const svcPorts = (...ports: object[]): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } })
const crdProps = (props: object): object => ({ spec: { group: 'x.io', versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: props } } }] } })
const created = (ts: unknown): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: ts } })
const field = (where: string, value: string, type: string): string => `json: cannot unmarshal ${value} into Go struct field ${where} of type ${type}`
const REGEX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const TIME = (v: string, rest: string, as: string): string => `parsing time "${v}" as "2006-01-02T15:04:05Z07:00": cannot parse "${rest}" as "${as}"`

describe('schemas/typed decodeTyped: type errors as encoding/json words them', () => {
  const cases: Array<{ name: string, gvk: GVK, obj: unknown, error: string, mode?: DecodeMode }> = [
    { name: 'a number in a string map', gvk: CM, obj: cm({ x: 1 }), error: field('ConfigMap.data', 'number', 'string') },
    { name: 'a number in metadata.labels names ObjectMeta and the path from the top', gvk: CM, obj: cm({}, { name: 'c', labels: { a: 1 } }), error: field('ObjectMeta.metadata.labels', 'number', 'string') },
    { name: 'a string where a list of structs goes', gvk: POD, obj: pod({ containers: 'x' }), error: field('PodSpec.spec.containers', 'string', '[]v1.Container') },
    { name: 'a string where a list item struct goes', gvk: POD, obj: pod({ containers: ['x'] }), error: field('PodSpec.spec.containers', 'string', 'v1.Container') },
    { name: 'nested list items: no indexes in the path', gvk: DEPLOY, obj: deploy({ template: podTemplate(container(), container({ name: 'b', ports: [{ containerPort: '80' }] })) }), error: field('ContainerPort.spec.template.spec.containers.ports.containerPort', 'string', 'int32') },
    { name: 'a map of structs: no map keys in the path', gvk: CRD, obj: crdProps({ spec: { type: 1 } }), error: field('JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.type', 'number', 'string') },
    { name: 'a bool into a string', gvk: CM, obj: cm({}, { name: true }), error: field('ObjectMeta.metadata.name', 'bool', 'string') },
    { name: 'an object into a string', gvk: CM, obj: cm({}, { name: {} }), error: field('ObjectMeta.metadata.name', 'object', 'string') },
    { name: 'an array into a map', gvk: CM, obj: cm({}, { name: 'c', labels: [] }), error: field('ObjectMeta.metadata.labels', 'array', 'map[string]string') },
    { name: 'a number into a struct', gvk: DEPLOY, obj: deploy(5 as unknown as object), error: field('Deployment.spec', 'number', 'v1.DeploymentSpec') },
    { name: 'a string into a pointer field (the pointed-to type)', gvk: DEPLOY, obj: deploy({ replicas: 'x' }), error: field('DeploymentSpec.spec.replicas', 'string', 'int32') },
    { name: 'an int32 out of range quotes the number', gvk: DEPLOY, obj: deploy({ replicas: 3000000000 }), error: field('DeploymentSpec.spec.replicas', 'number 3000000000', 'int32') },
    { name: 'a fraction into an int32', gvk: SVC, obj: svcPorts({ port: 1.5 }), error: field('ServicePort.spec.ports.port', 'number 1.5', 'int32') },
    { name: 'named string types (Protocol)', gvk: SVC, obj: svcPorts({ port: 80, protocol: 1 }), error: field('ServicePort.spec.ports.protocol', 'number', 'v1.Protocol') },
    { name: 'named map types (ResourceList)', gvk: POD, obj: pod({ containers: [container({ resources: { limits: 'x' } })] }), error: field('ResourceRequirements.spec.containers.resources.limits', 'string', 'v1.ResourceList') },
    { name: 'named list items (Capability)', gvk: POD, obj: pod({ containers: [container({ securityContext: { capabilities: { add: [1] } } })] }), error: field('Capabilities.spec.containers.securityContext.capabilities.add', 'number', 'v1.Capability') },
    { name: 'the body itself of the wrong type', gvk: CM, obj: [], error: 'json: cannot unmarshal array into Go value of type v1.ConfigMap' },
    { name: 'the first type error in document order is reported', gvk: CM, obj: { data: { x: true }, metadata: { labels: { a: 1 } } }, error: field('ConfigMap.data', 'bool', 'string') },
    { name: 'an UnmarshalJSON error ends decoding and wins over an earlier type error', gvk: DEPLOY, obj: deploy({ replicas: 'x', template: podTemplate(container({ resources: { limits: { cpu: 'abc' } } })) }), error: REGEX },
    // IntOrString, Quantity, Time: their own UnmarshalJSON
    { name: 'IntOrString: a bool', gvk: SVC, obj: svcPorts({ port: 80, targetPort: true }), error: 'json: cannot unmarshal bool into Go value of type int32' },
    { name: 'IntOrString: a fraction', gvk: SVC, obj: svcPorts({ port: 80, targetPort: 1.5 }), error: 'json: cannot unmarshal number 1.5 into Go value of type int32' },
    { name: 'IntOrString: an object', gvk: DEPLOY, obj: deploy({ strategy: { rollingUpdate: { maxSurge: {} } } }), error: 'json: cannot unmarshal object into Go value of type int32' },
    { name: 'Quantity: not a quantity', gvk: POD, obj: limits({ cpu: 'abc' }), error: REGEX },
    { name: 'Quantity: a bool', gvk: POD, obj: limits({ memory: true }), error: REGEX },
    { name: 'Quantity: a bad suffix', gvk: POD, obj: limits({ memory: '+1e' }), error: "unable to parse quantity's suffix" },
    { name: 'Time: not RFC 3339', gvk: CM, obj: created('x'), error: TIME('x', 'x', '2006') },
    { name: 'Time: no zone', gvk: CM, obj: created('2024-01-01T00:00:00'), error: TIME('2024-01-01T00:00:00', '', 'Z07:00') },
    { name: 'Time: a number', gvk: CM, obj: created(5), error: 'json: cannot unmarshal number into Go value of type string' },
    { name: 'Time: month out of range', gvk: CM, obj: created('2024-13-01T00:00:00Z'), error: 'parsing time "2024-13-01T00:00:00Z": month out of range' },
    { name: 'MicroTime wants six fraction digits', gvk: EVENT, obj: { eventTime: '2024-01-01T00:00:00Z' }, error: 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"' },
    // []byte
    { name: 'base64: an illegal byte', gvk: SECRET, obj: secret({ a: 'not base64!!' }), error: 'illegal base64 data at input byte 3' },
    { name: 'base64: a short quantum', gvk: SECRET, obj: secret({ a: 'YWJ' }), error: 'illegal base64 data at input byte 0' },
    { name: 'base64: binaryData too', gvk: CM, obj: { binaryData: { a: 'YQ=' } }, error: 'illegal base64 data at input byte 3' },
    { name: 'base64: a number', gvk: SECRET, obj: secret({ a: 1 }), error: field('Secret.data', 'number', '[]uint8') },
    { name: 'base64: a string where the map goes', gvk: SECRET, obj: secret('x'), error: field('Secret.data', 'string', 'map[string][]uint8') },
    // strategic merge patch results: runtime.DefaultUnstructuredConverter
    { name: 'unstructured: a string where a map goes', gvk: CM, obj: cm('x'), error: 'cannot restore map from string', mode: 'unstructured' },
    { name: 'unstructured: an integer into a string', gvk: CM, obj: cm({ x: 1 }), error: 'cannot convert int64 to string', mode: 'unstructured' },
    { name: 'unstructured: an integer into a named string', gvk: SVC, obj: svcPorts({ port: 80, protocol: 1 }), error: 'cannot convert int64 to v1.Protocol', mode: 'unstructured' },
    { name: 'unstructured: a bool into a string', gvk: CM, obj: cm({ x: true }), error: 'unrecognized type: string', mode: 'unstructured' },
    { name: 'unstructured: a string into an int32', gvk: DEPLOY, obj: deploy({ replicas: '3' }), error: 'unrecognized type: int32', mode: 'unstructured' },
    { name: 'unstructured: a fraction into an int32', gvk: DEPLOY, obj: deploy({ replicas: 1.5 }), error: 'cannot convert float64 to int32', mode: 'unstructured' },
    { name: 'unstructured: a string where a struct goes', gvk: DEPLOY, obj: deploy('x' as unknown as object), error: 'cannot restore struct from: string', mode: 'unstructured' },
    { name: 'unstructured: a map where a list goes', gvk: POD, obj: pod({ containers: {} }), error: 'cannot restore slice from map', mode: 'unstructured' },
    { name: 'unstructured: bad base64', gvk: SECRET, obj: secret({ a: '!!' }), error: 'error decoding from json: illegal base64 data at input byte 0', mode: 'unstructured' },
    { name: 'unstructured: the first error in struct order', gvk: DEPLOY, obj: { spec: { replicas: 'x' }, metadata: { labels: { a: 1 } } }, error: 'cannot convert int64 to string', mode: 'unstructured' },
    { name: 'unstructured: custom unmarshalers answer as for JSON', gvk: POD, obj: limits({ cpu: 'abc' }), error: REGEX, mode: 'unstructured' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const r = decodeTyped(c.obj, ...c.gvk, c.mode)
      assert.equal(r.typeError, c.error)
      assert.deepEqual(r.unknownFields, [])
    })
  }

  it('times decoded before answer the same, and a Time\'s text is still refused as a MicroTime', () => {
    // Decoded times are remembered by their text, for Time and MicroTime apart.
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(decodeTyped(created('2024-01-01T01:00:00.5+01:00'), ...CM).object, created('2024-01-01T00:00:00Z'))
      assert.deepEqual(decodeTyped(created('2024-01-01T00:00:00Z'), ...CM).object, created('2024-01-01T00:00:00Z'))
      assert.equal(decodeTyped({ eventTime: '2024-01-01T00:00:00Z' }, ...EVENT).typeError, 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"')
      assert.equal(decodeTyped(created('2024-13-01T00:00:00Z'), ...CM).typeError, 'parsing time "2024-13-01T00:00:00Z": month out of range')
    }
  })

  it('a type error trumps unknown fields (strict errors only count without other errors)', () => {
    const r = decodeTyped(cm({ x: 1 }, { name: 'c', labelz: {} }), ...CM)
    assert.equal(r.typeError, field('ConfigMap.data', 'number', 'string'))
    assert.deepEqual(r.unknownFields, [])
  })
})

describe('schemas/typed decodeTyped: the decoded object', () => {
  const ok: Array<{ name: string, gvk: GVK, obj: unknown, want: unknown, unknown?: string[], mode?: DecodeMode }> = [
    { name: 'IntOrString takes strings and int32s', gvk: SVC, obj: svcPorts({ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }), want: svcPorts({ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }) },
    { name: 'quantities are re-encoded canonically, numbers too', gvk: POD, obj: limits({ cpu: '1000m', memory: 1024, 'nvidia.com/gpu': '1' }), want: limits({ cpu: '1', memory: '1024', 'nvidia.com/gpu': '1' }) },
    { name: 'times are re-encoded in UTC, to the second', gvk: CM, obj: created('2024-01-01T01:00:00.5+01:00'), want: created('2024-01-01T00:00:00Z') },
    { name: 'a one-digit hour is accepted', gvk: CM, obj: created('2024-01-01T5:00:00Z'), want: created('2024-01-01T05:00:00Z') },
    { name: 'MicroTime keeps microseconds', gvk: EVENT, obj: { eventTime: '2024-01-01T00:00:00.123456+00:00' }, want: { eventTime: '2024-01-01T00:00:00.123456Z' } },
    { name: 'base64 with newlines and loose padding bits is re-encoded', gvk: SECRET, obj: secret({ a: 'YWJj\nZA==', b: 'YR==', c: '' }), want: secret({ a: 'YWJjZA==', b: 'YQ==', c: '' }) },
    { name: 'bytes may come as a list of numbers', gvk: SECRET, obj: secret({ a: [97, 98, 99] }), want: secret({ a: 'YWJj' }) },
    { name: 'null fields are dropped (pointers, maps, slices), but a non-pointer Time stays null', gvk: DEPLOY, obj: deploy({ replicas: null, paused: null, template: { metadata: { labels: null, creationTimestamp: null }, spec: { containers: [container({ args: null })] } } }), want: deploy({ template: { metadata: { creationTimestamp: null }, spec: { containers: [container()] } } }) },
    { name: 'null list items and map values take the zero value', gvk: POD, obj: pod({ containers: [null, container({ args: ['a', null] })], nodeSelector: { a: null } }), want: pod({ containers: [{}, container({ args: ['a', ''] })], nodeSelector: { a: '' } }) },
    { name: 'unknown top-level, metadata and nested fields are dropped', gvk: DEPLOY, obj: { apiVersion: 'apps/v1', kind: 'Deployment', extra: 1, metadata: { name: 'web', labelz: { a: 'b' } }, spec: { template: podTemplate(container({ imagePullPolicyy: 'Always', ports: [{ containerPort: 80, hostPortt: 1 }] })) } }, want: deploy({ template: podTemplate(container({ ports: [{ containerPort: 80 }] })) }), unknown: ['extra', 'metadata.labelz', 'spec.template.spec.containers[0].imagePullPolicyy', 'spec.template.spec.containers[0].ports[0].hostPortt'] },
    { name: 'unknown fields in maps of structs are keyed by the map key', gvk: CRD, obj: crdProps({ spec: { type: 'object', typo: true } }), want: crdProps({ spec: { type: 'object' } }), unknown: ['spec.versions[0].schema.openAPIV3Schema.properties.spec.typo'] },
    { name: 'unstructured: unknown fields are sorted', gvk: DEPLOY, obj: { spec: { zzz: 1, replicas: 1, aaa: 2 }, metadata: { labelz: {} } }, want: { spec: { replicas: 1 }, metadata: {} }, unknown: ['metadata.labelz', 'spec.aaa', 'spec.zzz'], mode: 'unstructured' },
    { name: 'untyped fields (RawExtension) keep anything', gvk: ['apps', 'v1', 'ControllerRevision'], obj: { revision: 1, data: { spec: { anything: [1, null] } } }, want: { revision: 1, data: { spec: { anything: [1, null] } } } },
    { name: 'custom resources pass through', gvk: ['example.com', 'v1', 'Widget'], obj: { spec: { anything: null } }, want: { spec: { anything: null } } },
  ]
  for (const c of ok) {
    it(c.name, () => {
      const r = decodeTyped(c.obj, ...c.gvk, c.mode)
      assert.equal(r.typeError, undefined)
      assert.deepEqual(r.object, c.want)
      assert.deepEqual(r.unknownFields, c.unknown ?? [])
    })
  }

  const valid: Array<[string, GVK, object]> = [
    ['Deployment', DEPLOY, deploy({
      replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: podTemplate(container({ ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '64Mi' } }, env: [{ name: 'A', value: 'b' }] })),
    }, { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { a: 'b' }, creationTimestamp: '2024-01-01T00:00:00Z', generation: 3, ownerReferences: [] })],
    ['Pod', POD, pod({ containers: [container({ command: ['sh'], livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 } })], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] })],
    ['Service', SVC, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], ipFamilies: ['IPv4'] } }],
    ['ConfigMap', CM, cm({ a: 'b', 'c.txt': 'line\n' }, { name: 'c', namespace: 'default' })],
    ['Secret', SECRET, secret({ a: 'YWJj' }, { type: 'Opaque', immutable: true })],
  ]
  for (const [name, gvk, obj] of valid) {
    it(`a correct ${name} passes unchanged`, () => {
      const before = structuredClone(obj)
      for (const mode of ['json', 'unstructured'] as const) {
        const r = decodeTyped(obj, ...gvk, mode)
        assert.equal(r.typeError, undefined)
        assert.deepEqual(r.object, obj)
        assert.deepEqual(r.unknownFields, [])
      }
      assert.deepEqual(obj, before, 'the input is not modified')
    })
  }

  it('reports the same unknown fields as strict.ts unknownFields', () => {
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', zz: 1, metadata: { name: 'w', labelz: 1 }, spec: { template: { spec: { containers: [{ name: 'a', foo: 1 }] } }, bar: 2 } }
    assert.deepEqual(decodeTyped(obj, ...DEPLOY).unknownFields, unknownFields(obj, ...DEPLOY))
  })

  it('keeps at most 100 strict errors, as sigs.k8s.io/json does', () => {
    const spec = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, i]))
    assert.equal(decodeTyped(deploy(spec), ...DEPLOY).unknownFields.length, 100)
  })
})

describe('schemas/typed messages and Secret normalization', () => {
  it('words the create/update BadRequest as transformDecodeError', () => {
    const goError = field('ConfigMap.data', 'number', 'string')
    assert.equal(typeErrorMessage('ConfigMap', 'v1', goError), `ConfigMap in version "v1" cannot be handled as a ConfigMap: ${goError}`)
    const err = typeErrorBadRequest('ConfigMap', 'v1', goError)
    assert.deepEqual([err.code, err.reason, err.message], [400, 'BadRequest', typeErrorMessage('ConfigMap', 'v1', goError)])
  })

  it('words the patch Invalid as NewInvalid(GroupKind{}, "", patch: Invalid value)', () => {
    const err = patchDecodeInvalid(smpPatchValue({ data: 'x', metadata: { labels: { a: 1 } } }), 'cannot restore map from string')
    const body = 'Invalid value: "map[data:x metadata:map[labels:map[a:1]]]": cannot restore map from string'
    assert.deepEqual([err.code, err.reason, err.message], [422, 'Invalid', ` "" is invalid: patch: ${body}`])
    assert.deepEqual(err.details, { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] })
    assert.equal(patchDecodeInvalid(jsonPatchValue({ a: '<b>' }), 'x').message, ' "" is invalid: patch: Invalid value: "{\\"a\\":\\"\\\\u003cb\\\\u003e\\"}": x')
  })

  it('merges stringData into data, drops it, and defaults the type', () => {
    assert.deepEqual(normalizeSecret({ kind: 'Secret', data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'héllo', c: '' } }), { kind: 'Secret', data: { a: 'eA==', b: 'aMOpbGxv', c: '' }, type: 'Opaque' })
    assert.deepEqual(normalizeSecret({ kind: 'Secret', stringData: { a: 'x' }, type: 'kubernetes.io/tls' }), { kind: 'Secret', type: 'kubernetes.io/tls', data: { a: 'eA==' } })
    assert.deepEqual(normalizeSecret({ kind: 'Secret', stringData: {}, type: '' }), { kind: 'Secret', type: 'Opaque' })
  })
})
