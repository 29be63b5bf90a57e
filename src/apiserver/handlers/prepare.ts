// The steps every create and update share: checking the body against the request, server-set
// metadata, defaulting, status/spec separation, generation and validation.
import { clone, isObject, rfc3339, type KubeObject } from '../../api/object.ts'
import { groupVersion, parseApiVersion, type ResourceInfo } from '../../api/resources.ts'
import { badRequest, invalid, StatusError, type StatusCause } from '../errors.ts'
import type { ApiRequest } from '../request.ts'
import { validateMetadata } from '../validate-meta.ts'
import type { ApiContext } from './context.ts'
import type { Strategy } from '../strategies/strategy.ts'

/**
 * The body as a KubeObject for this request, or a 400 naming what is wrong. A copy: `deep` unless
 * the caller only decodes it (decodeBody copies the rest), else of the top level and metadata.
 */
export function bodyObject (ctx: ApiContext, req: ApiRequest, copy: 'deep' | 'shallow' = 'deep'): KubeObject {
  const body = req.body
  if (!isObject(body)) throw badRequest(`the body of the request must be a ${req.info.kind} object`)
  if (body.metadata !== undefined && !isObject(body.metadata)) throw badRequest('metadata must be an object')
  // A spread drops a prototype (and its toJSON): anything but plain objects takes the JSON copy.
  const shallow = copy === 'shallow' && plain(body) && (body.metadata === undefined || plain(body.metadata))
  const obj = (shallow ? { ...body, metadata: { ...body.metadata as object } } : clone(body)) as KubeObject
  obj.metadata ??= {}
  const { info } = req
  // Upstream decodes the body with the scheme: another served kind cannot be converted, an
  // unknown group/version/kind is not registered.
  const gv = obj.apiVersion === undefined ? { group: info.group, version: info.version } : parseApiVersion(String(obj.apiVersion))
  const kind = obj.kind === undefined ? info.kind : String(obj.kind)
  if (gv.group !== info.group) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(info)})`)
  }
  if (gv.version !== info.version || kind !== info.kind) {
    const served = ctx.index.byGroupVersionKind(gv.group, gv.version, kind)
    const detail = served !== undefined
      ? `converting (${gv.version}.${kind}) to (${info.group === '' ? 'core' : info.group.split('.')[0]}.${info.kind}): unknown conversion`
      : `no kind "${kind}" is registered for version "${obj.apiVersion ?? groupVersion(info)}" in scheme "pkg/api/legacyscheme/scheme.go:30"`
    if (!(served !== undefined && served.kind === info.kind && served.group === info.group)) {
      throw badRequest(`${kind} in version "${gv.version}" cannot be handled as a ${info.kind}: ${detail}`)
    }
  }
  obj.apiVersion = groupVersion(info)
  obj.kind = info.kind
  if (info.namespaced) {
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== '' && obj.metadata.namespace !== req.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    obj.metadata.namespace = req.namespace
  } else {
    delete obj.metadata.namespace
  }
  if (req.name !== undefined && obj.metadata.name !== undefined && obj.metadata.name !== req.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${req.name})`)
  }
  return obj
}

function plain (o: object): boolean {
  const proto = Object.getPrototypeOf(o)
  return (proto === Object.prototype || proto === null) && typeof (o as { toJSON?: unknown }).toJSON !== 'function'
}

/** Everything but metadata and status: what a change to bumps the generation. */
export function specOf (obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj
  return JSON.stringify(rest)
}

export function validateOrThrow (ctx: ApiContext, info: ResourceInfo, obj: KubeObject, old?: KubeObject, subresource?: string): void {
  const strategy = ctx.strategyFor(info)
  const causes: StatusCause[] = validateMetadata(obj, { namespaced: info.namespaced, nameIsLabel: strategy.nameIsLabel === true, nameIsPathSegment: strategy.nameIsPathSegment === true })
  causes.push(...(strategy.validate?.(obj) ?? []))
  const part = subresource === undefined ? undefined : strategy.specParts?.[subresource]
  if (old === undefined) causes.push(...(strategy.validateCreate?.(obj) ?? []))
  else if (part !== undefined) causes.push(...part.validateUpdate(obj, old))
  else causes.push(...(strategy.validateUpdate?.(obj, old) ?? []))
  if (causes.length > 0) throw invalid(info.group, info.kind, obj.metadata.name ?? '', causes)
}

