/**
 * List handling of strategic merge patch, ported from k8s.io/apimachinery
 * pkg/util/strategicpatch/patch.go (v1.32): mergeSlice, the `$patch` list elements
 * (delete / replace / merge), primitive-list union and `$deleteFromPrimitiveList`, and the
 * order normalisation that `$setElementOrder` and patch order drive (normalizeElementOrder,
 * mergeSortedSlice). These functions work in place on private copies made by the caller.
 */
import { goSliceStable } from './go-sort.ts'
import type { SchemaCursor } from './merge-keys.ts'
import { mergeMap, typedRoundTrip } from './strategic-merge.ts'
import { goSprint, goSprintS, goTypeName, isMap, type Json, type JsonKind, type JsonMap, kindOf, PatchError } from './support.ts'

export const DIRECTIVE = '$patch'

export const errNoMergeKey = (m: JsonMap, key: string): PatchError =>
  new PatchError(`map: ${goSprint(m)} does not contain declared merge key: ${key}`, 500)
export const errBadArgType = (expected: Json, actual: Json | undefined): PatchError =>
  new PatchError(`expected a ${goTypeName(expected)}, but received a ${goTypeName(actual)}`, 500)
export const errBadPatchType = (t: Json, m: JsonMap): PatchError =>
  new PatchError(`unknown patch type: ${goSprintS(t)} in map: ${goSprint(m)}`, 500)

/** sliceElementType: the kind shared by every element of the given lists (lists of lists are refused). */
export function sliceElementKind(...slices: Json[][]): JsonKind {
  let prev: JsonKind | undefined
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v)
      if (prev === undefined) {
        if (k === 'slice') throw new PatchError('lists of lists are not supported', 422)
        prev = k
      } else if (prev !== k) {
        throw new PatchError(`list element types are not identical: ${goSprint(slices)}`, 500)
      }
    }
  }
  if (prev === undefined) throw new PatchError('no elements in any of the given slices', 500)
  return prev
}

/** findMapInSliceBasedOnKeyValue */
function findByKey(list: Json[], key: string, value: Json): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]
    if (!isMap(v)) throw new PatchError(`value for key ${i} is not a map`, 500)
    if (Object.prototype.hasOwnProperty.call(v, key) && v[key] === value) return i
  }
  return -1
}

/** index(): merge-key value for maps (nil when absent), the item itself otherwise. */
function indexIn(list: Json[], item: Json, mergeKey: string, kind: JsonKind): number {
  const val = (x: Json): Json => (kind === 'map' ? (isMap(x) ? x[mergeKey] ?? null : null) : x)
  const want = val(item)
  return list.findIndex(x => val(x) === want)
}

/** Items of `list` present (by merge key, or by value for primitives) in `by`, and the rest. */
export function partition(list: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const inPatch: Json[] = []
  const serverOnly: Json[] = []
  if (!mergeKey) {
    const set = new Set(by)
    for (const v of list) (set.has(v) ? inPatch : serverOnly).push(v)
    return [inPatch, serverOnly]
  }
  for (const v of list) {
    if (!isMap(v)) throw errBadArgType({}, v)
    if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey)
    ;(findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v)
  }
  return [inPatch, serverOnly]
}

const isDeleteItem = (v: Json): boolean => isMap(v) && v[DIRECTIVE] === 'delete'

/** normalizeSliceOrder: sort by `order`; for maps, `$patch: delete` items go last in their own order. */
function normalizeSliceOrder(toSort: Json[], order: Json[], mergeKey: string, kind: JsonKind): Json[] {
  let toDelete: Json[] = []
  let items = [...toSort]
  if (kind === 'map') {
    for (const item of [...items, ...order]) {
      if (!isMap(item)) throw errBadArgType({}, item)
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey)
    }
    toDelete = items.filter(isDeleteItem)
    items = items.filter(v => !isDeleteItem(v))
  }
  goSliceStable(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind)
    const ib = ia >= 0 ? indexIn(order, b, mergeKey, kind) : -1
    return ia >= 0 && ib >= 0 ? ia < ib : true
  })
  return [...items, ...toDelete]
}

/**
 * mergeSortedSlice: interleaves the server-only items (`left`) into the patch items (`right`),
 * keeping both relative orders, placing a left item first only when both are in the live order
 * and it comes earlier there.
 */
function mergeSortedSlice(left: Json[], right: Json[], serverOrder: Json[], mergeKey: string, kind: JsonKind): Json[] {
  const out: Json[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind)
      const ri = indexIn(serverOrder, right[j], mergeKey, kind)
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
      else out.push(right[j++])
    }
  }
  return out
}

/** normalizeElementOrder: patch items in patch order, server-only items in live order, interleaved. */
export function normalizeElementOrder(
  patchItems: Json[], serverOnly: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey: string, kind: JsonKind,
): Json[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind)
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind)
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind)
}

/** deduplicateScalars: upstream's in-place dedupe, which moves the last element into each duplicate's slot. */
function deduplicateScalars(s: Json[]): Json[] {
  const out = [...s]
  let length = out.length - 1
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (out[i] === out[j]) {
        out[j] = out[length]
        out.length = length
        length--
        j--
      }
    }
  }
  return out
}

/** mergeSliceWithSpecialElements: apply `$patch: delete` / `replace` elements, refuse `merge`. */
function applySpecialElements(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  let orig = [...original]
  const plain: Json[] = []
  let replace = false
  for (const v of patch) {
    const m = v as JsonMap
    if (!Object.prototype.hasOwnProperty.call(m, DIRECTIVE)) { plain.push(v); continue }
    const directive = m[DIRECTIVE]
    if (directive === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(m, mergeKey)) throw errNoMergeKey(m, mergeKey)
      // deleteMatchingEntries: every element with that merge-key value goes
      orig = orig.filter(x => findByKey([x], mergeKey, m[mergeKey]) < 0)
    } else if (directive === 'replace') {
      replace = true // keep going, to prune any other $patch elements
    } else if (directive === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch', 500)
    } else throw errBadPatchType(directive, m)
  }
  return replace ? [plain.map(typedRoundTrip), []] : [orig, plain]
}

/** mergeSlice: merge `patch` into `original` (both lists), by merge key for maps, as a set for primitives. */
export function mergeSlice(
  original: Json[], patch: Json[], schema: SchemaCursor, mergeKey: string, isDeleteList: boolean, path: string,
): Json[] {
  if (original.length === 0 && patch.length === 0) return original
  const kind = sliceElementKind(original, patch)
  let merged: Json[]
  if (kind !== 'map') {
    if (isDeleteList) {
      const drop = new Set(patch)
      return original.filter(v => !drop.has(v))
    }
    merged = deduplicateScalars([...original, ...patch])
  } else {
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${path}`, 500)
    ;[original, patch] = applySpecialElements(original, patch, mergeKey)
    merged = [...original]
    for (const v of patch) {
      const m = v as JsonMap
      if (!Object.prototype.hasOwnProperty.call(m, mergeKey)) throw errNoMergeKey(m, mergeKey)
      const at = findByKey(merged, mergeKey, m[mergeKey])
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, m, schema, path)
      else merged.push(typedRoundTrip(m))
    }
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey)
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind)
}
