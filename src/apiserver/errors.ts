// One error class for every API failure: it knows its Kubernetes Status body and HTTP code.
// Helpers word messages as the upstream apiserver does (k8s.io/apimachinery/pkg/api/errors).

export interface StatusCause { reason?: string, message?: string, field?: string }

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: StatusDetails
  code: number
}

export class StatusError extends Error {
  readonly code: number
  readonly reason: string
  readonly details?: StatusDetails

  constructor (code: number, reason: string, message: string, details?: StatusDetails) {
    super(message)
    this.name = 'StatusError'
    this.code = code
    this.reason = reason
    this.details = details
  }

  get status (): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code }
    // A plain error turned into a Status (ErrorToAPIStatus) has no reason: omitempty.
    if (this.reason === '') delete (s as { reason?: string }).reason
    if (this.details !== undefined) s.details = this.details
    return s
  }
}

/** What an error message names: `pods`, or `deployments.apps` for a non-core group. */
export interface Qualified { group: string, resource: string }

export const qualifiedName = (q: Qualified): string => (q.group === '' ? q.resource : `${q.resource}.${q.group}`)

const detailsOf = (q: Qualified, name?: string): StatusDetails => {
  const d: StatusDetails = {}
  if (name !== undefined) d.name = name
  if (q.group !== '') d.group = q.group
  d.kind = q.resource
  return d
}

export const notFound = (q: Qualified, name: string): StatusError =>
  new StatusError(404, 'NotFound', `${qualifiedName(q)} "${name}" not found`, detailsOf(q, name))

export const alreadyExists = (q: Qualified, name: string): StatusError =>
  new StatusError(409, 'AlreadyExists', `${qualifiedName(q)} "${name}" already exists`, detailsOf(q, name))

export const conflict = (q: Qualified, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(q)} "${name}": ${why}`, detailsOf(q, name))

/** 422 with field causes; `kind` is the Kind (upstream: `The Deployment "x" is invalid: ...`). */
export function invalid (group: string, kind: string, name: string, causes: StatusCause[]): StatusError {
  const list = causes.map(c => `${c.field}: ${c.message}`)
  const message = `${kind}${group === '' ? '' : `.${group}`} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`
  const details: StatusDetails = { name, kind, causes }
  if (group !== '') details.group = group
  return new StatusError(422, 'Invalid', message, details)
}

export const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message)

export const methodNotAllowed = (verb: string, q: Qualified): StatusError =>
  new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, { ...detailsOf(q), causes: [{ message: `${verb} is not supported` }] })

export const unsupportedMediaType = (contentType: string, accepted: string[], why?: string): StatusError =>
  new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, { causes: [{ message: why ?? `unsupported content type "${contentType}"` }] })

export const notAcceptable = (accepted: string[]): StatusError =>
  new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`)

export const expired = (message: string): StatusError => new StatusError(410, 'Expired', message)

export const gone = (message: string): StatusError => new StatusError(410, 'Gone', message)

export const unauthorized = (): StatusError => new StatusError(401, 'Unauthorized', 'Unauthorized')

export const forbidden = (user: string, verb: string, q: Qualified, namespace?: string, name?: string): StatusError => {
  const what = name === undefined ? qualifiedName(q) : `${qualifiedName(q)} "${name}"`
  const where = namespace === undefined || namespace === '' ? 'at the cluster scope' : `in the namespace "${namespace}"`
  return new StatusError(403, 'Forbidden', `${what} is forbidden: User "${user}" cannot ${verb} resource "${q.resource}" in API group "${q.group}" ${where}`, detailsOf(q, name))
}

/** admission.NewForbidden: an admission plugin refuses the object (`pods "x" is forbidden: <why>`). */
export const admissionForbidden = (q: Qualified, name: string, why: string): StatusError =>
  new StatusError(403, 'Forbidden', `${qualifiedName(q)} "${name}" is forbidden: ${why}`, detailsOf(q, name))

export const tooLarge = (limit: number): StatusError =>
  new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`)

export const internalError = (err: unknown): StatusError =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`, { causes: [{ message: err instanceof Error ? err.message : String(err) }] })

export const timeout = (message: string): StatusError => new StatusError(504, 'Timeout', message)

export function isStatusError (err: unknown, code?: number): err is StatusError {
  return err instanceof StatusError && (code === undefined || err.code === code)
}

/** For `.catch()`: a 404 becomes undefined (gone already, not there), anything else is rethrown. */
export function ignoreNotFound (err: unknown): undefined {
  if (isStatusError(err, 404)) return undefined
  throw err
}
