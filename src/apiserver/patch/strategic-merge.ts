/**
 * Kubernetes strategic merge patch, ported from k8s.io/apimachinery pkg/util/strategicpatch
 * (StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls, as kube-apiserver
 * v1.32 applies `application/strategic-merge-patch+json`):
 * - maps merge key by key, `null` deletes a key, `{"$patch": "replace"|"delete"}` in a map
 *   replaces it / empties it;
 * - lists with `patchStrategy: merge` merge by their merge key (./merge-keys.ts) or, for
 *   primitives, as a set; `{"$patch": "delete", <key>: v}` removes an item, `{"$patch": "replace"}`
 *   replaces the list; other lists are replaced;
 * - `$setElementOrder/<list>`, `$retainKeys` and `$deleteFromPrimitiveList/<list>` directives.
 *
 * Values copied from the patch are cleaned as kube-apiserver's round trip through the typed
 * object would clean them: leftover `$` directive keys and null fields are dropped.
 * Kinds without a schema (custom resources) get JSON merge patch semantics.
 * Pure: inputs are cloned, then upstream's in-place algorithm runs on the copies.
 */
import { hasStrategicSchema, lookupField, rootSchema, type PatchMeta, type SchemaCursor } from './merge-keys.ts'
import { applyMergePatch } from './merge-patch.ts'
import {
  DIRECTIVE, errBadArgType, errBadPatchType, errNoMergeKey, mergeSlice, normalizeElementOrder, partition, sliceElementKind,
} from './strategic-lists.ts'
import { clone, goSprint, isMap, type Json, type JsonMap, kindOf, PatchError } from './support.ts'

const RETAIN_KEYS = '$retainKeys'
const SET_ELEMENT_ORDER = '$setElementOrder'
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList'

const hasOwn = (m: JsonMap, k: string): boolean => Object.prototype.hasOwnProperty.call(m, k)

/** extractKey: `$setElementOrder/containers` → `containers`. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/')
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw new PatchError(prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list', 400)
  }
  return s.slice(slash + 1)
}

/** removeDirectives: drops any map carrying `$patch` (and list items that are such maps). */
function removeDirectives(v: Json): [Json, boolean] {
  if (Array.isArray(v)) return [v.flatMap(x => { const [y, keep] = removeDirectives(x); return keep ? [y] : [] }), true]
  if (!isMap(v)) return [v, true]
  if (hasOwn(v, DIRECTIVE)) return [null, false]
  const out: JsonMap = {}
  for (const [k, x] of Object.entries(v)) {
    const [y, keep] = removeDirectives(x)
    if (keep) out[k] = y
  }
  return [out, true]
}

/** What decoding into the typed object keeps of a patch value: no `$` directive keys, no null fields. */
export function typedRoundTrip<T extends Json>(v: T): T {
  if (Array.isArray(v)) return v.map(typedRoundTrip) as T
  if (!isMap(v)) return v
  const out: JsonMap = {}
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = typedRoundTrip(x)
  return out as T
}

/** handleDirectiveInMergeMap */
function handleDirective(directive: Json, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    const rest = { ...patch }
    delete rest[DIRECTIVE]
    return typedRoundTrip(rest)
  }
  if (directive === 'delete') return {}
  throw errBadPatchType(directive, patch)
}

/** applyRetainKeysDirective: drop keys of `original` missing from `$retainKeys`; the patch may only set listed keys. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return
  const list = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(list)) throw new PatchError('invalid patch format of retainKeys', 400)
  const keep = new Set<Json>(list)
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue
    if (!keep.has(k)) throw new PatchError('invalid patch format of retainKeys', 400)
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k]
}

function mergeKeyValueEqual(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return left === right
  if (!isMap(left)) throw errBadArgType({}, left)
  if (!isMap(right)) throw errBadArgType({}, right)
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey)
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey)
  return left[mergeKey] === right[mergeKey]
}

/** validatePatchWithSetOrderList: the patch list (deletions aside) must follow the `$setElementOrder` order. */
function validateSetOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return
  let nonDelete = patchList
  if (mergeKey) {
    for (const v of patchList) if (!isMap(v)) throw errBadArgType({}, v)
    nonDelete = patchList.filter(v => (v as JsonMap)[DIRECTIVE] !== 'delete')
  }
  let pi = 0
  let si = 0
  while (pi < nonDelete.length && si < order.length) {
    const item = nonDelete[pi]
    if (isMap(item) && hasOwn(item, DIRECTIVE)) { pi++; continue }
    if (mergeKeyValueEqual(item, order[si], mergeKey)) pi++
    si++
  }
  if (pi < nonDelete.length && si >= order.length) {
    throw new PatchError(`the order in patch list:\n${goSprint(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goSprint(order)}`, 500)
  }
}

