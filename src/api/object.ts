// Kubernetes objects as plain JSON, the way they travel on the wire. Only the metadata that
// the apiserver itself manages is typed; everything else is per-kind JSON.
import { jsonCopy } from './json-copy.ts'

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ManagedFieldsEntry {
  manager?: string
  operation?: 'Apply' | 'Update'
  apiVersion?: string
  time?: string
  fieldsType?: 'FieldsV1'
  fieldsV1?: Record<string, unknown>
  subresource?: string
}

export interface ObjectMeta {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string | null
  deletionTimestamp?: string
  deletionGracePeriodSeconds?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  managedFields?: ManagedFieldsEntry[]
  [field: string]: unknown
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  [field: string]: unknown
}

export function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * A deep copy of JSON data (objects from the store or a cache are never mutated): what a JSON
 * round trip gives (API objects are JSON by contract), without the text (json-copy.ts).
 */
export function clone<T> (v: T): T {
  return v === undefined ? v : jsonCopy(v) as T
}

/**
 * JSON.stringify(a) === JSON.stringify(b), without building the strings: same keys in the same
 * order (keys holding undefined left out), and undefined list items equal to null.
 */
export function jsonEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = definedKeys(a as Record<string, unknown>)
  const kb = definedKeys(b as Record<string, unknown>)
  if (ka.length !== kb.length) return false
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !jsonEqual((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false
  }
  return true
}

/**
 * Go's nil: absent, null, or an empty list (a nil and an empty slice are semantically equal). An
 * empty object stays a value: it may be a pointer to an empty struct (`securityContext: {}`),
 * which is not nil; without the Go types a map and a struct cannot be told apart.
 */
const isNil = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0)

/**
 * apimachinery's Semantic.DeepEqual for decoded JSON: object keys in any order, a key holding
 * null, undefined or [] the same as an absent one; lists compare item by item in order.
 * (jsonEqual is the byte-for-byte comparison; this one is for validation's "did it change".)
 */
export function semanticEqual (a: unknown, b: unknown): boolean {
  if (a === b || (isNil(a) && isNil(b))) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false
    return true
  }
  // for-in over decoded JSON (own keys only), no key arrays: this runs on every write (no-op check).
  const oa = a as Record<string, unknown>
  const ob = b as Record<string, unknown>
  for (const k in oa) if (!semanticEqual(oa[k], ob[k])) return false
  for (const k in ob) if (!(k in oa) && !isNil(ob[k])) return false
  return true
}

function definedKeys (o: Record<string, unknown>): string[] {
  const keys = Object.keys(o)
  for (const k of keys) if (o[k] === undefined) return keys.filter(k => o[k] !== undefined)
  return keys
}

/** "<namespace>/<name>" or "<name>": the key informers and workqueues use. */
export function objectKey (obj: { metadata: ObjectMeta }): string {
  const { namespace, name } = obj.metadata
  return namespace ? `${namespace}/${name}` : `${name}`
}

let lastSecond = NaN
let lastText = ''

/** RFC 3339 with seconds, as metav1.Time marshals: 2025-01-01T00:00:00Z. */
export function rfc3339 (ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z')
  }
  return lastText
}

/** RFC 3339 with microseconds, as metav1.MicroTime marshals: 2025-01-01T00:00:00.123456Z. */
export function rfc3339Micro (ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}
