// Who a service account token is: this server's signature, still valid, and its account still the
// one it was issued to (deleted, or deleted and recreated: refused). Used by HTTPS
// authentication and by TokenReview.
import type { ApiContext } from './handlers/context.ts'
import type { UserInfo } from './request.ts'

export function serviceAccountUser (ctx: ApiContext, token: string): UserInfo | undefined {
  const subject = ctx.tokens.verify(token, Math.floor(ctx.clock.now() / 1000))
  if (subject === undefined) return undefined
  if (ctx.serviceAccounts.known() && ctx.serviceAccounts.get(`${subject.namespace}/${subject.serviceAccount}`) !== subject.uid) return undefined
  const user: UserInfo = { name: subject.username, uid: subject.uid, groups: ['system:serviceaccounts', `system:serviceaccounts:${subject.namespace}`, 'system:authenticated'] }
  if (Object.keys(subject.extra).length > 0) user.extra = subject.extra
  return user
}
