// create, update (PUT) and the shared update path that patch and subresources reuse: the
// GuaranteedUpdate loop of upstream (read, transform, write at the read revision, retry).
import { clone, jsonEqual, rfc3339, semanticEqual, type KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import { conflict, isStatusError, notFound, StatusError } from '../errors.ts'
import { recordManager, type FieldSet } from '../managed-fields.ts'
import { toServed, toStored } from '../conversion.ts'
import type { ApiRequest, Reply } from '../request.ts'
import type { ApiContext } from './context.ts'
import { managerOf } from './field-manager.ts'
import { decodeBody } from './field-validation.ts'
import { asServed } from './output.ts'
import { bodyObject, carryOver, specOf, stampNew, statusWrite, validateOrThrow } from './prepare.ts'

const TTL_RESOURCES = new Set(['/events', 'events.k8s.io/events'])

/**
 * Create `body` (default: the request's). `applied`: a server-side apply that creates; its
 * manager owns exactly the applied fields, as an Apply entry, rather than what it sent as Update.
 */
export async function createObject (ctx: ApiContext, req: ApiRequest, body?: KubeObject, applied?: FieldSet): Promise<Reply<KubeObject>> {
  const { info } = req
  const decoded = decodeBody(ctx, req, body ?? bodyObject(ctx, req, 'shallow'))
  const obj = toStored(info, decoded.object)
  const strategy = ctx.strategyFor(info)
  stampNew(ctx, info, obj)
  if (info.namespaced) await checkNamespaceOpen(ctx, req.namespace!)
  strategy.defaults?.(obj)
  // With a status subresource, a create cannot set status (custom resources: none at all).
  if (strategy.status && info.subresources.some(s => s.name === 'status') && info.kind !== 'Node') {
    if (info.custom === true) delete obj.status
    else obj.status = {}
  }
  // As upstream's create handler: the request's manager owns what it sent, defaults included;
  // what admission and PrepareForCreate add after (a pod's service account, token volume,
  // priority, default tolerations, status) is nobody's.
  const entry = { manager: managerOf(req), apiVersion: obj.apiVersion!, time: rfc3339(ctx.clock.now()) }
  if (applied === undefined) recordManager(obj, undefined, { ...entry, operation: 'Update' })
  else obj.metadata.managedFields = [{ ...entry, operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: applied }]
  await ctx.admission.mutate(info, obj)
  const prepareWarnings: string[] = []
  await strategy.prepareForCreate?.(obj, { storage: ctx.storage, ids: ctx.ids, clock: ctx.clock, index: ctx.index, priorityClasses: ctx.priorityClasses, user: req.user, requestName: req.name, authorizer: ctx.authorizer, warnings: prepareWarnings })
  validateOrThrow(ctx, info, obj)
  const strategyWarnings = [...prepareWarnings, ...strategy.warningsOnCreate?.(obj) ?? []]
  const admissionWarnings = await ctx.admission.validate({ operation: 'create', info, obj, dryRun: req.options.dryRun === true })
  const warnings = withWarnings(decoded.warnings, [...strategyWarnings, ...admissionWarnings])
  if (req.options.dryRun === true) {
    if (await ctx.storage.tryGet(info, obj.metadata.namespace, obj.metadata.name!) !== undefined) {
      throw new StatusError(409, 'AlreadyExists', `${info.group === '' ? info.resource : `${info.resource}.${info.group}`} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, kind: info.resource })
    }
    return { status: 201, body: asServed(info, obj), warnings }
  }
  const lease = TTL_RESOURCES.has(`${info.group}/${info.resource}`) ? await ctx.eventLease() : undefined
  const created = await ctx.storage.create(info, obj, { lease })
  return { status: 201, body: asServed(info, created), warnings }
}

async function checkNamespaceOpen (ctx: ApiContext, namespace: string): Promise<void> {
  if (ctx.namespaces.phase(namespace) === 'Active') return
  const nsInfo = ctx.index.lookup('', 'v1', 'namespaces')!
  const ns = await ctx.storage.tryGet(nsInfo, undefined, namespace)
  if (ns === undefined) throw notFound(nsInfo, namespace)
  if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`,
      { name: namespace, kind: 'namespaces', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] })
  }
}

/** Produces the desired object from the current one; may throw a StatusError. */
export type Transform = (current: KubeObject) => KubeObject | Promise<KubeObject>

export interface UpdateOptions {
  /** Fail with 409 unless the stored resourceVersion is this one (PUT with metadata.resourceVersion). */
  expectRevision?: string
  /** Manager and operation recorded in managedFields. */
  manager: string
  operation?: 'Update' | 'Apply'
  /** Skip the managedFields bookkeeping (server-side apply does its own). */
  managedFieldsDone?: boolean
  /** The subresource admission sees, for writes served through the main object (scale, finalize). */
  admissionSubresource?: string
}

/** Read, transform, validate, write; retried on a write conflict unless a revision was required. */
export async function updateObject (ctx: ApiContext, req: ApiRequest, transform: Transform, options: UpdateOptions): Promise<Reply<KubeObject>> {
  return await updateStored(ctx, req, async current => toStored(req.info, await transform(toServed(req.info, clone(current)))), options)
}

/** The loop of updateObject; `desired` gets the stored object as it is (shared: not to be changed). */
async function updateStored (ctx: ApiContext, req: ApiRequest, desiredFor: (current: KubeObject) => Promise<KubeObject> | KubeObject, options: UpdateOptions): Promise<Reply<KubeObject>> {
  const { info } = req
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.storage.get(info, req.namespace, req.name!)
    if (options.expectRevision !== undefined && options.expectRevision !== current.metadata.resourceVersion) throw conflict(info, req.name!)
    const desired = await desiredFor(current)
    try {
      return await writeUpdate(ctx, req, current, desired, options)
    } catch (err) {
      // Someone wrote between our read and our write: read again and redo the change, as
      // upstream's GuaranteedUpdate does until it wins (each round, one writer of the key wins).
      if (err === storeMoved && options.expectRevision === undefined && attempt < MAX_ATTEMPTS) continue
      if (err === storeMoved) throw conflict(info, req.name!)
      throw err
    }
  }
}