function mergeSliceHandler(original: Json[], patch: Json[], schema: SchemaCursor, meta: PatchMeta, isDeleteList: boolean, path: string): Json[] {
  // Delete lists are handled the same way whatever the field's patch strategy is.
  if (meta.strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, schema, meta.mergeKey ?? '', isDeleteList, path)
  return typedRoundTrip(patch)
}

/** mergePatchIntoOriginal: merge each `$setElementOrder/<list>` with its list, then impose that order. */
function applySetElementOrder(original: JsonMap, patch: JsonMap, schema: SchemaCursor, path: string): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue
    const order = patch[key]
    delete patch[key]
    if (!Array.isArray(order)) throw errBadArgType([], order)
    const listKey = extractKey(key, SET_ELEMENT_ORDER)
    const foundOriginal = hasOwn(original, listKey)
    const foundPatch = hasOwn(patch, listKey)
    const originalList = foundOriginal ? original[listKey] : []
    const patchList = foundPatch ? patch[listKey] : []
    if (!Array.isArray(originalList)) throw errBadArgType([], originalList)
    if (!Array.isArray(patchList)) throw errBadArgType([], patchList)
    const { meta, child } = lookupField(schema, listKey)
    const mergeKey = meta.mergeKey ?? ''
    validateSetOrder(patchList, order, mergeKey)
    let merged: Json[]
    if (foundOriginal && !foundPatch) merged = originalList
    else if (!foundOriginal && foundPatch) merged = typedRoundTrip(removeDirectives(patchList)[0] as Json[])
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, child, meta, false, join(path, listKey))
    else continue
    const [patchItems, serverOnly] = partition(merged, order, mergeKey)
    const kind = sliceElementKind(originalList, patchList)
    original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind)
    delete patch[listKey]
  }
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key)

/** mergeMap: merge `patch` into `original` in place (both private copies) and return the result. */
export function mergeMap(original: JsonMap | null, patch: JsonMap, schema: SchemaCursor, path: string): JsonMap {
  if (hasOwn(patch, DIRECTIVE)) return handleDirective(patch[DIRECTIVE], patch)
  const orig = original ?? {}
  applyRetainKeys(orig, patch)
  applySetElementOrder(orig, patch, schema, path)
  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey]
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)
    const k = isDeleteList ? extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST) : patchKey
    if (patchV === null) { delete orig[k]; continue }
    if (!hasOwn(orig, k) || kindOf(orig[k]) !== kindOf(patchV)) {
      // Not in the original (or of another type): take the patch value, minus nulls and directives.
      if (!isDeleteList) {
        const [v, keep] = removeDirectives(patchV)
        if (keep) orig[k] = typedRoundTrip(v)
        else delete orig[k]
      }
      continue
    }
    const { meta, child } = lookupField(schema, k)
    if (isMap(patchV)) {
      orig[k] = meta.strategy === 'replace' ? typedRoundTrip(patchV) : mergeMap(orig[k] as JsonMap, patchV, child, join(path, k))
    } else if (Array.isArray(patchV)) {
      orig[k] = mergeSliceHandler(orig[k] as Json[], patchV, child, meta, isDeleteList, join(path, k))
    } else {
      orig[k] = patchV
    }
  }
  return orig
}

/**
 * Applies a strategic merge patch to `doc`, an object of `kind`, returning a new object.
 * Kinds without a schema (see hasStrategicSchema), or an undefined kind, fall back to JSON merge patch; note that
 * kube-apiserver itself refuses strategic merge patches on custom resources with a 415.
 * Throws PatchError (code 400, 422 or 500, as kube-apiserver answers).
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string | undefined): Json {
  const root = kind === undefined ? undefined : rootSchema(kind)
  if (!root) return applyMergePatch(doc, patch)
  if (!isMap(doc as Json)) throw new PatchError('invalid JSON document', 400)
  if (patch === null) return clone(doc as Json) // json.Unmarshal of null leaves the patch map empty
  if (!isMap(patch as Json)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch
    throw new PatchError(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`, 400)
  }
  return mergeMap(clone(doc as JsonMap), clone(patch as JsonMap), root, '')
}

export { hasStrategicSchema }
