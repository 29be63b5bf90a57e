// OpenAPI v3 component schemas for built-in kinds, built from client-node's type maps plus the
// generated descriptions, in upstream's shape: a field of a struct type is
// `{allOf: [{$ref}], description}`, lists are `{type: array, items}`, maps `{type: object,
// additionalProperties}`, and Time, MicroTime, IntOrString and Quantity are shared components.
import { BUILTIN_RESOURCES } from '../../api/resources.ts'
import { MODEL_DOCS } from './descriptions.generated.ts'
import { ANY_COMPONENTS, ANY_FIELDS, anyComponent, isQuantity, patchMeta } from './field-extensions.ts'
import { attributesOf, modelNameFor, reachableModels, type TypeRef } from './models.ts'
import { componentName, INT_OR_STRING, MICRO_TIME, QUANTITY, TIME } from './naming.ts'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })

/** Leaf components that are not client-node models. Descriptions as upstream words them. */
export const SCALAR_COMPONENTS: Record<string, Schema> = {
  [TIME]: { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.', type: 'string', format: 'date-time' },
  [MICRO_TIME]: { description: 'MicroTime is version of Time with microsecond level precision.', type: 'string', format: 'date-time' },
  [INT_OR_STRING]: { description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.', format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
  [QUANTITY]: { description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```", oneOf: [{ type: 'string' }, { type: 'number' }] },
}

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md'

/** Descriptions of struct-typed fields, which client-node's d.ts files do not carry. */
function refFieldDescription (model: string, json: string, type: TypeRef): string | undefined {
  if (json === 'metadata' && type.t === 'model' && type.name === 'V1ObjectMeta') return `Standard object's metadata. More info: ${CONVENTIONS}#metadata`
  const kind = gvksOf(model)?.[0]?.kind
  if (kind !== undefined && json === 'spec') return `Specification of the desired behavior of the ${kind}. More info: ${CONVENTIONS}#spec-and-status`
  if (kind !== undefined && json === 'status') return `Most recently observed status of the ${kind}. This data may not be up to date. Populated by the system. Read-only. More info: ${CONVENTIONS}#spec-and-status`
  // kubectl explain prints the field's description, then its type's; lacking the first, use the second.
  return type.t === 'model' ? MODEL_DOCS[type.name]?.d : undefined
}

/** The schema of a value of the given type (no description); `field` is the model and JSON name it is in. */
function typeSchema (type: TypeRef, field: [string, string]): Schema {
  switch (type.t) {
    case 'model': return ref(componentName(type.name))
    case 'array': return { type: 'array', items: typeSchema(type.items, field) }
    case 'map': return { type: 'object', additionalProperties: typeSchema(type.values, field) }
    case 'time': return ref(TIME)
    case 'microtime': return ref(MICRO_TIME)
    case 'intorstring': return ref(INT_OR_STRING)
    case 'any': {
      const component = anyComponent(...field)
      return component === undefined ? { 'x-kubernetes-preserve-unknown-fields': true } : ref(component)
    }
    case 'boolean': return { type: 'boolean' }
    case 'number': return type.format === 'int32' || type.format === 'int64' ? { type: 'integer', format: type.format } : { type: 'number', format: type.format === '' ? 'double' : type.format }
    case 'string':
      if (isQuantity(...field)) return ref(QUANTITY)
      return type.format === undefined ? { type: 'string' } : { type: 'string', format: type.format }
  }
}

function propertySchema (model: string, json: string, type: TypeRef): Schema {
  const inner = typeSchema(type, [model, json])
  const description = MODEL_DOCS[model]?.f?.[json] ?? refFieldDescription(model, json, type)
  const extra: Schema = {}
  if (description !== undefined) extra.description = description
  const patch = patchMeta(model, json)
  if (patch?.key !== undefined) extra['x-kubernetes-patch-merge-key'] = patch.key
  if (patch !== undefined) extra['x-kubernetes-patch-strategy'] = patch.strategy
  if (Object.keys(extra).length === 0) return inner
  // A $ref takes no siblings in OpenAPI 3.0; upstream wraps it in allOf to add a description.
  return '$ref' in inner ? { allOf: [inner], ...extra } : { ...inner, ...extra }
}

interface Gvk { group: string, kind: string, version: string }
let kindsByModel: Map<string, Gvk[]> | undefined

/** Model → the GVKs it serves (x-kubernetes-group-version-kind), from the built-in table. */
function gvksOf (model: string): Gvk[] | undefined {
  if (kindsByModel === undefined) {
    kindsByModel = new Map()
    for (const r of BUILTIN_RESOURCES) {
      const m = modelNameFor(r.group, r.version, r.kind)
      if (m !== undefined) kindsByModel.set(m, [...(kindsByModel.get(m) ?? []), { group: r.group, kind: r.kind, version: r.version }])
    }
  }
  return kindsByModel.get(model)
}

/** The component schema of one client-node model. */
export function modelSchema (model: string): Schema {
  const doc = MODEL_DOCS[model]
  const schema: Schema = {}
  if (doc?.d !== undefined) schema.description = doc.d
  schema.type = 'object'
  schema.properties = Object.fromEntries((attributesOf(model) ?? []).map(a => [a.json, propertySchema(model, a.json, a.type)]))
  if (doc?.r !== undefined) schema.required = doc.r
  const gvks = gvksOf(model)
  if (gvks !== undefined) schema['x-kubernetes-group-version-kind'] = gvks
  return schema
}

const cache = new Map<string, Record<string, Schema>>()

/**
 * Components for the given models and everything they reach, keyed by upstream name, plus the
 * scalar components. Cached: the result is shared, callers must not mutate it.
 */
export function componentsFor (models: string[]): Record<string, Schema> {
  const key = [...models].sort().join(',')
  let components = cache.get(key)
  if (components === undefined) {
    components = { ...SCALAR_COMPONENTS }
    for (const m of reachableModels(models)) {
      components[componentName(m)] = modelSchema(m)
      for (const name of Object.values(ANY_FIELDS[m] ?? {})) components[name] = ANY_COMPONENTS[name]!
    }
    cache.set(key, components)
  }
  return components
}
