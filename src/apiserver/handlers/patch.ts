// PATCH in its four types. JSON, merge and strategic patches transform the stored object and go
// through the ordinary update path; server-side apply merges the applied configuration and
// keeps per-manager field ownership, refusing (409) to take fields another manager set.
import { withListMapKeys } from './apply-lists.ts'
import { clone, isObject, rfc3339, type KubeObject, type ManagedFieldsEntry } from '../../api/object.ts'
import { badRequest, isStatusError, StatusError, unsupportedMediaType } from '../errors.ts'
import { leafPaths, objectFields, subtract, union, type FieldSet } from '../managed-fields.ts'
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.ts'
import type { ApiRequest, Reply } from '../request.ts'
import type { ApiContext } from './context.ts'
import { managerOf } from './field-manager.ts'
import { bodyObject } from './prepare.ts'
import { decodeTyped, typeErrorBadRequest } from '../schemas/typed.ts'
import { createObject, updateObject } from './write.ts'
import { decodePatched } from './field-validation.ts'

function invalidPatchOptions (field: string, reason: string, message: string): StatusError {
  return new StatusError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason, message, field }] })
}

const CUSTOM_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']

/** apiextensions serves no strategic merge patch (415): a custom resource has no patch strategies. */
export function refuseStrategicOnCustom (req: ApiRequest): void {
  if (req.patchType === 'strategic' && req.info.custom === true) throw unsupportedMediaType('application/strategic-merge-patch+json', CUSTOM_PATCH_TYPES)
}

export async function patchObject (ctx: ApiContext, req: ApiRequest): Promise<Reply<KubeObject>> {
  // Upstream's ValidatePatchOptions.
  if (req.patchType === 'apply' && !req.options.fieldManager) throw invalidPatchOptions('fieldManager', 'FieldValueRequired', 'Required value: is required for apply patch')
  if (req.patchType !== 'apply' && req.options.force !== undefined) throw invalidPatchOptions('force', 'FieldValueForbidden', 'Forbidden: may not be specified for non-apply patch')
  if (req.patchType === 'apply') return applyObject(ctx, req)
  const patch = req.body
  const manager = managerOf(req)
  let warnings: string[] = []
  const reply = await updateObject(ctx, req, current => {
    let next: unknown
    try {
      if (req.patchType === 'json') {
        if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
        next = applyJsonPatch(current, patch)
      } else if (req.patchType === 'merge') {
        next = applyMergePatch(current, patch)
      } else {
        next = applyStrategicMergePatch(current, patch, req.info.custom === true ? undefined : req.info.kind)
      }
    } catch (err) {
      if (isStatusError(err)) throw err
      throw new StatusError(422, 'Invalid', err instanceof Error ? err.message : String(err))
    }
    if (!isObject(next)) throw badRequest('the patch must produce an object')
    const decoded = decodePatched(ctx, req, next as KubeObject)
    const obj = decoded.object
    warnings = decoded.warnings
    // A patch naming a resourceVersion is a precondition on it (upstream's optimistic concurrency).
    if (isObject(patch) && isObject(patch.metadata) && typeof patch.metadata.resourceVersion === 'string' && patch.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${req.info.group === '' ? req.info.resource : `${req.info.resource}.${req.info.group}`} "${req.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: req.name, kind: req.info.resource })
    }
    return obj
  }, { manager })
  const all = [...warnings, ...(reply.warnings ?? [])]
  return { ...reply, warnings: all.length > 0 ? all : undefined }
}

/** Server-side apply (PATCH with application/apply-patch+yaml). */
async function applyObject (ctx: ApiContext, req: ApiRequest): Promise<Reply<KubeObject>> {
  const manager = req.options.fieldManager
  if (!manager) throw badRequest('PATCH is not supported for apply requests without a fieldManager: fieldManager is required for apply requests')
  const config = bodyObject(ctx, req)
  if (config.metadata.name === undefined) config.metadata.name = req.name
  // A value of the wrong type is refused before it is merged into anything (a list where a map
  // should be would otherwise reach the merge and the defaults).
  if (req.info.custom !== true) {
    const typed = decodeTyped(config, req.info.group, req.info.version, req.info.kind)
    if (typed.typeError !== undefined) throw typeErrorBadRequest(req.info.kind, req.info.version, typed.typeError)
  }
  const applied = objectFields(config)
  const time = rfc3339(ctx.clock.now())
  const existing = await ctx.storage.tryGet(req.info, req.namespace, req.name!)
  if (existing === undefined) {
    const created = clone(config)
    delete created.metadata.managedFields
    const r = await createObject(ctx, { ...req, verb: 'create', body: created }, created, applied)
    return { status: 201, body: r.body, warnings: r.warnings }
  }
  return updateObject(ctx, req, current => {
    const entries = current.metadata.managedFields ?? []
    const mine = entries.find(e => e.manager === manager && e.operation === 'Apply' && e.subresource === undefined)
    const conflicts = findConflicts(entries, manager, applied, config, current)
    const force = req.options.force === true || (conflicts.length > 0 && migratesClientSideApply(manager, conflicts, current))
    if (conflicts.length > 0 && !force) throw applyConflict(manager === 'kubectl' ? conflicts.filter(c => !lastApplied(current).has(c.path)) : conflicts)
    // Fields this manager applied before but no longer mentions, and nobody else owns, go away.
    const dropped = mine === undefined ? {} : subtract((mine.fieldsV1 ?? {}) as FieldSet, applied)
    let base = clone(current)
    for (const path of leafPaths(dropped)) {
      if (!entries.some(e => e !== mine && leafPaths((e.fieldsV1 ?? {}) as FieldSet).includes(path))) base = removePath(base, path)
    }
    const kind = req.info.custom === true ? undefined : req.info.kind
    const merged = applyStrategicMergePatch(base, withListMapKeys(clone(config), base, kind), kind) as KubeObject
    const others: ManagedFieldsEntry[] = []
    for (const e of entries) {
      if (e === mine) continue
      const left = force ? subtract((e.fieldsV1 ?? {}) as FieldSet, applied) : (e.fieldsV1 ?? {}) as FieldSet
      if (Object.keys(left).length > 0) others.push({ ...e, fieldsV1: left })
    }
    const mineNext: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: config.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: union({}, applied) }
    merged.metadata.managedFields = [...others, mineNext]
    return merged
  }, { manager, operation: 'Apply', managedFieldsDone: true })
}

