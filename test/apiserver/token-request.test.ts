// TokenRequest (serviceaccounts/<name>/token): the JWT kube-apiserver issues, its validation,
// and the tokens' use as bearer credentials.
import assert from 'node:assert/strict'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { ServiceAccountTokens } from '../../src/apiserver/service-account-tokens.ts'
import { serviceAccountUser } from '../../src/apiserver/service-account-auth.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.ts'
import { VirtualClock } from '../../src/util/clock.ts'

type Json = Record<string, any>

const claimsOf = (token: string): Json => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))

describe('TokenRequest', () => {
  let cp: ControlPlane
  let client: InProcessClient
  let clock: VirtualClock
  before(async () => {
    clock = new VirtualClock()
    cp = await startControlPlane({ apiPort: false, etcdPort: false, clock })
    client = new InProcessClient({ core: cp.core })
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' } })
  })
  after(async () => { await cp.stop() })

  const request = async (name: string, spec: Json): Promise<Json> =>
    await client.post('v1', 'ServiceAccount', 'default', name, 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec }) as Json

  it('issues a JWT for the account with k3s\'s issuer and audiences, an hour by default', async () => {
    const account = await client.get('v1', 'ServiceAccount', 'default', 'robot')
    const r = await request('robot', { audiences: null, expirationSeconds: null, boundObjectRef: null })
    assert.deepEqual(r.spec, { audiences: ['https://kubernetes.default.svc.cluster.local', 'k3s'], expirationSeconds: 3600 })
    assert.deepEqual(r.metadata, { name: 'robot', namespace: 'default', creationTimestamp: null })
    const header = JSON.parse(Buffer.from(r.status.token.split('.')[0], 'base64url').toString('utf8'))
    assert.equal(header.alg, 'ES256')
    assert.match(header.kid, /^[A-Za-z0-9_-]{43}$/)
    const now = Math.floor(clock.now() / 1000)
    const claims = claimsOf(r.status.token)
    assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub'])
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local', 'k3s'])
    assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local')
    assert.equal(claims.sub, 'system:serviceaccount:default:robot')
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: account.metadata.uid } })
    assert.equal(claims.iat, now)
    assert.equal(claims.exp, now + 3600)
    assert.equal(r.status.expirationTimestamp, new Date((now + 3600) * 1000).toISOString().replace('.000Z', 'Z'))
    const { extra, ...subject } = cp.core.ctx.tokens.verify(r.status.token, now)!
    assert.deepEqual(subject, { username: 'system:serviceaccount:default:robot', namespace: 'default', serviceAccount: 'robot', uid: account.metadata.uid, bound: { pod: undefined, secret: undefined, node: undefined }, audiences: ['https://kubernetes.default.svc.cluster.local', 'k3s'] })
    assert.deepEqual(extra, { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] })
  })

  it('binds a token to a pod (with its node), extending the kubelet\'s 3607 s tokens to a year with warnafter', async () => {
    await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
    const pod = await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { serviceAccountName: 'robot', nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } } as any)
    const node = await client.get('v1', 'Node', undefined, 'n1')
    const r = await request('robot', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: pod.metadata.uid } })
    const claims = claimsOf(r.status.token)
    const now = Math.floor(clock.now() / 1000)
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'p', uid: pod.metadata.uid })
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'n1', uid: node.metadata.uid })
    assert.equal(claims['kubernetes.io'].warnafter, now + 3607)
    assert.equal(claims.exp, now + 365 * 24 * 3600)
    const stale = await request('robot', { boundObjectRef: { kind: 'Pod', name: 'p', uid: 'not-the-uid' } }).catch(e => e)
    assert.ok(isStatusError(stale, 409), String(stale))
    assert.equal(stale.message, 'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (not-the-uid) does not match the UID in record. The object might have been deleted and then recreated')
    assert.equal(r.status.expirationTimestamp, new Date((now + 3607) * 1000).toISOString().replace('.000Z', 'Z'), 'the requested expiry, not the extended one')
    const vault = await request('robot', { audiences: ['vault'], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', name: 'p' } })
    assert.equal(claimsOf(vault.status.token).exp, now + 3607, 'only tokens for the API are extended')
    assert.equal(claimsOf(vault.status.token)['kubernetes.io'].warnafter, undefined)
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any)
    const mismatch = await request('robot', { boundObjectRef: { kind: 'Pod', name: 'other' } }).catch(e => e)
    assert.ok(isStatusError(mismatch, 400), String(mismatch))
    assert.equal(mismatch.message, 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.')
    const gone = await request('robot', { boundObjectRef: { kind: 'Pod', name: 'nope' } }).catch(e => e)
    assert.ok(isStatusError(gone, 404), String(gone))
    assert.equal(gone.message, 'pods "nope" not found')
  })

  it('refuses an unknown account (404), a short or huge expiry and an unsupported bound kind (422)', async () => {
    const missing = await request('ghost', {}).catch(e => e)
    assert.ok(isStatusError(missing, 404))
    assert.equal(missing.message, 'serviceaccounts "ghost" not found')
    const short = await request('robot', { expirationSeconds: 300 }).catch(e => e)
    assert.ok(isStatusError(short, 422))
    assert.equal(short.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes')
    const huge = await request('robot', { expirationSeconds: 2 ** 33 }).catch(e => e)
    assert.match(huge.message, /may not specify a duration larger than 2\^32 seconds/)
    const wrongType = await request('robot', { audiences: 'x' }).catch(e => e)
    assert.ok(isStatusError(wrongType, 400))
    assert.equal(wrongType.message, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.audiences of type []string')
    const notAnInt = await request('robot', { expirationSeconds: 'abc' }).catch(e => e)
    assert.match(notAnInt.message, /cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64$/)
    const kind = await request('robot', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } }).catch(e => e)
    assert.ok(isStatusError(kind, 400))
    assert.equal(kind.message, 'cannot bind token to object of type /v1, Kind=ConfigMap')
  })

  it('accepts only its own, unexpired, untampered tokens', async () => {
    const r = await request('robot', { expirationSeconds: 600 })
    const now = Math.floor(clock.now() / 1000)
    const tokens = cp.core.ctx.tokens
    assert.ok(tokens.verify(r.status.token, now) !== undefined)
    assert.equal(tokens.verify(r.status.token, now + 600), undefined, 'expired')
    const [h, p, s] = r.status.token.split('.')
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(r.status.token), sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')
    assert.equal(tokens.verify(`${h}.${forged}.${s}`, now), undefined, 'tampered claims')
    assert.equal(tokens.verify(`${h}.${p}.${s.slice(0, -4)}AAAA`, now), undefined, 'tampered signature')
    const other = new ServiceAccountTokens()
    other.sign({ warm: 1 })
    assert.equal(other.verify(r.status.token, now), undefined, 'another cluster\'s key')
    assert.equal(tokens.verify('not.a.jwt', now), undefined)
    // Signed by this key but not for this API, not yet valid, or from another issuer: refused.
    const base = claimsOf(r.status.token)
    assert.ok(tokens.verify(tokens.sign(base), now) !== undefined)
    assert.equal(tokens.verify(tokens.sign({ ...base, aud: ['vault'] }), now), undefined, 'audience')
    assert.deepEqual(tokens.verify(tokens.sign({ ...base, aud: ['vault'] }), now, ['vault'])?.audiences, ['vault'], 'an audience asked for (TokenReview)')
    assert.equal(tokens.verify(tokens.sign({ ...base, iss: 'https://elsewhere' }), now), undefined, 'issuer')
    assert.equal(tokens.verify(tokens.sign({ ...base, nbf: now + 60 }), now), undefined, 'not before')
  })

  it('authenticates a token while its account and bound pod exist, remembering a success 10 s as kube-apiserver does', async () => {
    const auth = (t: string) => serviceAccountUser(cp.core.ctx, t)
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp', namespace: 'default' } })
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'holder', namespace: 'default' }, spec: { serviceAccountName: 'temp', containers: [{ name: 'c', image: 'nginx' }] } } as any)
    const plain = (await request('temp', {})).status.token
    const bound = (await request('temp', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'holder' } })).status.token
    assert.equal((await auth(plain))?.user.name, 'system:serviceaccount:default:temp')
    assert.equal((await auth(bound))?.user.extra?.['authentication.kubernetes.io/pod-name']?.[0], 'holder')
    await client.delete('v1', 'Pod', 'default', 'holder', { gracePeriodSeconds: 0 })
    assert.ok(await auth(bound) !== undefined, 'cached for 10 s')
    await clock.advance(10_001)
    assert.equal(await auth(bound), undefined, 'the pod is gone')
    assert.ok(await auth(plain) !== undefined)
    // A deleted account's tokens stop working, even once an account of that name is made again.
    await client.delete('v1', 'ServiceAccount', 'default', 'temp')
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp', namespace: 'default' } })
    await clock.advance(10_001)
    assert.equal(await auth(plain), undefined)
  })

  it('keeps its signing key in server/tls/service.key with a data dir: tokens outlive a restart', async () => {
    const { mkdtempSync, rmSync, existsSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-sa-key-'))
    try {
      let plane = await startControlPlane({ dataDir: dir, apiPort: false, etcdPort: false, clock })
      const c = new InProcessClient({ core: plane.core })
      await c.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'keeper', namespace: 'kube-system' } })
      const token = (await c.post('v1', 'ServiceAccount', 'kube-system', 'keeper', 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }) as Json).status.token
      await plane.stop()
      assert.ok(existsSync(join(dir, 'server', 'tls', 'service.key')))
      plane = await startControlPlane({ dataDir: dir, apiPort: false, etcdPort: false, clock })
      assert.equal(plane.core.ctx.tokens.verify(token, Math.floor(clock.now() / 1000))?.username, 'system:serviceaccount:kube-system:keeper')
      await plane.stop()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
