// Service account tokens as kube-apiserver issues them for TokenRequest (serviceaccounts/token):
// JWTs signed by the cluster's service-account key, issuer and audiences as k3s configures them
// (--service-account-issuer https://kubernetes.default.svc.cluster.local, --api-audiences
// https://kubernetes.default.svc.cluster.local,k3s). The key is an EC P-256 key (ES256) made on
// the first token, so a cluster that issues none pays nothing; with a data dir it is kept in
// server/tls/service.key, as k3s keeps its own, so tokens outlive a restart.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local'
export const API_AUDIENCES = ['https://kubernetes.default.svc.cluster.local', 'k3s']

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url')

/** Claims sorted as go-jose writes them (JSON object keys in order, nested ones too). */
function sortedJson (v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o).filter(k => o[k] !== undefined).sort().map(k => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/** Who a valid token says its bearer is. */
export interface TokenSubject {
  username: string
  namespace: string
  serviceAccount: string
  uid: string
  /** ServiceAccountInfo.UserInfo's extra: the credential id (JTI), the bound pod and its node. */
  extra: Record<string, string[]>
  /** The objects the token is bound to, checked by the caller (claims' pod, secret, node). */
  bound: { pod?: ObjectRef, secret?: ObjectRef, node?: ObjectRef }
  /** The audiences of the token among those asked for. */
  audiences: string[]
}

export interface ObjectRef { name: string, uid: string }

export class ServiceAccountTokens {
  private key: { privateKey: KeyObject, publicKey: KeyObject, kid: string } | undefined
  private readonly keyFile: string | undefined

  /** `keyFile`: where the key is kept (PKCS#8 PEM), read if it exists, written when made. */
  constructor (options: { keyFile?: string } = {}) {
    this.keyFile = options.keyFile
  }

  /** A signed JWT of `claims` (JSON: objects' keys sorted). */
  sign (claims: Record<string, unknown>): string {
    this.key ??= this.storedKey() ?? this.newKey()
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: this.key.kid }))
    const payload = b64url(sortedJson(claims))
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: this.key.privateKey, dsaEncoding: 'ieee-p1363' })
    return `${header}.${payload}.${b64url(signature)}`
  }

  /**
   * The subject of a token this server signed, if it is valid at `nowSeconds`: signature, issuer,
   * one of the API audiences, not before / expiry. (The caller checks that the account still
   * exists; upstream also checks a bound object.)
   */
  verify (token: string, nowSeconds: number, audiences: readonly string[] = API_AUDIENCES): TokenSubject | undefined {
    this.key ??= this.storedKey()
    if (this.key === undefined) return undefined
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    let header: Record<string, unknown>
    let claims: Record<string, any>
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    } catch {
      return undefined
    }
    if (header.alg !== 'ES256' || header.kid !== this.key.kid) return undefined
    const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'))
    if (!signed || claims.iss !== TOKEN_ISSUER) return undefined
    const aud: unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    const matched = audiences.filter(a => aud.includes(a))
    if (matched.length === 0) return undefined
    if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) return undefined
    if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) return undefined
    const k8s = claims['kubernetes.io'] ?? {}
    if (typeof claims.sub !== 'string' || typeof k8s.namespace !== 'string' || typeof k8s.serviceaccount?.name !== 'string') return undefined
    const extra: Record<string, string[]> = {}
    const key = (k: string): string => `authentication.kubernetes.io/${k}`
    if (typeof k8s.pod?.name === 'string' && typeof k8s.pod?.uid === 'string') { extra[key('pod-name')] = [k8s.pod.name]; extra[key('pod-uid')] = [k8s.pod.uid] }
    if (typeof claims.jti === 'string' && claims.jti !== '') extra[key('credential-id')] = [`JTI=${claims.jti}`]
    if (typeof k8s.node?.name === 'string') {
      extra[key('node-name')] = [k8s.node.name]
      if (typeof k8s.node.uid === 'string' && k8s.node.uid !== '') extra[key('node-uid')] = [k8s.node.uid]
    }
    const ref = (c: unknown): ObjectRef | undefined => {
      const o = c as { name?: unknown, uid?: unknown } | undefined
      return typeof o?.name === 'string' ? { name: o.name, uid: typeof o.uid === 'string' ? o.uid : '' } : undefined
    }
    const bound = { pod: ref(k8s.pod), secret: ref(k8s.secret), node: ref(k8s.node) }
    return { username: claims.sub, namespace: k8s.namespace, serviceAccount: k8s.serviceaccount.name, uid: String(k8s.serviceaccount.uid ?? ''), extra, bound, audiences: matched }
  }

  private newKey (): { privateKey: KeyObject, publicKey: KeyObject, kid: string } {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    if (this.keyFile !== undefined) {
      mkdirSync(dirname(this.keyFile), { recursive: true, mode: 0o700 })
      writeFileSync(this.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    }
    return withKid(privateKey)
  }

  private storedKey (): { privateKey: KeyObject, publicKey: KeyObject, kid: string } | undefined {
    if (this.keyFile === undefined || !existsSync(this.keyFile)) return undefined
    return withKid(createPrivateKey(readFileSync(this.keyFile)))
  }
}

function withKid (privateKey: KeyObject): { privateKey: KeyObject, publicKey: KeyObject, kid: string } {
  const publicKey = createPublicKey(privateKey)
  // keyIDFromPublicKey: base64url (unpadded) of the SHA-256 of the PKIX DER.
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url')
  return { privateKey, publicKey, kid }
}