/** Server-set metadata of a new object. */
export function stampNew (ctx: ApiContext, info: ResourceInfo, obj: KubeObject): void {
  const meta = obj.metadata
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') throw badRequest('resourceVersion should not be set on objects to be created')
  if (!meta.name) {
    if (!meta.generateName) {
      throw invalid(info.group, info.kind, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }])
    }
    meta.name = `${meta.generateName}${ctx.ids.suffix(5)}`
  }
  meta.uid = ctx.ids.uid()
  meta.creationTimestamp = rfc3339(ctx.clock.now())
  delete meta.deletionTimestamp
  delete meta.deletionGracePeriodSeconds
  delete meta.selfLink
  if (ctx.strategyFor(info).generation) meta.generation = 1
  else delete meta.generation
}

/** A write through `status` or one of the strategy's status parts: it changes the status only. */
export const statusWrite = (strategy: Strategy, subresource: string | undefined): boolean =>
  subresource === 'status' || (subresource !== undefined && strategy.statusParts?.[subresource] !== undefined)

/** Carry what an update may not change from the stored object. */
export function carryOver (info: ResourceInfo, strategy: Strategy, obj: KubeObject, old: KubeObject, subresource: string | undefined): KubeObject {
  if (obj.metadata.name !== undefined && obj.metadata.name !== old.metadata.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${old.metadata.name})`)
  }
  let next: KubeObject = obj
  const part = subresource === undefined ? undefined : strategy.statusParts?.[subresource]
  const specPart = subresource === undefined ? undefined : strategy.specParts?.[subresource]
  if (specPart !== undefined) {
    // The stored object (status and metadata too, as a status write's) with the body's part of the spec.
    next = { ...clone(old), metadata: statusWriteMetadata(obj, old, false) }
    next.spec = specPart.spec(obj.spec as Record<string, unknown> | undefined, clone(old.spec) as Record<string, unknown> | undefined)
  } else if (part !== undefined) {
    next = { ...clone(old), metadata: statusWriteMetadata(obj, old, false) }
    next.status = part(obj.status as Record<string, unknown> | undefined, old.status as Record<string, unknown> | undefined)
  } else if (subresource === 'status') {
    // A status write changes only the status (upstream status strategies copy spec and metadata;
    // Deployments' copies spec and labels only). The stored status is replaced, so only the rest
    // is copied; the keys keep their order (a no-op write must encode as the stored object did).
    const copy: Record<string, unknown> = {}
    for (const k of Object.keys(old)) {
      copy[k] = k === 'status' ? obj.status : k === 'metadata' ? statusWriteMetadata(obj, old, strategy.statusWritesMetadata === true) : clone(old[k])
    }
    if (!('status' in copy)) copy.status = obj.status
    next = copy as KubeObject
  } else if (strategy.status && info.subresources.some(s => s.name === 'status')) {
    next = { ...obj }
    if (old.status === undefined) delete next.status
    else next.status = clone(old.status)
  }
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace', 'name'] as const) {
    if (old.metadata[f] === undefined) delete next.metadata[f]
    else next.metadata[f] = old.metadata[f] as never
  }
  return next
}

/**
 * The metadata of a status write: the stored one with the body's resourceVersion (the
 * precondition) or, with `fromBody`, the body's with the stored labels, in the stored key order
 * (so a no-op write encodes as the stored object did), then what only the body has.
 */
function statusWriteMetadata (obj: KubeObject, old: KubeObject, fromBody: boolean): KubeObject['metadata'] {
  if (!fromBody) return { ...clone(old.metadata), resourceVersion: obj.metadata.resourceVersion }
  const from = obj.metadata as Record<string, unknown>
  const metadata: Record<string, unknown> = {}
  for (const k of Object.keys(old.metadata)) {
    if (k === 'labels') metadata.labels = old.metadata.labels
    else if (k in from) metadata[k] = from[k]
  }
  for (const k of Object.keys(from)) if (k !== 'labels' && !(k in metadata)) metadata[k] = from[k]
  return metadata as KubeObject['metadata']
}

export function isStatusError (err: unknown): err is StatusError { return err instanceof StatusError }
