// Unknown-field detection for fieldValidation=Strict|Warn on built-in kinds, emulating the strict
// decoder of sigs.k8s.io/json that the apiserver uses: while decoding it keeps a field path
// (struct fields and map keys joined by ".", list indexes appended as "[i]") and records
// `unknown field "<path>.<key>"` for each key the Go struct does not have, in document order,
// without descending into the unknown value. Matching is case-sensitive (unlike encoding/json).
// Example: spec.template.spec.containers[0].imagePullPolicyy.
import { attributesOf, modelNameFor, type Attribute, type TypeRef } from './models.ts'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)

function walk (value: unknown, type: TypeRef, path: string, out: string[]): void {
  switch (type.t) {
    case 'model': {
      if (!isObject(value)) return
      const attrs = attributesOf(type.name) ?? []
      for (const [key, v] of Object.entries(value)) {
        const attr: Attribute | undefined = attrs.find(a => a.json === key)
        if (attr === undefined) out.push(join(path, key))
        else walk(v, attr.type, join(path, key), out)
      }
      return
    }
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => { walk(v, type.items, `${path}[${i}]`, out) })
      return
    case 'map':
      if (isObject(value)) for (const [key, v] of Object.entries(value)) walk(v, type.values, join(path, key), out)
  }
}

/**
 * The paths of the fields of `obj` that its built-in kind does not have, as upstream's strict
 * decoding errors name them (`spec.foo`, `spec.template.spec.containers[0].foo`,
 * `metadata.labelz`). Empty for kinds without a client-node model (custom resources: their CRD
 * schema decides) and for non-objects.
 */
export function unknownFields (obj: unknown, group: string, version: string, kind: string): string[] {
  const model = modelNameFor(group, version, kind)
  if (model === undefined) return []
  const out: string[] = []
  walk(obj, { t: 'model', name: model }, '', out)
  return out
}

/** One strict decoding error per field: `unknown field "spec.foo"` (also the Warn-mode warning text). */
export function unknownFieldError (path: string): string {
  return `unknown field ${JSON.stringify(path)}`
}

/**
 * runtime.NewStrictDecodingError's message:
 * `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`.
 */
export function strictErrorMessage (fields: string[]): string {
  return `strict decoding error: ${fields.map(unknownFieldError).join(', ')}`
}

/**
 * The message of the 400 BadRequest a create or update with fieldValidation=Strict gets:
 * `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`.
 */
export function strictDecodingBadRequest (kind: string, version: string, fields: string[]): string {
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${strictErrorMessage(fields)}`
}
