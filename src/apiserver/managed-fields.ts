// managedFields bookkeeping (structured-merge-diff's FieldsV1 sets, simplified): every write
// records which manager set which fields, so server-side apply can report conflicts.
// Lists whose items carry a merge key are keyed `k:{"name":"web"}`; other lists are atomic.
import { isObject, jsonEqual, type KubeObject, type ManagedFieldsEntry } from '../api/object.ts'

export type FieldSet = { [k: string]: FieldSet }

/** Fields a manager never owns: identity and bookkeeping. */
const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'])
// Ports first: a named port is still keyed by its number and protocol, as structured-merge-diff's
// list-map keys for ServicePort and ContainerPort are.
const MERGE_KEYS = ['containerPort', 'port', 'name', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'uid', 'type']

export function listKey (item: unknown): string | undefined {
  if (!isObject(item)) return undefined
  for (const k of MERGE_KEYS) {
    if (item[k] !== undefined && typeof item[k] !== 'object') {
      const key: Record<string, unknown> = { [k]: item[k] }
      if (k === 'containerPort' || k === 'port') key.protocol = item.protocol ?? 'TCP'
      return `k:${JSON.stringify(key)}`
    }
  }
  return undefined
}

/** The FieldsV1 set of a value (leaves are `{}`); `.` marks an object item of a keyed list. */
export function fieldSetOf (value: unknown): FieldSet {
  const out: FieldSet = {}
  if (Array.isArray(value)) {
    // Loops, no entries arrays or closures: every create computes the whole object's set.
    const keys: string[] = []
    for (let i = 0; i < value.length; i++) {
      const key = listKey(value[i])
      if (key === undefined) return {}
      keys.push(key)
    }
    for (let i = 0; i < value.length; i++) out[keys[i]] = addFields({ '.': {} }, value[i])
    return out
  }
  return addFields(out, value)
}

/** `out` with `f:<key>` → the set of each of the object's values (nothing for a non-object). */
function addFields (out: FieldSet, value: unknown): FieldSet {
  if (!isObject(value)) return out
  for (const k in value) out[`f:${k}`] = fieldSetOf(value[k])
  return out
}

/** The fields of an object a manager can own: everything but identity, status (main resource) and type. */
export function objectFields (obj: KubeObject, subresource?: string): FieldSet {
  if (subresource === 'status') return obj.status === undefined ? {} : { 'f:status': fieldSetOf(obj.status) }
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj
  const meta = Object.fromEntries(Object.entries(metadata).filter(([k]) => !IGNORED_META.has(k)))
  // f:metadata first, as upstream's sets serialize.
  const out: FieldSet = Object.keys(meta).length > 0 ? { 'f:metadata': fieldSetOf(meta) } : {}
  return Object.assign(out, fieldSetOf(rest))
}

/** Leaf paths of a set, joined: for diffing and conflict messages. */
export function leafPaths (set: FieldSet, prefix = ''): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(set)) {
    if (k === '.') continue
    const path = `${prefix}.${k.startsWith('f:') ? k.slice(2) : `[${k.slice(2)}]`}`
    const children = Object.keys(v).filter(c => c !== '.')
    if (children.length === 0) out.push(path)
    else out.push(...leafPaths(v, path))
  }
  return out
}

/** Rebuild a set from leaf paths produced by leafPaths on the same kind of set. */
export function subtract (set: FieldSet, remove: FieldSet): FieldSet {
  const out: FieldSet = {}
  for (const [k, v] of Object.entries(set)) {
    if (remove[k] === undefined) { out[k] = v; continue }
    const rest = Object.keys(v).length === 0 ? undefined : subtract(v, remove[k])
    if (rest !== undefined && Object.keys(rest).some(c => c !== '.')) out[k] = rest
  }
  return out
}

export function union (a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = out[k] === undefined ? v : union(out[k], v)
  return out
}

/** Fields whose value differs between old and new (added or changed; removed ones are dropped from owners). */
export function changedFields (next: FieldSet, nextObj: unknown, prevObj: unknown): FieldSet {
  if (jsonEqual(nextObj, prevObj)) return {}
  if (Object.keys(next).length === 0) return {}
  const out: FieldSet = {}
  const nextChild = childrenOf(nextObj)
  const prevChild = childrenOf(prevObj)
  for (const [k, sub] of Object.entries(next)) {
    if (k === '.') continue
    const a = nextChild(k)
    const b = prevChild(k)
    if (b === undefined) { out[k] = sub; continue }
    const changed = changedFields(sub, a, b)
    if (Object.keys(sub).length === 0 ? !jsonEqual(a, b) : Object.keys(changed).length > 0) out[k] = changed
  }
  return out
}

/**
 * changedFields(fieldSetOf(nextObj), nextObj, prevObj), without building the field set of what
 * did not change: a Lease renewal visits spec.renewTime, not the whole object.
 */
