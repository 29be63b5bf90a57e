/**
 * RFC 6902 JSON patch, emulating gopkg.in/evanphx/json-patch.v4 (v4.12), which kube-apiserver
 * v1.32 uses for `application/json-patch+json`, including its error wording (pkg/errors style
 * `outer: inner`) and its leniencies:
 * - `replace` of a missing object key adds it (only missing array indices fail);
 * - `copy` from a missing object key copies null;
 * - negative array indices count from the end;
 * - `test` of an object passes when every key of the document's object equals the patch value's
 *   (extra keys in the patch value are not checked).
 * Pure: the input document is never mutated.
 */
import { clone, isMap, type Json, type JsonMap, PatchError } from './support.ts'

export interface JsonPatchOperation {
  op: string
  path: string
  from?: string
  value?: Json
}

/** kube-apiserver's maxJSONPatchOperations */
export const MAX_JSON_PATCH_OPERATIONS = 10000

type Container = JsonMap | Json[]
const MISSING = 'missing value'
const INVALID_INDEX = 'invalid index referenced'

/** A failed operation: 422 Unprocessable Entity, as kube-apiserver reports apply errors. */
const fail = (msg: string): PatchError => new PatchError(msg, 422)

/** RFC 6901 unescaping: `~1` → `/`, then `~0` → `~`. */
const decodeKey = (k: string): string => k.replaceAll('~1', '/').replaceAll('~0', '~')

/** strconv.Atoi */
function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) throw new Error(`strconv.Atoi: parsing "${key}": invalid syntax`)
  const n = Number(key)
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing "${key}": value out of range`)
  return n
}

/** findObject: walks all segments but the last (the first segment, before the leading '/', is skipped). */
function findObject(doc: Container, path: string): [Container, string] | undefined {
  const split = path.split('/')
  if (split.length < 2) return undefined
  let cur: Container = doc
  for (const part of split.slice(1, -1)) {
    let next: Json | undefined
    try {
      next = get(cur, decodeKey(part))
    } catch {
      return undefined
    }
    if (next === null || next === undefined || !(isMap(next) || Array.isArray(next))) return undefined
    cur = next
  }
  return [cur, decodeKey(split[split.length - 1])]
}

function get(con: Container, key: string): Json | undefined {
  if (!Array.isArray(con)) return Object.prototype.hasOwnProperty.call(con, key) ? con[key] : undefined
  const idx = atoi(key)
  if (idx >= con.length || idx < 0) throw new Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`)
  return con[idx]
}

function add(con: Container, key: string, val: Json): void {
  if (!Array.isArray(con)) { con[key] = val; return }
  if (key === '-') { con.push(val); return }
  let idx: number
  try {
    idx = atoi(key)
  } catch (e) {
    throw new Error(`value was not a proper array index: '${key}': ${(e as Error).message}`)
  }
  const size = con.length + 1
  if (idx >= size || idx < -size) throw new Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`)
  con.splice(idx < 0 ? idx + size : idx, 0, val)
}

function remove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!Object.prototype.hasOwnProperty.call(con, key)) throw new Error(`Unable to remove nonexistent key: ${key}: ${MISSING}`)
    delete con[key]
    return
  }
  const idx = atoi(key)
  if (idx >= con.length || idx < -con.length) throw new Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`)
  con.splice(idx < 0 ? idx + con.length : idx, 1)
}

