// The OpenAPI v2 (swagger 2.0) document of `GET /openapi/v2`, from the same schemas and paths as
// the v3 documents (../openapi.ts): components become definitions (`#/definitions/<name>`), a
// `$ref` wrapped in allOf to carry a description is unwrapped (swagger 2.0 lets them sit side
// by side), `oneOf` (IntOrString, Quantity) and what v2 cannot say (anyOf, not, nullable) are
// dropped as upstream's v2 publishing drops them, request bodies become `in: body` parameters.
// kubectl validates manifests of kinds the v3 documents do not list (a `kind: List` file, an
// unknown apiVersion) against these definitions.
import type { ResourceInfo } from '../../api/resources.ts'
import { openapiDocument, schemaName } from '../openapi.ts'
import type { ResourceIndex } from '../resource-index.ts'

type Json = Record<string, any>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const V3_REF = '#/components/schemas/'

/** A v3 schema in swagger 2.0's shape (data under default, enum, example and x-* is left as is). */
export function v2Schema (s: unknown): unknown {
  if (Array.isArray(s)) return s.map(v2Schema)
  if (!isObject(s)) return s
  const out: Json = {}
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') out.$ref = String(v).replace(V3_REF, '#/definitions/')
    else if (k === 'allOf' && Array.isArray(v) && v.length === 1 && isObject(v[0]) && typeof v[0].$ref === 'string') out.$ref = String(v[0].$ref).replace(V3_REF, '#/definitions/')
    else if (k === 'oneOf' || k === 'anyOf' || k === 'not' || k === 'nullable') continue
    else if (k === 'properties' && isObject(v)) out.properties = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, v2Schema(p)]))
    else if (k === 'items' || k === 'allOf' || (k === 'additionalProperties' && isObject(v))) out[k] = v2Schema(v)
    else out[k] = v
  }
  if (s.oneOf !== undefined && out.type === undefined && out.$ref === undefined) out.type = 'string'
  return out
}

const isRefWrapper = (v: unknown): boolean => Array.isArray(v) && v.length === 1 && isObject(v[0]) && typeof v[0].$ref === 'string'

/**
 * A custom resource's schema as upstream publishes it in v2 (buildKubeNative with opts.V2, then
 * ToStructuralOpenAPIV2): kept whole only when it says what every field is. Anything that
 * preserves unknown fields loses its properties and items (kubectl would reject the unknown
 * fields), a nullable value loses its type too (and is no longer required), an array left
 * without items its type; junctors go. At the root, preserving unknown fields leaves a bare
 * object, as otherwise kubectl would allow nothing but apiVersion, kind and metadata.
 */
export function customSchemaV2 (s: Json): Json {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return { type: 'object', 'x-kubernetes-group-version-kind': s['x-kubernetes-group-version-kind'] }
  return structuralV2(s)
}

function structuralV2 (s: Json): Json {
  const out: Json = { ...s }
  // An allOf around one $ref is ours (the metadata property): structural schemas have no $ref.
  if (!isRefWrapper(out.allOf)) delete out.allOf
  delete out.oneOf
  delete out.anyOf
  delete out.not
  if (out.nullable === true) { delete out.type; delete out.items; delete out.properties }
  delete out.nullable
  if (out['x-kubernetes-preserve-unknown-fields'] === true) { delete out.items; delete out.properties }
  if (out.items === undefined && out.type === 'array') delete out.type
  if (isObject(out.properties)) {
    const properties = out.properties
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, isObject(p) ? structuralV2(p) : p]))
    if (Array.isArray(out.required)) {
      out.required = out.required.filter((f: string) => !(isObject(properties[f]) && properties[f].nullable === true))
      if (out.required.length === 0) delete out.required
    }
  }
  if (isObject(out.items)) out.items = structuralV2(out.items)
  if (isObject(out.additionalProperties)) out.additionalProperties = structuralV2(out.additionalProperties)
  return out
}

const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']

function v2Operation (op: Json): Json {
  const content: Json = op.requestBody?.content ?? {}
  const bodySchema = Object.values(content)[0]?.schema
  const response = op.responses?.['200']
  const out: Json = {
    description: op.description,
    consumes: Object.keys(content),
    produces: PRODUCES,
    schemes: ['https'],
    operationId: op.operationId,
    parameters: [
      ...(bodySchema === undefined ? [] : [{ name: 'body', in: 'body', required: true, schema: v2Schema(bodySchema) }]),
      ...(op.parameters ?? []).map((p: Json) => ({ uniqueItems: p.uniqueItems, type: p.schema?.type ?? 'string', name: p.name, in: p.in })),
    ],
    responses: { 200: { description: response?.description ?? 'OK', schema: v2Schema(response?.content?.['application/json']?.schema) } },
  }
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) out[k] = v
  if (out.description === undefined) delete out.description
  return out
}

/** The `{name}` and `{namespace}` of a path as swagger 2.0 path parameters. */
function pathParameters (path: string): Json[] {
  const out: Json[] = []
  if (path.includes('{name}')) out.push({ uniqueItems: true, type: 'string', description: 'name of the resource', name: 'name', in: 'path', required: true })
  if (path.includes('{namespace}')) out.push({ uniqueItems: true, type: 'string', description: 'object name and auth scope, such as for teams and projects', name: 'namespace', in: 'path', required: true })
  return out
}

/** Every group-version's paths and schemas in one swagger 2.0 document. */
export function openapiV2Document (index: ResourceIndex, schemas: (r: ResourceInfo) => object | undefined, serverVersion: string): Json {
  const paths: Json = {}
  const definitions: Json = {}
  for (const [group, versions] of index.groups()) {
    for (const version of versions) {
      const doc = openapiDocument(index, group, version, schemas, serverVersion) as Json | undefined
      if (doc === undefined) continue
      const custom = new Set(index.inGroupVersion(group, version).filter(r => r.custom === true).map(schemaName))
      for (const [name, schema] of Object.entries(doc.components.schemas as Json)) definitions[name] ??= v2Schema(custom.has(name) ? customSchemaV2(schema as Json) : schema)
      for (const [path, item] of Object.entries(doc.paths as Json)) {
        const ops = Object.fromEntries(Object.entries(item as Json).map(([method, op]) => [method, v2Operation(op as Json)]))
        paths[path] = { ...ops, parameters: pathParameters(path) }
      }
    }
  }
  const sorted = (o: Json): Json => Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]))
  return { swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion }, paths: sorted(paths), definitions: sorted(definitions) }
}
