// Kubernetes objects as plain JSON, the way they travel on the wire. Only the metadata that
// the apiserver itself manages is typed; everything else is per-kind JSON.

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

/** A deep copy of JSON data (objects from the store or a cache are never mutated). A JSON round
 * trip: API objects are JSON by contract, and it is faster than structuredClone for them. */
export function clone<T> (v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v)) as T
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