/** Operation.Path() / From(): a missing or non-string field is an error. */
function field(op: JsonMap, name: 'path' | 'from'): string {
  const v = op[name]
  if (v === undefined || v === null) {
    throw new Error(name === 'path' ? `operation missing path field: ${MISSING}` : `operation, missing from field: ${MISSING}`)
  }
  if (typeof v !== 'string') throw new Error(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : isMap(v) ? 'object' : typeof v} into Go value of type string`)
  return v
}

/** evanphx's lazyNode.equal: objects compare one-sidedly (document keys only), scalars by value. */
function testEqual(docVal: Json, opVal: Json): boolean {
  if (isMap(docVal)) {
    if (!isMap(opVal)) return false
    return Object.keys(docVal).every(k => Object.prototype.hasOwnProperty.call(opVal, k) &&
      ((docVal[k] === null && opVal[k] === null) || (docVal[k] !== null && opVal[k] !== null && testEqual(docVal[k], opVal[k]))))
  }
  if (Array.isArray(docVal)) {
    return Array.isArray(opVal) && docVal.length === opVal.length &&
      docVal.every((x, i) => (x === null && opVal[i] === null) || (x !== null && opVal[i] !== null && testEqual(x, opVal[i])))
  }
  return docVal === opVal
}

function applyOne(doc: Container, op: JsonMap): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown'
  const wrap = <T>(fn: () => T, outer: string): T => {
    try {
      return fn()
    } catch (e) {
      throw fail(`${outer}: ${(e as Error).message}`)
    }
  }
  const value: Json = op.value === undefined ? null : op.value
  switch (kind) {
    case 'add': case 'remove': {
      const path = wrap(() => field(op, 'path'), `${kind} operation failed to decode path`)
      const found = findObject(doc, path)
      if (!found) throw fail(`${kind} operation does not apply: doc is missing path: "${path}": ${MISSING}`)
      if (kind === 'add') wrap(() => add(found[0], found[1], clone(value)), `error in add for path: '${path}'`)
      else wrap(() => remove(found[0], found[1]), `error in remove for path: '${path}'`)
      return
    }
    case 'replace': {
      const path = wrap(() => field(op, 'path'), 'replace operation failed to decode path')
      const found = findObject(doc, path)
      if (!found) throw fail(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`)
      const [con, key] = found
      if (Array.isArray(con)) {
        try { get(con, key) } catch { throw fail(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`) }
        con[Number(key)] = clone(value)
      } else con[key] = clone(value)
      return
    }
    case 'move': case 'copy': {
      const from = wrap(() => field(op, 'from'), `${kind} operation failed to decode from`)
      const src = findObject(doc, from)
      if (!src) throw fail(`${kind} operation does not apply: doc is missing from path: ${from}: ${MISSING}`)
      const outer = kind === 'move' ? `error in move for path: '${src[1]}'` : `error in copy for from: '${from}'`
      const val = wrap(() => get(src[0], src[1]), outer) ?? null
      if (kind === 'move') wrap(() => remove(src[0], src[1]), outer)
      const path = wrap(() => field(op, 'path'), `${kind} operation failed to decode path`)
      const dst = findObject(doc, path)
      if (!dst) throw fail(`${kind} operation does not apply: doc is missing destination path: ${path}: ${MISSING}`)
      const added = kind === 'move' ? val : clone(val)
      wrap(() => add(dst[0], dst[1], added), kind === 'move' ? `error in move for path: '${path}'` : 'error while adding value during copy')
      return
    }
    case 'test': {
      const path = wrap(() => field(op, 'path'), 'test operation failed to decode path')
      const found = findObject(doc, path)
      if (!found) throw fail(`test operation does not apply: is missing path: ${path}: ${MISSING}`)
      const val = wrap(() => get(found[0], found[1]), `error in test for path: '${path}'`) ?? null
      const hasValue = Object.prototype.hasOwnProperty.call(op, 'value')
      if (val === null ? hasValue && op.value === null : hasValue && op.value !== null && testEqual(val, op.value)) return
      throw fail(`testing value ${path} failed: test failed`)
    }
    default:
      throw fail(`Unexpected kind: ${kind}`)
  }
}

/**
 * Applies `ops` to `doc`, returning a new document. A malformed patch (not an array of
 * objects) is a 400, more than 10000 operations a 413, and an operation that does not apply
 * a 422, as kube-apiserver answers.
 */
export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  if (!Array.isArray(ops)) {
    throw new PatchError(`json: cannot unmarshal ${isMap(ops) ? 'object' : typeof ops} into Go value of type jsonpatch.Patch`, 400)
  }
  for (const op of ops) {
    if (!isMap(op as Json)) throw new PatchError(`json: cannot unmarshal ${Array.isArray(op) ? 'array' : typeof op} into Go value of type jsonpatch.Operation`, 400)
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`, 413)
  }
  if (!isMap(doc as Json) && !Array.isArray(doc)) throw new PatchError('invalid JSON document', 400)
  const out = clone(doc as Json) as Container
  for (const op of ops as JsonMap[]) applyOne(out, op)
  return out as unknown as T
}