/** The store's revision of the key moved after our read (not a precondition of the request). */
const storeMoved = new Error('the object was written since it was read')
const MAX_ATTEMPTS = 10_000

/** storage.update, its conflict told apart from the request's own preconditions. */
async function storeUpdate (ctx: ApiContext, info: ResourceInfo, next: KubeObject, current: KubeObject): Promise<KubeObject> {
  try {
    return await ctx.storage.update(info, next, Number(current.metadata.resourceVersion))
  } catch (err) {
    if (isStatusError(err, 409)) throw storeMoved
    throw err
  }
}

async function writeUpdate (ctx: ApiContext, req: ApiRequest, stored: KubeObject, desired: KubeObject, options: UpdateOptions): Promise<Reply<KubeObject>> {
  const { info } = req
  const strategy = ctx.strategyFor(info)
  // Upstream defaults what it decodes from etcd too: an object stored before a default existed
  // (by an older k3sim) compares with the update as defaulted, or an immutable field "changes".
  const current = strategy.defaults === undefined || statusWrite(strategy, req.subresource) ? stored : defaulted(stored, strategy.defaults)
  const uid = desired.metadata.uid
  if (uid !== undefined && uid !== '' && uid !== current.metadata.uid) {
    throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`, { name: req.name, kind: info.resource })
  }
  let next = carryOver(info, strategy, desired, current, req.subresource)
  if (!statusWrite(strategy, req.subresource)) {
    strategy.defaults?.(next)
    await strategy.prepareForUpdate?.(next, current, { storage: ctx.storage, ids: ctx.ids, clock: ctx.clock, user: req.user, requestName: req.name, authorizer: ctx.authorizer })
  }
  if (strategy.generation && specOf(next) !== specOf(current)) next.metadata.generation = (current.metadata.generation ?? 0) + 1
  validateOrThrow(ctx, info, next, current, req.subresource)
  const subresource = options.admissionSubresource ?? req.subresource
  const strategyWarnings = req.subresource === undefined ? strategy.warningsOnUpdate?.(next, current) ?? [] : []
  const warnings = withWarnings(undefined, [...strategyWarnings, ...await ctx.admission.validate({ operation: 'update', info, subresource, obj: next, old: current, dryRun: req.options.dryRun === true })])
  if (!options.managedFieldsDone) recordManager(next, current, { manager: options.manager, operation: options.operation ?? 'Update', apiVersion: next.apiVersion ?? current.apiVersion!, time: rfc3339(ctx.clock.now()), subresource }, { statusWritesMetadata: strategy.statusWritesMetadata })
  next.metadata.resourceVersion = current.metadata.resourceVersion
  if (unchanged(next, current)) return { status: 200, body: asServed(info, current), warnings }
  if (req.options.dryRun === true) return { status: 200, body: asServed(info, next), warnings }
  // Removing the last finalizer of an object being deleted deletes it (upstream's update path).
  const nsFinalizersLeft = info.group === '' && info.resource === 'namespaces' && ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0
  if (current.metadata.deletionTimestamp !== undefined && (current.metadata.deletionGracePeriodSeconds ?? 0) === 0 && (next.metadata.finalizers ?? []).length === 0 && !nsFinalizersLeft) {
    const written = await storeUpdate(ctx, info, next, current)
    await ctx.storage.delete(info, written)
    return { status: 200, body: asServed(info, written), warnings }
  }
  const written = await storeUpdate(ctx, info, next, current)
  return { status: 200, body: asServed(info, written), warnings }
}

/** The decoder's warnings, then admission's (none: undefined, as a reply without warnings has). */
function withWarnings (decoded: string[] | undefined, admission: string[]): string[] | undefined {
  if (admission.length === 0) return decoded
  return [...(decoded ?? []), ...admission]
}

/**
 * Equal apart from managedFields timestamps, the order of keys and null/[] versus absent: a
 * no-op write keeps the resourceVersion (upstream compares the bytes of the typed object,
 * encoded in Go's field order with omitempty).
 */
function unchanged (a: KubeObject, b: KubeObject): boolean {
  const { apiVersion: _aa, kind: _ak, metadata: { managedFields: fa, ...ma }, ...ra } = a
  const { apiVersion: _ba, kind: _bk, metadata: { managedFields: fb, ...mb }, ...rb } = b
  if (!semanticEqual(ra, rb) || !semanticEqual(ma, mb) || (fa ?? []).length !== (fb ?? []).length) return false
  // Ownership compares exactly: a fieldsV1 leaf is `{}`, which is a value here, not a nil.
  return (fa ?? []).every((e, i) => jsonEqual({ ...e, time: undefined }, { ...fb![i], time: undefined }))
}

export async function replaceObject (ctx: ApiContext, req: ApiRequest): Promise<Reply<KubeObject>> {
  const { object: body, warnings } = decodeBody(ctx, req, bodyObject(ctx, req, 'shallow'))
  const expect = body.metadata.resourceVersion
  const stored = toStored(req.info, body)
  const reply = await updateStored(ctx, req, () => stored, {
    expectRevision: expect === undefined || expect === '' ? undefined : expect,
    manager: managerOf(req),
  })
  return { ...reply, warnings: withWarnings(warnings, reply.warnings ?? []) }
}

export type { ResourceInfo }

/** A copy of the stored object with the strategy's defaults (the stored one is shared and frozen). */
function defaulted (stored: KubeObject, defaults: (obj: KubeObject) => void): KubeObject {
  const copy = clone(stored)
  defaults(copy)
  return copy
}