export function changedValueFields (nextObj: unknown, prevObj: unknown): FieldSet {
  if (!isObject(nextObj)) return changedFields(fieldSetOf(nextObj), nextObj, prevObj)
  if (jsonEqual(nextObj, prevObj)) return {}
  const out: FieldSet = {}
  for (const [k, a] of Object.entries(nextObj)) {
    const b = isObject(prevObj) ? prevObj[k] : undefined
    if (b === undefined) { out[`f:${k}`] = fieldSetOf(a); continue }
    if (isLeaf(a)) { if (!jsonEqual(a, b)) out[`f:${k}`] = {}; continue }
    const changed = changedValueFields(a, b)
    if (Object.keys(changed).length > 0) out[`f:${k}`] = changed
  }
  return out
}

/** Whether fieldSetOf(value) is empty: a scalar, an empty object, an empty or atomic list. */
function isLeaf (value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0 || value.some(item => listKey(item) === undefined)
  return !isObject(value) || Object.keys(value).length === 0
}

/**
 * A value's child by set key: `f:name` of an object, `k:{...}` of a keyed list (its first item
 * with that key). A list is indexed once per call, not searched per key: a Service's 5,000
 * load-balancer IPs would otherwise cost 25 million key computations per status write.
 */
function childrenOf (value: unknown): (key: string) => unknown {
  if (Array.isArray(value)) {
    const byKey = new Map<string, unknown>()
    for (const item of value) {
      const k = listKey(item)
      if (k !== undefined && !byKey.has(k)) byKey.set(k, item)
    }
    return key => (key.startsWith('k:') ? byKey.get(key) : undefined)
  }
  return key => (key.startsWith('f:') && isObject(value) ? value[key.slice(2)] : undefined)
}

/**
 * Record a write by `entry.manager`: it now owns the fields it changed (all fields on create),
 * and other managers lose them. Entries with nothing left are dropped, as upstream does.
 */
export function recordManager (next: KubeObject, prev: KubeObject | undefined, entry: Omit<ManagedFieldsEntry, 'fieldsType' | 'fieldsV1'>, options: { statusWritesMetadata?: boolean } = {}): void {
  const sub = entry.subresource
  const withMeta = options.statusWritesMetadata === true
  const changed = prev === undefined ? objectFields(next, sub) : changedValueFields(stripForDiff(next, sub, withMeta), stripForDiff(prev, sub, withMeta))
  const entries = (prev?.metadata.managedFields ?? next.metadata.managedFields ?? []).map(e => ({ ...e }))
  const result: ManagedFieldsEntry[] = []
  let mine: ManagedFieldsEntry | undefined
  for (const e of entries) {
    if ((e.manager ?? '') === entry.manager && e.operation === entry.operation && (e.subresource ?? undefined) === sub) { mine = e; continue }
    const left = subtract((e.fieldsV1 ?? {}) as FieldSet, changed)
    if (Object.keys(left).length > 0) result.push({ ...e, fieldsV1: left })
  }
  if (Object.keys(changed).length > 0 || mine !== undefined) {
    const owned = union(mine === undefined ? {} : subtract((mine.fieldsV1 ?? {}) as FieldSet, {}), changed)
    // An empty manager (no fieldManager, no User-Agent) is left out, as Go's omitempty does.
    const e: ManagedFieldsEntry = { ...(entry.manager === '' ? {} : { manager: entry.manager }), operation: entry.operation, apiVersion: entry.apiVersion, time: Object.keys(changed).length > 0 || mine === undefined ? entry.time : mine.time, fieldsType: 'FieldsV1', fieldsV1: owned }
    if (sub !== undefined) e.subresource = sub
    if (Object.keys(owned).length > 0) result.push(e)
  }
  if (result.length > 0) next.metadata.managedFields = result
  else delete next.metadata.managedFields
}

/**
 * What objectFields covers, as a value in the same order (its field set is objectFields'). With
 * `statusWritesMetadata` (Deployments), a status write's metadata but the labels counts too:
 * upstream diffs the whole object after the strategy reset spec and labels.
 */
function stripForDiff (obj: KubeObject, sub?: string, statusWritesMetadata = false): unknown {
  if (sub === 'status') {
    const status = obj.status === undefined ? {} : { status: obj.status }
    if (!statusWritesMetadata) return status
    const meta = ownedMetadata(obj.metadata, 'labels')
    return Object.keys(meta).length > 0 ? { metadata: meta, ...status } : status
  }
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj
  const meta = ownedMetadata(metadata)
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest
}

/** The metadata fields a manager can own (set ones), `except` one more left out. */
function ownedMetadata (metadata: KubeObject['metadata'], except?: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).filter(([k, v]) => !IGNORED_META.has(k) && k !== except && v !== undefined))
}
