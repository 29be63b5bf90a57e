// POST serviceaccounts/<name>/token (TokenRequest): a bound service account token, as
// kube-apiserver's TokenREST issues it — `kubectl create token`, and the kubelet's projected
// `serviceAccountToken` volumes. The account must exist; a bound object (Pod, Secret or Node)
// must exist with the given uid; the expiry is 10 min to 2^32 s (default 1 h), and the kubelet's
// 3607 s pod tokens are extended to a year with a `warnafter`, as upstream's
// --service-account-extend-token-expiration does.
import { randomUUID } from 'node:crypto'
import type { KubeObject } from '../../api/object.ts'
import { rfc3339 } from '../../api/object.ts'
import { conflict, invalid, badRequest } from '../errors.ts'
import type { ApiRequest, Reply } from '../request.ts'
import { API_AUDIENCES, TOKEN_ISSUER } from '../service-account-tokens.ts'
import type { ApiContext } from './context.ts'
import { decodeTyped, typeErrorBadRequest } from '../schemas/typed.ts'

type Json = Record<string, any>

const WARN_ONLY_EXPIRATION = 3607
const EXTENDED_EXPIRATION = 365 * 24 * 3600
const BOUND_KINDS: Record<string, [string, string, boolean]> = { Pod: ['', 'pods', true], Secret: ['', 'secrets', true], Node: ['', 'nodes', false] }

export async function issueToken (ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('the body of the request must be a TokenRequest object')
  // Decoded as upstream decodes it into the typed struct: a wrong type is a 400.
  const decoded = decodeTyped(req.body, 'authentication.k8s.io', 'v1', 'TokenRequest')
  if (decoded.typeError !== undefined) throw typeErrorBadRequest('TokenRequest', 'v1', decoded.typeError)
  const body = decoded.object as Json
  const namespace = req.namespace!
  const account = await ctx.storage.get(req.info, namespace, req.name!)
  // Go decodes null as absent (kubectl create token sends nulls).
  const spec: Json = Object.fromEntries(Object.entries(body.spec ?? {}).filter(([, v]) => v !== null))
  spec.audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : API_AUDIENCES
  spec.expirationSeconds ??= 3600
  const seconds = spec.expirationSeconds
  const causes = []
  if (!Number.isInteger(seconds)) causes.push({ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${JSON.stringify(seconds)}: must be an integer` })
  else if (seconds < 600) causes.push({ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes` })
  else if (seconds > 2 ** 32) causes.push({ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds` })
  // The request's own name is empty (upstream validates the TokenRequest object, not the account).
  if (causes.length > 0) throw invalid('authentication.k8s.io', 'TokenRequest', '', causes)
  const ref = spec.boundObjectRef as Json | undefined
  if (ref !== undefined && BOUND_KINDS[ref.kind] === undefined) {
    throw badRequest(`cannot bind token to object of type ${String(ref.apiVersion ?? '').includes('/') ? ref.apiVersion : `/${ref.apiVersion ?? ''}`}, Kind=${ref.kind}`)
  }

  const claims: Json = { namespace, serviceaccount: { name: account.metadata.name, uid: account.metadata.uid } }
  if (ref !== undefined) {
    const bound = await boundObject(ctx, ref, namespace)
    claims[ref.kind.toLowerCase()] = { name: bound.metadata.name, uid: bound.metadata.uid }
    if (ref.kind === 'Pod' && ((bound.spec as Json | undefined)?.serviceAccountName ?? 'default') !== account.metadata.name) {
      throw badRequest(`cannot bind token for serviceaccount "${account.metadata.name}" to pod running with different serviceaccount name.`)
    }
    if (ref.kind === 'Pod') {
      const nodeName = (bound.spec as Json | undefined)?.nodeName
      const node = typeof nodeName === 'string' ? await ctx.storage.tryGet(ctx.index.lookup('', 'v1', 'nodes')!, undefined, nodeName) : undefined
      if (node !== undefined) claims.node = { name: node.metadata.name, uid: node.metadata.uid }
    }
    spec.boundObjectRef = { kind: ref.kind, apiVersion: ref.apiVersion ?? 'v1', name: bound.metadata.name, uid: bound.metadata.uid }
  }
  const now = Math.floor(ctx.clock.now() / 1000)
  const requested = now + seconds
  let exp = requested
  // --service-account-extend-token-expiration: the kubelet's pod tokens for the API itself live
  // a year, with a warning time at the requested expiry; the response still says the requested one.
  if (seconds === WARN_ONLY_EXPIRATION && ref?.kind === 'Pod' && (spec.audiences as string[]).every(a => API_AUDIENCES.includes(a))) {
    claims.warnafter = requested
    exp = now + EXTENDED_EXPIRATION
  }
  const token = ctx.tokens.sign({
    aud: spec.audiences,
    exp,
    iat: now,
    iss: TOKEN_ISSUER,
    jti: randomUUID(),
    'kubernetes.io': claims,
    nbf: now,
    sub: `system:serviceaccount:${namespace}:${account.metadata.name}`,
  })
  return {
    status: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: account.metadata.name, namespace, creationTimestamp: null },
      spec,
      status: { token, expirationTimestamp: rfc3339(requested * 1000) },
    },
  }
}

async function boundObject (ctx: ApiContext, ref: Json, namespace: string): Promise<KubeObject> {
  const [group, resource, namespaced] = BOUND_KINDS[ref.kind]
  const info = ctx.index.lookup(group, 'v1', resource)!
  const obj = await ctx.storage.get(info, namespaced ? namespace : undefined, String(ref.name ?? ''))
  if (typeof ref.uid === 'string' && ref.uid !== '' && ref.uid !== obj.metadata.uid) {
    throw conflict({ group: '', resource: ref.kind }, obj.metadata.name!, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`)
  }
  return obj
}
