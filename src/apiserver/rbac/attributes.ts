// What an authorizer decides on (upstream's authorizer.Attributes), built from a request, and the
// Forbidden Status a denial becomes (responsewriters.ForbiddenStatusError).
import { StatusError, type StatusDetails } from '../errors.ts'
import type { ApiRequest, UserInfo } from '../request.ts'

export interface Attributes {
  user: UserInfo
  verb: string
  /** Resource requests; undefined for a non-resource request (a path). */
  resource?: { group: string, resource: string, subresource: string, namespace: string, name: string }
  path?: string
}

/**
 * RequestInfo's view of a request: a named namespace is its own namespace (a RoleBinding in
 * `foo` may grant `get namespaces` on `foo`).
 */
export function requestAttributes (req: ApiRequest): Attributes {
  const { info } = req
  const name = req.name ?? ''
  const namespace = info.group === '' && info.resource === 'namespaces' ? name : (req.namespace ?? '')
  return { user: req.user, verb: req.verb, resource: { group: info.group, resource: info.resource, subresource: req.subresource ?? '', namespace, name } }
}

/** authorizer's forbiddenMessage. */
export function forbiddenMessage (a: Attributes): string {
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
