/**
 * Patch appliers for kube-apiserver's PATCH verb, one per content type:
 * - `application/json-patch+json` → applyJsonPatch (RFC 6902, evanphx/json-patch v4 semantics)
 * - `application/merge-patch+json` → applyMergePatch (RFC 7386)
 * - `application/strategic-merge-patch+json` → applyStrategicMergePatch (merge keys per kind
 *   and path from ./merge-keys.ts)
 * All are pure and dependency-free; failures throw PatchError carrying the HTTP code.
 */
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS, type JsonPatchOperation } from './json-patch.ts'
export { applyMergePatch } from './merge-patch.ts'
export { applyStrategicMergePatch, hasStrategicSchema } from './strategic-merge.ts'
export { listMapKeyTable, lookupPatchMeta, mergeKeyTable, type PatchMeta } from './merge-keys.ts'
export { PatchError, type Json, type JsonMap } from './support.ts'
