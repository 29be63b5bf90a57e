// Who a service account token is, as upstream's service account token validator decides: this
// server's signature, still valid, one of the wanted audiences, its account still the one it was
// issued to, and the pod or secret it is bound to (a node, for a token bound to a node alone)
// still there with the same uid — deleted more than 60 s ago counts as gone. Anything else:
// "service account token has been invalidated" (a 401 over HTTPS). Successes are cached 10 s.
// Used by HTTPS authentication and by TokenReview.
import { LRUCache } from 'lru-cache'
import type { KubeObject } from '../api/object.ts'
import type { ApiContext } from './handlers/context.ts'
import type { UserInfo } from './request.ts'
import type { ObjectRef } from './service-account-tokens.ts'

const DELETION_GRACE_MS = 60_000

type Authenticated = { user: UserInfo, audiences: string[] }

/**
 * kube-apiserver caches successful token authentications for 10 s (TokenSuccessCacheTTL;
 * failures are not cached): a token's signature is checked once per 10 s, and a token whose
 * account or bound pod went away keeps working until its entry expires, as upstream.
 */
const SUCCESS_TTL_MS = 10_000
const caches = new WeakMap<ApiContext, LRUCache<string, { value: Authenticated, expires: number }>>()

export async function serviceAccountUser (ctx: ApiContext, token: string, audiences?: readonly string[]): Promise<Authenticated | undefined> {
  let cache = caches.get(ctx)
  if (cache === undefined) { cache = new LRUCache({ max: 4096 }); caches.set(ctx, cache) }
  const key = `${(audiences ?? []).join(',')}\n${token}`
  const now = ctx.clock.now()
  const hit = cache.get(key)
  if (hit !== undefined && hit.expires > now) return hit.value
  // A lookup that fails (an object the store cannot decode) leaves the token unauthenticated: a 401.
  const value = await validated(ctx, token, audiences).catch(() => undefined)
  if (value === undefined) cache.delete(key)
  else cache.set(key, { value, expires: now + SUCCESS_TTL_MS })
  return value
}

async function validated (ctx: ApiContext, token: string, audiences?: readonly string[]): Promise<{ user: UserInfo, audiences: string[] } | undefined> {
  const now = ctx.clock.now()
  const subject = ctx.tokens.verify(token, Math.floor(now / 1000), audiences)
  if (subject === undefined) return undefined
  const { namespace } = subject
  // The watch-fed map when it follows the store; else the store itself (never fail open).
  const accountUid = ctx.serviceAccounts.known()
    ? ctx.serviceAccounts.get(`${namespace}/${subject.serviceAccount}`)
    : (await lookup(ctx, 'serviceaccounts', namespace, subject.serviceAccount))?.metadata.uid
  if (accountUid === undefined || accountUid !== subject.uid) return undefined
  const alive = async (resource: string, ns: string | undefined, ref: ObjectRef): Promise<boolean> => {
    const obj = await lookup(ctx, resource, ns, ref.name)
    if (obj === undefined || obj.metadata.uid !== ref.uid) return false
    const deleted = obj.metadata.deletionTimestamp
    return deleted === undefined || Date.parse(deleted) >= now - DELETION_GRACE_MS
  }
  const { pod, secret, node } = subject.bound
  if (secret !== undefined && !await alive('secrets', namespace, secret)) return undefined
  if (pod !== undefined && !await alive('pods', namespace, pod)) return undefined
  if (pod === undefined && node !== undefined && !await alive('nodes', undefined, node)) return undefined
  const user: UserInfo = { name: subject.username, uid: subject.uid, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] }
  if (Object.keys(subject.extra).length > 0) user.extra = subject.extra
  return { user, audiences: subject.audiences }
}

async function lookup (ctx: ApiContext, resource: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  return await ctx.storage.tryGet(ctx.index.lookup('', 'v1', resource)!, namespace, name)
}
