// A custom resource's structural schema: apiextensions-apiserver's defaulting, pruning and
// validation, with its exact causes.
import assert from 'node:assert/strict'
import { applySchema } from '../../src/apiserver/crd/schema.ts'

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string' },
        replicas: { type: 'integer', default: 1 },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        mode: { type: 'string', enum: ['a', 'b'] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
}

const run = (spec: unknown): ReturnType<typeof applySchema> => applySchema({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec }, schema, { prune: true })

describe('CRD structural schema', () => {
  const refused: Array<{ name: string, spec: unknown, causes: unknown[] }> = [
    {
      name: 'a wrong type names the JSON type, as kube-openapi\'s InvalidType',
      spec: { image: 'i', replicas: 'two' },
      causes: [{ reason: 'FieldValueTypeInvalid', field: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"' }],
    },
    {
      name: 'an int-or-string field is of type integer,string',
      spec: { image: 'i', port: true },
      causes: [{ reason: 'FieldValueTypeInvalid', field: 'spec.port', message: 'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"' }],
    },
    {
      name: 'a missing required field',
      spec: { replicas: 2 },
      causes: [{ reason: 'FieldValueRequired', field: 'spec.image', message: 'Required value' }],
    },
    {
      name: 'a value outside the enum',
      spec: { image: 'i', mode: 'c' },
      causes: [{ reason: 'FieldValueNotSupported', field: 'spec.mode', message: 'Unsupported value: "c": supported values: "a", "b"' }],
    },
    {
      name: 'a wrong type under additionalProperties',
      spec: { image: 'i', labels: { a: 1 } },
      causes: [{ reason: 'FieldValueTypeInvalid', field: 'spec.labels.a', message: 'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"' }],
    },
  ]
  for (const c of refused) it(`refuses ${c.name}`, () => { assert.deepEqual(run(c.spec).causes, c.causes) })

  it('drops a null where the field is not nullable, then defaults it; keeps a nullable one', () => {
    const r = run({ image: 'i', replicas: null, mode: null, note: null, labels: { a: null, b: 'x' } })
    assert.deepEqual(r.causes, [])
    assert.deepEqual((r.value as { spec: unknown }).spec, { image: 'i', replicas: 1, note: null, labels: { b: 'x' } })
  })

  it('a null in a required field leaves it missing', () => {
    assert.deepEqual(run({ image: null }).causes, [{ reason: 'FieldValueRequired', field: 'spec.image', message: 'Required value' }])
  })

  it('prunes unknown fields and reports them; keeps what preserve-unknown-fields holds', () => {
    const r = run({ image: 'i', port: 'http', extra: 1, raw: { anything: [1, { deep: null }] } })
    assert.deepEqual(r.causes, [])
    assert.deepEqual(r.unknown, ['spec.extra'])
    assert.deepEqual((r.value as { spec: unknown }).spec, { image: 'i', replicas: 1, port: 'http', raw: { anything: [1, { deep: null }] } })
  })
})
