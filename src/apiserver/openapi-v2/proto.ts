// A swagger 2.0 document as gnostic's openapi.v2.Document protobuf, the form kubectl asks
// `GET /openapi/v2` for (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf) and
// reads with gnostic's generated types. Message definitions: proto/gnostic/openapiv2.json, taken
// from the kubectl binary. Extension and example values travel as YAML text in openapi.v2.Any
// (`yaml`); JSON is YAML, and that is how clients read them (yaml.Unmarshal).
import { readFileSync } from 'node:fs'
import protobuf from 'protobufjs'
import { packagePath } from '../../util/package-path.ts'

type Json = Record<string, any>

/**
 * The type the reply says (kube-openapi's subTypeProtobuf): the `@v1.0` form clients ask for is
 * no valid media type for Go's mime.ParseMediaType, so the served one is dotted.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'


let documentType: protobuf.Type | undefined
function messageType (): protobuf.Type {
  documentType ??= protobuf.Root.fromJSON(JSON.parse(readFileSync(packagePath('proto/gnostic/openapiv2.json'), 'utf8'))).lookupType('openapi.v2.Document')
  return documentType
}

const any = (v: unknown): Json => ({ yaml: JSON.stringify(v) })
const named = <T>(o: Json | undefined, f: (v: any) => T): Array<{ name: string, value: T }> => Object.entries(o ?? {}).map(([name, v]) => ({ name, value: f(v) }))
const extensions = (o: Json): Array<{ name: string, value: Json }> => Object.entries(o).filter(([k]) => k.startsWith('x-')).map(([name, v]) => ({ name, value: any(v) }))

/** JSON Schema keywords whose values are numbers, booleans or strings, by their protobuf names. */
const SCALARS: Record<string, string> = {
  format: 'format', title: 'title', description: 'description', multipleOf: 'multiple_of', maximum: 'maximum', exclusiveMaximum: 'exclusive_maximum',
  minimum: 'minimum', exclusiveMinimum: 'exclusive_minimum', maxLength: 'max_length', minLength: 'min_length', pattern: 'pattern', maxItems: 'max_items',
  minItems: 'min_items', uniqueItems: 'unique_items', maxProperties: 'max_properties', minProperties: 'min_properties', discriminator: 'discriminator', readOnly: 'read_only',
}

function schema (s: Json): Json {
  const out: Json = {}
  if (typeof s.$ref === 'string') out._ref = s.$ref
  for (const [json, proto] of Object.entries(SCALARS)) if (s[json] !== undefined) out[proto] = s[json]
  if (s.default !== undefined) out.default = any(s.default)
  if (s.example !== undefined) out.example = any(s.example)
  if (Array.isArray(s.required)) out.required = s.required
  if (Array.isArray(s.enum)) out.enum = s.enum.map(any)
  if (s.type !== undefined) out.type = { value: Array.isArray(s.type) ? s.type : [s.type] }
  if (s.items !== undefined) out.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map(schema) }
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map(schema)
  if (s.properties !== undefined) out.properties = { additional_properties: named(s.properties, schema) }
  if (s.additionalProperties !== undefined) out.additional_properties = typeof s.additionalProperties === 'boolean' ? { boolean: s.additionalProperties } : { schema: schema(s.additionalProperties) }
  const ext = extensions(s)
  if (ext.length > 0) out.vendor_extension = ext
  return out
}

const SUB_SCHEMA: Record<string, string> = { query: 'query_parameter_sub_schema', path: 'path_parameter_sub_schema', header: 'header_parameter_sub_schema', formData: 'form_data_parameter_sub_schema' }

function parameter (p: Json): Json {
  if (typeof p.$ref === 'string') return { json_reference: { _ref: p.$ref } }
  if (p.in === 'body') return { parameter: { body_parameter: { description: p.description, name: p.name, in: p.in, required: p.required, schema: schema(p.schema ?? {}), vendor_extension: extensions(p) } } }
  const sub: Json = { required: p.required, in: p.in, description: p.description, name: p.name, type: p.type, format: p.format, unique_items: p.uniqueItems, vendor_extension: extensions(p) }
  return { parameter: { non_body_parameter: { [SUB_SCHEMA[p.in] ?? 'query_parameter_sub_schema']: sub } } }
}

function operation (op: Json): Json {
  return {
    tags: op.tags, summary: op.summary, description: op.description, operation_id: op.operationId, produces: op.produces, consumes: op.consumes,
    parameters: (op.parameters ?? []).map(parameter),
    responses: { response_code: named(op.responses, (r: Json) => ({ response: { description: r.description, ...(r.schema === undefined ? {} : { schema: { schema: schema(r.schema) } }) } })) },
    schemes: op.schemes, deprecated: op.deprecated, vendor_extension: extensions(op),
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']

function pathItem (item: Json): Json {
  const out: Json = { parameters: (item.parameters ?? []).map(parameter), vendor_extension: extensions(item) }
  for (const m of METHODS) if (item[m] !== undefined) out[m] = operation(item[m])
  return out
}

/** The protobuf bytes of a swagger 2.0 document. */
export function encodeOpenapiV2 (doc: Json): Uint8Array {
  const type = messageType()
  const message = type.fromObject({
    swagger: doc.swagger,
    info: doc.info,
    paths: { path: named(doc.paths, pathItem) },
    definitions: { additional_properties: named(doc.definitions, schema) },
  })
  return type.encode(message).finish()
}

/** The message back as plain objects (for tests and tools). */
export function decodeOpenapiV2 (bytes: Uint8Array): Json {
  const type = messageType()
  return type.toObject(type.decode(bytes), { defaults: false, arrays: true, longs: Number }) as Json
}
