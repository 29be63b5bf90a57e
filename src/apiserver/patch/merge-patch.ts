/**
 * RFC 7386 JSON merge patch, as gopkg.in/evanphx/json-patch.v4 MergePatch applies it for
 * `application/merge-patch+json`: objects merge key by key, `null` deletes a key, anything
 * else (arrays included) replaces. Values added where the document had nothing have their
 * nested nulls pruned (null array elements are kept). A patch that is not an object replaces
 * the whole document. Pure: inputs are never mutated.
 */
import { clone, isMap, type Json, type JsonMap, PatchError } from './support.ts'

/** pruneNulls: drop null-valued keys in objects, recursing into objects and arrays. */
function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(x => (x === null ? x : pruneNulls(x)))
  if (!isMap(v)) return v
  const out: JsonMap = {}
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = pruneNulls(x)
  return out
}

function mergeDocs(doc: JsonMap, patch: JsonMap): JsonMap {
  const out: JsonMap = { ...doc }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) { delete out[k]; continue }
    const cur = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : null
    if (cur === null) out[k] = pruneNulls(v)
    else if (!isMap(cur)) out[k] = pruneNulls(v)
    else out[k] = isMap(v) ? mergeDocs(cur, v) : v
  }
  return out
}

/** Applies a JSON merge patch, returning a new document. */
export function applyMergePatch(doc: unknown, patch: unknown): Json {
  if (!isMap(doc as Json)) throw new PatchError('Invalid JSON Document', 400)
  if (!isMap(patch as Json)) return clone(patch as Json)
  return clone(mergeDocs(doc as JsonMap, patch as JsonMap))
}
