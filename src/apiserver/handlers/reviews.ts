// The reviews that are answered, not stored (pkg/registry/authorization, authentication): access
// reviews decided by the authorizer, rules reviews listing what RBAC grants, SelfSubjectReview's
// user, TokenReview of this server's service account tokens.
import { clone, rfc3339 } from '../../api/object.ts'
import { groupVersion } from '../../api/resources.ts'
import { badRequest, StatusError, type StatusCause } from '../errors.ts'
import type { ApiRequest, Reply, UserInfo } from '../request.ts'
import type { Attributes } from '../rbac/attributes.ts'
import type { ApiContext } from './context.ts'
import { decodeTyped, typeErrorBadRequest } from '../schemas/typed.ts'
import { serviceAccountUser } from '../service-account-auth.ts'
import { aggregate } from '../rbac/rules.ts'

type Json = Record<string, any>

/** JSON null is Go's nil: absent. */
const present = (v: unknown): boolean => v !== undefined && v !== null

export async function review (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  if (req.body !== undefined && (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))) throw badRequest(`the body of the request must be a ${req.info.kind} object`)
  // Decoded as upstream decodes it into the typed struct: a wrong type is a 400.
  const decoded = decodeTyped(clone((req.body ?? {}) as Json), req.info.group, req.info.version, req.info.kind)
  if (decoded.typeError !== undefined) throw typeErrorBadRequest(req.info.kind, req.info.version, decoded.typeError)
  const body = decoded.object as Json
  const metadata: Json = body.metadata ?? {}
  if (req.info.namespaced) {
    if (present(metadata.namespace) && metadata.namespace !== '' && metadata.namespace !== req.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    metadata.namespace = req.namespace
  }
  const out: Json = { ...body, apiVersion: groupVersion(req.info), kind: req.info.kind, metadata: { creationTimestamp: null, ...metadata } }
  const spec: Json = body.spec ?? {}
  switch (req.info.resource) {
    case 'selfsubjectaccessreviews':
      checkAttributes(req, spec)
      out.status = await decide(ctx, req.user, spec)
      break
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      checkAttributes(req, spec)
      const user: UserInfo = { name: spec.user ?? '', uid: spec.uid ?? undefined, groups: spec.groups ?? [], extra: spec.extra ?? undefined }
      out.status = await decide(ctx, user, spec)
      break
    }
    case 'selfsubjectrulesreviews':
      if (String(spec.namespace ?? '') === '') throw badRequest('no namespace on request')
      // The reply is a new object: the request's spec is not echoed.
      out.spec = {}
      out.status = await rules(ctx, req.user, String(spec.namespace))
      break
    case 'selfsubjectreviews':
      // A new object, made now; nothing of the request is echoed.
      return { status: 201, body: { kind: req.info.kind, apiVersion: groupVersion(req.info), metadata: { creationTimestamp: rfc3339(ctx.clock.now()) }, status: { userInfo: userInfo(req.user) } } }
    default: {
      if (typeof spec.token !== 'string' || spec.token === '') throw badRequest('token is required for TokenReview in authentication')
      const wanted: string[] | undefined = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : undefined
      const found = await serviceAccountUser(ctx, spec.token, wanted)
      out.status = found === undefined
        ? { user: {} }
        : { authenticated: true, user: userInfo(found.user), audiences: found.audiences }
    }
  }
  return { status: 201, body: out }
}

function userInfo (user: UserInfo): Json {
  const u: Json = { username: user.name }
  if (user.uid !== undefined && user.uid !== '') u.uid = user.uid
  u.groups = user.groups
  if (user.extra !== undefined && Object.keys(user.extra).length > 0) u.extra = user.extra
  return u
}

/** SubjectAccessReviewStatus: allowed, and the authorizer's reason when it gave one. */
async function decide (ctx: ApiContext, user: UserInfo, spec: Json): Promise<Json> {
  const attributes: Attributes = present(spec.resourceAttributes)
    ? {
        user,
        verb: String(spec.resourceAttributes.verb ?? ''),
        resource: {
          group: String(spec.resourceAttributes.group ?? ''),
          resource: String(spec.resourceAttributes.resource ?? ''),
          subresource: String(spec.resourceAttributes.subresource ?? ''),
          namespace: String(spec.resourceAttributes.namespace ?? ''),
          name: String(spec.resourceAttributes.name ?? ''),
        },
      }
    : { user, verb: String(spec.nonResourceAttributes.verb ?? ''), path: String(spec.nonResourceAttributes.path ?? '') }
  const d = await ctx.authorizer.authorize(attributes)
  const status: Json = { allowed: d.allowed }
  if (d.reason !== '') status.reason = d.reason
  return status
}

/**
 * SubjectRulesReviewStatus: what RBAC grants cluster-wide and in the namespace, in resolver order,
 * neither compacted nor sorted (system:masters is an authorizer, not a rule resolver: its
 * members see the cluster-admin binding's rules).
 */
async function rules (ctx: ApiContext, user: UserInfo, namespace: string): Promise<Json> {
  const resourceRules: Json[] = []
  const nonResourceRules: Json[] = []
  const granted = await ctx.authorizer.rulesFor(user, namespace)
  for (const r of granted.rules) {
    if ((r.resources ?? []).length > 0) {
      const rule: Json = { verbs: r.verbs }
      if ((r.apiGroups ?? []).length > 0) rule.apiGroups = r.apiGroups
      rule.resources = r.resources
      if ((r.resourceNames ?? []).length > 0) rule.resourceNames = r.resourceNames
      resourceRules.push(rule)
    }
    if ((r.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })
  }
  const status: Json = { resourceRules, nonResourceRules, incomplete: granted.errors.length > 0 }
  if (granted.errors.length > 0) status.evaluationError = aggregate(granted.errors)
  return status
}

/**
 * NewInvalid(authorizationapi.Kind(obj.Kind), "", errs): the decoded internal object has no kind,
 * so upstream's message reads `.authorization.k8s.io "" is invalid: …`.
 */
function invalidReview (req: ApiRequest, causes: StatusCause[]): StatusError {
  const list = causes.map(c => `${c.field}: ${c.message}`)
  return new StatusError(422, 'Invalid', `.${req.info.group} "" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`, { group: req.info.group, causes })
}

const invalidCause = (field: string, value: unknown, message: string): StatusCause =>
  ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${value === undefined || value === null ? '"null"' : JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value))}: ${message}` })

/** ValidateSubjectAccessReviewSpec (and the Self/Local variants). */
function checkAttributes (req: ApiRequest, spec: Json): void {
  const causes: StatusCause[] = []
  if (present(spec.resourceAttributes) && present(spec.nonResourceAttributes)) {
    causes.push(invalidCause('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'))
  }
  if (!present(spec.resourceAttributes) && !present(spec.nonResourceAttributes)) {
    causes.push(invalidCause('spec.resourceAttributes', spec.nonResourceAttributes, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'))
  }
  const groups = Array.isArray(spec.groups) ? spec.groups : []
  if (req.info.resource !== 'selfsubjectaccessreviews' && (spec.user ?? '') === '' && groups.length === 0) {
    causes.push(invalidCause('spec.user', spec.user ?? '', 'at least one of user or group must be specified'))
  }
  if (req.info.resource === 'localsubjectaccessreviews') {
    if (present(spec.resourceAttributes) && (spec.resourceAttributes.namespace ?? '') !== (req.namespace ?? '')) {
      causes.push(invalidCause('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'))
    }
    if (present(spec.nonResourceAttributes)) causes.push(invalidCause('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'))
  }
  if (causes.length > 0) throw invalidReview(req, causes)
}
