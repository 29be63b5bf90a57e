// The OpenAPI v2 (swagger 2.0) document of `GET /openapi/v2`, from the same schemas and paths as
// the v3 documents (../openapi.ts): components become definitions (`#/definitions/<name>`), a
// `$ref` wrapped in allOf to carry a description is unwrapped (swagger 2.0 lets them sit side
// by side), `oneOf` (IntOrString, Quantity) and what v2 cannot say (anyOf, not, nullable) are
// dropped as upstream's v2 publishing drops them, request bodies become `in: body` parameters.
// kubectl validates manifests of kinds the v3 documents do not list (a `kind: List` file, an
// unknown apiVersion) against these definitions.
import type { ResourceInfo } from '../../api/resources.ts'
import { openapiDocument } from '../openapi.ts'
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
      for (const [name, schema] of Object.entries(doc.components.schemas as Json)) definitions[name] ??= v2Schema(schema)
      for (const [path, item] of Object.entries(doc.paths as Json)) {
        const ops = Object.fromEntries(Object.entries(item as Json).map(([method, op]) => [method, v2Operation(op as Json)]))
        paths[path] = { ...ops, parameters: pathParameters(path) }
      }
    }
  }
  const sorted = (o: Json): Json => Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]))
  return { swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion }, paths: sorted(paths), definitions: sorted(definitions) }
}