interface Conflict { manager: string, id: string, path: string }

/**
 * Upstream's printManager over the manager identifier (its entry without time and fields, and
 * without apiVersion for appliers): `"name"`, then `with subresource "scale"`, then for updaters
 * `using apps/v1`.
 */
function printManager (e: ManagedFieldsEntry): string {
  // (Several managers are listed in the order of their identifiers' JSON: see managerId.)
  let out = JSON.stringify(e.manager ?? '')
  if (e.subresource !== undefined && e.subresource !== '') out += ` with subresource ${JSON.stringify(e.subresource)}`
  return e.operation === 'Update' ? `${out} using ${e.apiVersion ?? ''}` : out
}

/** BuildManagerIdentifier: the entry's JSON without time and fields (and apiVersion for appliers). */
function managerId (e: ManagedFieldsEntry): string {
  const nonEmpty = (v: string | undefined): string | undefined => (v === '' ? undefined : v)
  return JSON.stringify({ manager: nonEmpty(e.manager), operation: nonEmpty(e.operation), apiVersion: e.operation === 'Apply' ? undefined : nonEmpty(e.apiVersion), subresource: nonEmpty(e.subresource) })
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** The leaf paths of the object's client-side apply annotation (none without one). */
function lastApplied (live: KubeObject): Set<string> {
  const text = live.metadata.annotations?.[LAST_APPLIED]
  if (text === undefined || text === '') return new Set()
  try {
    const obj = JSON.parse(text) as unknown
    return isObject(obj) && isObject(obj.metadata) ? new Set(leafPaths(objectFields(obj as unknown as KubeObject))) : new Set()
  } catch {
    return new Set()
  }
}

/**
 * Upstream's lastAppliedManager: `kubectl apply --server-side` (manager "kubectl") over an object
 * made with client-side apply takes the fields its last-applied annotation lists without
 * conflict; any other conflict still stands.
 */
function migratesClientSideApply (manager: string, conflicts: Conflict[], live: KubeObject): boolean {
  if (manager !== 'kubectl') return false
  const allowed = lastApplied(live)
  return conflicts.every(c => allowed.has(c.path))
}

function findConflicts (entries: ManagedFieldsEntry[], manager: string, applied: FieldSet, config: KubeObject, live: KubeObject): Conflict[] {
  const out: Conflict[] = []
  const want = new Set(leafPaths(applied))
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue
    // Status writers own status fields, which an apply to the object itself resets, never sets.
    if (e.subresource === 'status') continue
    for (const path of leafPaths((e.fieldsV1 ?? {}) as FieldSet)) {
      if (!want.has(path)) continue
      if (JSON.stringify(valueAt(config, path)) !== JSON.stringify(valueAt(live, path))) out.push({ manager: printManager(e), id: managerId(e), path })
    }
  }
  return out
}

function applyConflict (conflicts: Conflict[]): StatusError {
  const causes = conflicts.map(c => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.path }))
  let message: string
  if (conflicts.length === 1) {
    const c = conflicts[0]
    message = `Apply failed with 1 conflict: conflict with ${c.manager}: ${c.path}`
  } else {
    const byManager = new Map<string, Conflict[]>()
    for (const c of conflicts) byManager.set(c.id, [...(byManager.get(c.id) ?? []), c])
    const ids = [...byManager.keys()].sort()
    message = `Apply failed with ${conflicts.length} conflicts: ` + ids.map(id => { const list = byManager.get(id)!; return `conflicts with ${list[0].manager}:\n${list.map(c => `- ${c.path}`).join('\n')}` }).join('\n')
  }
  return new StatusError(409, 'Conflict', message, { causes })
}

/** Walk a leafPaths path (`.spec.containers[{"name":"a"}].image`) through an object. */
function valueAt (obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const seg of splitPath(path)) {
    if (seg.startsWith('[')) {
      const key = JSON.parse(seg.slice(1, -1)) as Record<string, unknown>
      cur = Array.isArray(cur) ? cur.find(item => isObject(item) && Object.entries(key).every(([k, v]) => (item[k] ?? (k === 'protocol' ? 'TCP' : undefined)) === v)) : undefined
    } else {
      cur = isObject(cur) ? cur[seg] : undefined
    }
  }
  return cur
}

function removePath (obj: KubeObject, path: string): KubeObject {
  const segs = splitPath(path)
  const last = segs.pop()!
  const parent = valueAt(obj, segs.map(s => (s.startsWith('[') ? s : `.${s}`)).join(''))
  if (isObject(parent) && !last.startsWith('[')) delete parent[last]
  return obj
}

function splitPath (path: string): string[] {
  const out: string[] = []
  const re = /\.([^.[]+)|(\[\{.*?\}\])/g
  for (let m = re.exec(path); m !== null; m = re.exec(path)) out.push(m[1] ?? m[2])
  return out
}
