// What an authorizer decides on (upstream's authorizer.Attributes), built from a request, and the
// Forbidden Status a denial becomes (responsewriters.ForbiddenStatusError).
import { StatusError, type StatusDetails } from '../errors.ts'
import type { ApiRequest, UserInfo } from '../request.ts'
import { parseFieldSelector, requiresExactMatch } from '../../api/fields.ts'

export interface Attributes {
  user: UserInfo
  verb: string
  /** Resource requests; undefined for a non-resource request (a path). */
  resource?: { group: string, resource: string, subresource: string, namespace: string, name: string }
  path?: string
}

export interface ResourceRequest { group: string, resource: string, subresource?: string, namespace?: string, name?: string, fieldSelector?: string }

/**
 * RequestInfo's view of a resource request: a named namespace is its own namespace (a
 * RoleBinding in `foo` may grant `get namespaces` on `foo`), and a list or watch whose field
 * selector pins metadata.name names that object (resourceNames rules then apply).
 */
export function resourceAttributes (user: UserInfo, verb: string, r: ResourceRequest): Attributes {
  let name = r.name ?? ''
  if (name === '' && (verb === 'list' || verb === 'watch') && r.fieldSelector !== undefined && r.fieldSelector !== '') {
    try {
      name = requiresExactMatch(parseFieldSelector(r.fieldSelector), 'metadata.name') ?? ''
    } catch { /* a bad selector is refused later, as upstream's handler refuses it */ }
  }
  let namespace = r.namespace ?? ''
  if (r.group === '' && r.resource === 'namespaces' && name !== '' && (r.name ?? '') !== '') namespace = name
  return { user, verb, resource: { group: r.group, resource: r.resource, subresource: r.subresource ?? '', namespace, name } }
}

/** The attributes of a request as the handler layer has it (the in-process client's). */
export function requestAttributes (req: ApiRequest): Attributes {
  return resourceAttributes(req.user, req.verb, { group: req.info.group, resource: req.info.resource, subresource: req.subresource, namespace: req.namespace, name: req.name, fieldSelector: req.options.fieldSelector })
}

/** responsewriters' sanitizer: the message may echo a path or names the client chose. */
export const sanitize = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** authorizer's forbiddenMessage (sanitized, as responsewriters.Forbidden writes it). */
export function forbiddenMessage (a: Attributes): string {
  return sanitize(rawForbiddenMessage(a))
}

function rawForbiddenMessage (a: Attributes): string {
  const who = JSON.stringify(a.user.name)
  if (a.resource === undefined) return `User ${who} cannot ${a.verb} path ${JSON.stringify(a.path ?? '')}`
  const r = a.resource
  const resource = r.subresource === '' ? r.resource : `${r.resource}/${r.subresource}`
  const where = r.namespace === '' ? 'at the cluster scope' : `in the namespace ${JSON.stringify(r.namespace)}`
  return `User ${who} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(r.group)} ${where}`
}

/** apimachinery's NewForbidden over the authorizer's message (and its reason, when it gave one). */
export function forbiddenError (a: Attributes, reason = ''): StatusError {
  const msg = reason === '' ? forbiddenMessage(a) : `${forbiddenMessage(a)}: ${reason}`
  return forbiddenStatus(a.resource?.group ?? '', a.resource?.resource ?? '', a.resource?.name ?? '', msg)
}

/** NewForbidden(groupResource, name, err). */
export function forbiddenStatus (group: string, resource: string, name: string, msg: string): StatusError {
  const qualified = resource === '' ? '' : group === '' ? resource : `${resource}.${group}`
  const message = qualified === '' ? `forbidden: ${msg}` : name === '' ? `${qualified} is forbidden: ${msg}` : `${qualified} ${JSON.stringify(name)} is forbidden: ${msg}`
  const details: StatusDetails = {}
  if (name !== '') details.name = name
  if (group !== '') details.group = group
  if (resource !== '') details.kind = resource
  return new StatusError(403, 'Forbidden', message, details)
}
