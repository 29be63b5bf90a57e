// The reviews that are answered, not stored (pkg/registry/authorization, authentication): access
// reviews decided by the authorizer, rules reviews listing what RBAC grants, SelfSubjectReview's
// user, TokenReview of this server's service account tokens.
import { clone } from '../../api/object.ts'
import { groupVersion } from '../../api/resources.ts'
import { badRequest, StatusError, type StatusCause } from '../errors.ts'
import type { ApiRequest, Reply, UserInfo } from '../request.ts'
import type { Attributes } from '../rbac/attributes.ts'
import type { ApiContext } from './context.ts'

type Json = Record<string, any>

export async function review (ctx: ApiContext, req: ApiRequest, authenticateToken: (token: string) => UserInfo | undefined): Promise<Reply> {
  const body = clone((req.body ?? {}) as Json)
  const out: Json = { ...body, apiVersion: groupVersion(req.info), kind: req.info.kind, metadata: { creationTimestamp: null, ...(body.metadata ?? {}) } }
  const spec: Json = body.spec ?? {}
  switch (req.info.resource) {
    case 'selfsubjectaccessreviews':
      checkAttributes(req, spec)
      out.status = await decide(ctx, req.user, spec)
      break
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      checkAttributes(req, spec)
      const user: UserInfo = { name: spec.user ?? '', uid: spec.uid, groups: Array.isArray(spec.groups) ? spec.groups : [], extra: spec.extra }
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
      out.status = { userInfo: userInfo(req.user) }
      break
    default: {
      const user = typeof spec.token === 'string' && spec.token !== '' ? authenticateToken(spec.token) : undefined
      out.status = user === undefined
        ? { user: {} }
        : { authenticated: true, user: userInfo(user), audiences: ['https://kubernetes.default.svc.cluster.local', 'k3s'] }
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
  const attributes: Attributes = spec.resourceAttributes !== undefined
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
  if (granted.errors.length > 0) status.evaluationError = granted.errors.length === 1 ? granted.errors[0] : `[${granted.errors.join(', ')}]`
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
  if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined) {
    causes.push(invalidCause('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'))
  }
  if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined) {
    causes.push(invalidCause('spec.resourceAttributes', spec.nonResourceAttributes, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'))
  }
  const groups = Array.isArray(spec.groups) ? spec.groups : []
  if (req.info.resource !== 'selfsubjectaccessreviews' && (spec.user ?? '') === '' && groups.length === 0) {
    causes.push(invalidCause('spec.user', spec.user ?? '', 'at least one of user or group must be specified'))
  }
  if (req.info.resource === 'localsubjectaccessreviews') {
    if (spec.resourceAttributes !== undefined && (spec.resourceAttributes.namespace ?? '') !== (req.namespace ?? '')) {
      causes.push(invalidCause('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'))
    }
    if (spec.nonResourceAttributes !== undefined) causes.push(invalidCause('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'))
  }
  if (causes.length > 0) throw invalidReview(req, causes)
}
