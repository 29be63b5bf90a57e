// Adapter over @kubernetes/client-node's generated model classes, as models.generated.ts records
// them (scripts/gen-schema-models.ts): each class's `attributeTypeMap` (JSON name and TypeScript
// type of every field), turned into our own TypeRef so the rest of schemas/ never sees
// client-node's types. The server does not import client-node itself at run time.
import { MODELS_JSON } from './models.generated.ts'

export interface Attribute {
  /** JSON field name (`$ref`, `default`, `x-kubernetes-list-type`). */
  json: string
  type: TypeRef
}

/** A field's type, parsed from client-node's type strings (`Array<V1Container>`, `{ [key: string]: string; }`). */
export type TypeRef =
  | { t: 'string' | 'boolean' | 'any' | 'time' | 'microtime' | 'intorstring', format?: string }
  | { t: 'number', format: string }
  | { t: 'array', items: TypeRef }
  | { t: 'map', values: TypeRef }
  | { t: 'model', name: string }

/** Per model, per field: [JSON name, TypeScript type, format, property name if not the JSON name]. */
export type RawModels = Record<string, Array<[string, string, string] | [string, string, string, string]>>

let raw: Map<string, RawModels[string]> | undefined
const parsed = new Map<string, Attribute[] | undefined>()

function rawModel (name: string): RawModels[string] | undefined {
  raw ??= new Map(Object.entries(JSON.parse(MODELS_JSON) as RawModels))
  return raw.get(name)
}

export function isModel (name: string): boolean {
  return rawModel(name) !== undefined
}

/** The fields of a model (`V1DeploymentSpec`), or undefined when client-node has no such class. */
export function attributesOf (model: string): Attribute[] | undefined {
  if (parsed.has(model)) return parsed.get(model)
  const attrs = rawModel(model)?.map(([json, type, format]) => ({ json, type: parseType(type, format) }))
  parsed.set(model, attrs)
  return attrs
}

/** Property name in the class (`_default`) → JSON name (`default`); the d.ts files use the former. */
export function jsonNames (model: string): Map<string, string> {
  return new Map((rawModel(model) ?? []).map(([json, , , name]) => [name ?? json, json]))
}

export function parseType (type: string, format = ''): TypeRef {
  const array = /^Array<(.+)>$/.exec(type)
  if (array !== null) return { t: 'array', items: parseType(array[1]!, format) }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type)
  if (map !== null) return { t: 'map', values: parseType(map[1]!, format) }
  switch (type) {
    case 'string': return format === '' ? { t: 'string' } : { t: 'string', format }
    case 'number': return { t: 'number', format }
    case 'boolean': return { t: 'boolean' }
    case 'Date': return { t: 'time' }
    case 'V1MicroTime': return { t: 'microtime' }
    case 'IntOrString': return { t: 'intorstring' }
    default: return isModel(type) ? { t: 'model', name: type } : { t: 'any' }
  }
}

/** `v1` → `V1`, `v1beta1` → `V1beta1`: the version prefix of client-node's class names. */
export function versionPrefix (version: string): string {
  return version.charAt(0).toUpperCase() + version.slice(1)
}

/** `''` → `Core`, `events.k8s.io` → `Events`: the prefix client-node adds when a kind's name is taken by several groups. */
export function groupPrefix (group: string): string {
  const first = group === '' ? 'core' : group.split('.')[0]!
  return first.charAt(0).toUpperCase() + first.slice(1)
}

/**
 * The client-node class for a built-in kind: apps/v1 Deployment → V1Deployment; core/v1 Event →
 * CoreV1Event and events.k8s.io/v1 Event → EventsV1Event (the generator prefixes the group when
 * two groups share a kind name); autoscaling/v2 HorizontalPodAutoscaler → V2HorizontalPodAutoscaler.
 * Undefined for kinds client-node does not know (custom resources).
 */
export function modelNameFor (group: string, version: string, kind: string): string | undefined {
  const v = versionPrefix(version)
  for (const name of [`${groupPrefix(group)}${v}${kind}`, `${v}${kind}`]) {
    const attrs = attributesOf(name)
    if (attrs?.some(a => a.json === 'kind') === true && attrs.some(a => a.json === 'apiVersion')) return name
  }
  return undefined
}

/** Every model a type refers to, directly or through arrays and maps. */
export function referencedModels (type: TypeRef): string[] {
  switch (type.t) {
    case 'model': return [type.name]
    case 'array': return referencedModels(type.items)
    case 'map': return referencedModels(type.values)
    default: return []
  }
}

/** The models reachable from the roots (roots first, then breadth-first), each once. */
export function reachableModels (roots: string[]): string[] {
  const seen = new Set<string>(roots)
  const order = [...roots]
  for (let i = 0; i < order.length; i++) {
    for (const a of attributesOf(order[i]!) ?? []) {
      for (const m of referencedModels(a.type)) {
        if (!seen.has(m)) { seen.add(m); order.push(m) }
      }
    }
  }
  return order
}
