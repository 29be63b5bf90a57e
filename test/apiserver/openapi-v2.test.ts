// GET /openapi/v2's document: swagger 2.0 definitions and paths from the v3 schemas, and its
// gnostic protobuf form (what kubectl reads to validate a `kind: List` or an unknown apiVersion).
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'
import { customSchemaV2, openapiV2Document, v2Schema } from '../../src/apiserver/openapi-v2/document.ts'
import { decodeOpenapiV2, encodeOpenapiV2 } from '../../src/apiserver/openapi-v2/proto.ts'

type Json = Record<string, any>

/** Every "$ref" anywhere under `v` (a property may be named "$ref": JSONSchemaProps has one). */
function refs (v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out)
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x)
      else if (k === 'properties' && typeof x === 'object' && x !== null) for (const p of Object.values(x)) refs(p, out)
      else refs(x, out)
    }
  }
  return out
}

describe('OpenAPI v2 document', () => {
  it('turns v3 schemas into swagger 2.0 ones', () => {
    const v3 = {
      type: 'object',
      properties: {
        metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'meta' },
        port: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
        size: { oneOf: [{ type: 'string' }, { type: 'number' }], description: 'a quantity' },
        tags: { type: 'array', items: { type: 'string', nullable: true } },
        extra: { type: 'object', additionalProperties: { allOf: [{ $ref: '#/components/schemas/X' }] }, 'x-kubernetes-map-type': 'atomic' },
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    }
    assert.deepEqual(v2Schema(v3), {
      type: 'object',
      properties: {
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: 'meta' },
        port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
        size: { description: 'a quantity', type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        extra: { type: 'object', additionalProperties: { $ref: '#/definitions/X' }, 'x-kubernetes-map-type': 'atomic' },
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    })
  })

  it('publishes a custom resource\'s schema as upstream does for v2', () => {
    const gvk = [{ group: 'example.com', kind: 'Widget', version: 'v1' }]
    const meta = { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'm' }
    // Preserving unknown fields at the root: a bare object, or kubectl would allow only apiVersion, kind and metadata.
    assert.deepEqual(customSchemaV2({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { metadata: meta }, 'x-kubernetes-group-version-kind': gvk }),
      { type: 'object', 'x-kubernetes-group-version-kind': gvk })
    assert.deepEqual(customSchemaV2({
      type: 'object',
      required: ['spec', 'maybe'],
      properties: {
        metadata: meta,
        spec: { type: 'object', properties: { free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, list: { type: 'array', 'x-kubernetes-preserve-unknown-fields': true, items: { type: 'string' } } } },
        maybe: { type: 'object', nullable: true, properties: { b: { type: 'string' } } },
      },
      'x-kubernetes-group-version-kind': gvk,
    }), {
      type: 'object',
      required: ['spec'],
      properties: {
        metadata: meta,
        spec: { type: 'object', properties: { free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, port: { 'x-kubernetes-int-or-string': true }, list: { 'x-kubernetes-preserve-unknown-fields': true } } },
        maybe: {},
      },
      'x-kubernetes-group-version-kind': gvk,
    })
  })

  it('covers every served kind, every reference resolves, and the protobuf form says the same', async () => {
    const { core } = await startCore({ serviceAccounts: false })
    const doc = openapiV2Document(core.index, r => core.schemaFor(r), 'v1.32.3+k3s1')
    assert.equal(doc.swagger, '2.0')
    const definitions = doc.definitions as Json
    // kubectl (kube-openapi's NewOpenAPIData) refuses a document with a dangling reference.
    const dangling = refs(doc).filter(r => definitions[r.replace('#/definitions/', '')] === undefined)
    assert.deepEqual([...new Set(dangling)], [])
    assert.deepEqual(definitions['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }])
    assert.equal(definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string')
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
    assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'))

    const back = decodeOpenapiV2(encodeOpenapiV2(doc))
    assert.equal(back.swagger, '2.0')
    assert.deepEqual(back.definitions.additional_properties.map((n: Json) => n.name), Object.keys(definitions))
    const deployment = back.definitions.additional_properties.find((n: Json) => n.name === 'io.k8s.api.apps.v1.Deployment').value
    const gvk = deployment.vendor_extension.find((e: Json) => e.name === 'x-kubernetes-group-version-kind')
    assert.deepEqual(JSON.parse(gvk.value.yaml), [{ group: 'apps', kind: 'Deployment', version: 'v1' }])
    assert.deepEqual(deployment.type.value, ['object'])
    const path = back.paths.path.find((p: Json) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}').value
    const names = path.patch.parameters.map((p: Json) => p.parameter.non_body_parameter?.query_parameter_sub_schema?.name ?? p.parameter.body_parameter?.name)
    assert.ok(names.includes('fieldValidation') && names.includes('body'), names.join(','))
  })
})
