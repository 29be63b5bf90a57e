// Structural-schema handling of custom resources, the common cases of apiextensions-apiserver:
// defaulting (`default`), pruning of unknown fields (unless x-kubernetes-preserve-unknown-fields),
// and validation of type, required, enum, numeric and string bounds, pattern and array items,
// with upstream's messages ("spec.replicas: Invalid value: \"string\": spec.replicas in body must
// be of type integer: \"string\""). Nulls in fields that are not nullable are dropped, as upstream.
import { isObject } from '../../api/object.ts'
import type { StatusCause } from '../errors.ts'

type Json = Record<string, any>

export interface SchemaResult {
  value: unknown
  causes: StatusCause[]
  /** Fields dropped by pruning (for fieldValidation Strict / Warn). */
  unknown: string[]
}

const goValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v))

function typeName (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function typeMatches (schema: Json, v: unknown): boolean {
  if (v === null) return schema.nullable === true
  if (schema['x-kubernetes-int-or-string'] === true) return typeof v === 'string' || Number.isInteger(v)
  switch (schema.type) {
    case undefined: return true
    case 'object': return isObject(v)
    case 'array': return Array.isArray(v)
    case 'string': return typeof v === 'string'
    case 'integer': return Number.isInteger(v)
    case 'number': return typeof v === 'number'
    case 'boolean': return typeof v === 'boolean'
  }
  return true
}

export function applySchema (value: unknown, schema: Json | undefined, options: { prune: boolean }): SchemaResult {
  const causes: StatusCause[] = []
  const unknown: string[] = []
  const out = schema === undefined ? value : walk(value, schema, '', causes, unknown, options.prune)
  return { value: out, causes, unknown }
}

function invalid (path: string, v: unknown, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${goValue(v)}: ${message}` }
}

function walk (v: unknown, s: Json, path: string, causes: StatusCause[], unknown: string[], prune: boolean): unknown {
  const where = path === '' ? 'body' : `${path} in body`
  if (!typeMatches(s, v)) {
    // kube-openapi's InvalidType: the bad value shown is the JSON type's name; an int-or-string
    // field is of type "integer,string" (apiextensions' conversion of the schema).
    const type = s['x-kubernetes-int-or-string'] === true ? 'integer,string' : s.type
    const got = JSON.stringify(typeName(v))
    causes.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: ${got}: ${where} must be of type ${type}: ${got}` })
    return v
  }
  if (v === null) return v
  if (s.enum !== undefined && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(v))) {
    causes.push({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${goValue(v)}: supported values: ${s.enum.map(goValue).join(', ')}` })
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum)) causes.push(invalid(path, v, `${where} should be greater than ${s.exclusiveMinimum === true ? '' : 'or equal to '}${s.minimum}`))
    if (s.maximum !== undefined && (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum)) causes.push(invalid(path, v, `${where} should be less than ${s.exclusiveMaximum === true ? '' : 'or equal to '}${s.maximum}`))
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) causes.push(invalid(path, v, `${where} should be at least ${s.minLength} chars long`))
    if (s.maxLength !== undefined && v.length > s.maxLength) causes.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${s.maxLength} bytes` })
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) causes.push(invalid(path, v, `${where} should match '${s.pattern}'`))
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) causes.push(invalid(path, v, `${where} should have at least ${s.minItems} items`))
    if (s.maxItems !== undefined && v.length > s.maxItems) causes.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${v.length}: must have at most ${s.maxItems} items` })
    return s.items === undefined ? v : v.map((item, i) => walk(item, s.items, `${path}[${i}]`, causes, unknown, prune))
  }
  if (isObject(v)) return walkObject(v, s, path, causes, unknown, prune)
  return v
}

function walkObject (v: Json, s: Json, path: string, causes: StatusCause[], unknown: string[], prune: boolean): Json {
  const props: Json | undefined = s.properties
  const out: Json = {}
  const keep = s['x-kubernetes-preserve-unknown-fields'] === true
  for (const [k, child] of Object.entries(v)) {
    const childPath = path === '' ? k : `${path}.${k}`
    const childSchema: Json | undefined = props?.[k] ?? (isObject(s.additionalProperties) ? s.additionalProperties : undefined)
    // apiVersion, kind and metadata of the object itself are the apiserver's, not the schema's.
    if (path === '' && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) out[k] = child
    // A null the field's schema does not allow is dropped (then defaulted), as apiextensions'
    // PruneNonNullableNullsWithoutDefaults does, rather than refused.
    else if (child === null && childSchema !== undefined && childSchema.nullable !== true) continue
    else if (childSchema !== undefined) out[k] = walk(child, childSchema, childPath, causes, unknown, prune)
    else if (keep || s.additionalProperties === true || props === undefined) out[k] = child
    else if (prune) unknown.push(childPath)
    else out[k] = child
  }
  for (const [k, child] of Object.entries(props ?? {})) {
    if (out[k] === undefined && (child as Json).default !== undefined) out[k] = structuredClone((child as Json).default)
  }
  for (const r of (s.required ?? []) as string[]) {
    if (out[r] === undefined) causes.push({ reason: 'FieldValueRequired', field: path === '' ? r : `${path}.${r}`, message: 'Required value' })
  }
  return out
}
