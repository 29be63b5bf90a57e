// Authorization over raw HTTPS, where every byte of the request is the test's: the filter
// chain's order (authentication, impersonation, authorization, then the handler's checks),
// impersonation headers as Go reads them, sanitized messages, pod-bound tokens that die with
// their pod, and the reviews' bad input.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { InProcessClient } from '../../src/client/in-process.ts'
import { RawClient } from '../support/raw-https.ts'
import { startTestServer, type TestServer } from '../support/kubectl.ts'

type Json = Record<string, any>
const SA = 'system:serviceaccount:default:default'

describe('authorization over HTTPS', function () {
  let s: TestServer
  let c: RawClient
  let admin: InProcessClient
  let token: string
  const tokenFor = async (body: Json = {}): Promise<string> =>
    ((await admin.post('v1', 'ServiceAccount', 'default', 'default', 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: body })) as Json).status.token
  before(async () => {
    s = await startTestServer()
    c = new RawClient(readFileSync(s.kubeconfig, 'utf8'))
    admin = new InProcessClient({ core: s.cp.core })
    await s.cp.controllers.idle()
    token = await tokenFor()
  })
  after(async () => { await s.stop() })

  it('authorizes before it looks at the resource, the body or the options', async () => {
    const forbidden = (r: { status: number, json: Json }, message: string): void => {
      assert.equal(r.status, 403)
      assert.equal(r.json.message, message)
    }
    forbidden(await c.send({ method: 'GET', path: '/apis/apps/v1/namespaces/default/nonexistent', token }),
      `nonexistent.apps is forbidden: User "${SA}" cannot list resource "nonexistent" in API group "apps" in the namespace "default"`)
    forbidden(await c.send({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', token, body: '{not json', headers: { 'Content-Type': 'application/json' } }),
      `configmaps is forbidden: User "${SA}" cannot create resource "configmaps" in API group "" in the namespace "default"`)
    forbidden(await c.send({ method: 'GET', path: '/api/v1/namespaces/default/pods?limit=abc', token }),
      `pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" in the namespace "default"`)
    // The admin gets the handler's own answers.
    assert.equal((await c.get('/apis/apps/v1/namespaces/default/nonexistent')).status, 404)
  })

  it('reads ?watch= as Go does and names the object a metadata.name selector pins', async () => {
    forbiddenWatch(await c.send({ method: 'GET', path: '/api/v1/namespaces/default/pods?watch=True', token }))
    await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'one-pod', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['list'] }] } as any)
    await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'one-pod', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'one-pod' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }] } as any)
    assert.equal((await c.send({ method: 'GET', path: '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb', token })).status, 200)
    assert.equal((await c.send({ method: 'GET', path: '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dother', token })).status, 403)
    assert.equal((await c.send({ method: 'GET', path: '/api/v1/namespaces/default/pods', token })).status, 403)
    function forbiddenWatch (r: { status: number, json: Json }): void {
      assert.equal(r.status, 403)
      assert.match(r.json.message, /cannot watch resource "pods"/)
    }
  })

  it('sanitizes what a refusal echoes, and refuses a malformed path escape', async () => {
    const r = await c.send({ method: 'GET', path: '/a%3Cb&c', token })
    assert.equal(r.status, 403)
    assert.equal(r.json.message, `forbidden: User "${SA}" cannot get path "/a&lt;b&amp;c"`)
    assert.deepEqual(r.json.details, {})
    assert.equal((await c.send({ method: 'GET', path: '/api/v1/namespaces/%zz/pods', token })).status, 400)
    assert.equal((await c.get('/api/v1/namespaces/default/configmaps/%zz')).status, 400, 'the admin too')
    // %FF is a valid escape (not UTF-8): a name nobody has, not a bad request.
    assert.equal((await c.get('/api/v1/namespaces/default/configmaps/a%FF')).status, 404)
    assert.equal((await c.get('/api/v1/watch/namespaces/default/pods/p/log')).status, 404)
    assert.equal((await c.send({ method: 'HEAD', path: '/api/v1/namespaces/kube-system/secrets', token })).status, 403)
  })

  it('reads impersonation headers as Go does', async () => {
    const whoami = async (headers: Record<string, unknown>): Promise<Json> =>
      (await c.send({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', headers: { 'Content-Type': 'application/json', ...headers } as Record<string, string>, body: '{}' })).json
    assert.equal((await whoami({ 'Impersonate-User': ['bob', 'carol'] })).status.userInfo.username, 'bob')
    const extra = await whoami({ 'Impersonate-User': 'bob', 'Impersonate-Extra-%zz': 'v', 'Impersonate-Extra-scopes%2Fa': 'x' })
    assert.deepEqual(extra.status.userInfo.extra, { '%zz': ['v'], 'scopes/a': ['x'] })
    // Not a valid namespace: a plain user of that name, not a service account.
    const odd = await whoami({ 'Impersonate-User': 'system:serviceaccount:Bad_NS:x' })
    assert.deepEqual(odd.status.userInfo.groups, ['system:authenticated'])
    const sa = await whoami({ 'Impersonate-User': 'system:serviceaccount:kube-system:coredns' })
    assert.deepEqual(sa.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'])
    const alone = await c.send({ method: 'GET', path: '/api', headers: { 'Impersonate-Group': 'g<1' } })
    assert.equal(alone.status, 500)
    assert.equal(alone.text, 'Internal Server Error: "/api": requested [{Group  g&lt;1    }] without impersonating a user\n')
  })

  it('refuses a token bound to a pod that is gone', async () => {
    await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'holder', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any)
    const bound = await tokenFor({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'holder' } })
    const review = (t: string) => c.send({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', token: t, headers: { 'Content-Type': 'application/json' }, body: '{}' })
    // Deleted before its first use (a success would be remembered 10 s: token-request.test.ts).
    await admin.delete('v1', 'Pod', 'default', 'holder', { gracePeriodSeconds: 0 })
    assert.equal((await review(bound)).status, 401)
    const ok = await review(token)
    assert.equal(ok.status, 201, 'an unbound token lives on')
    assert.match(ok.json.status.userInfo.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=/)
  })

  it('answers bad review requests as upstream', async () => {
    const post = (path: string, body: unknown, t?: string) => c.send({ method: 'POST', path, token: t, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    const nullAttrs = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: { resourceAttributes: null } })
    assert.equal(nullAttrs.status, 422)
    assert.equal(nullAttrs.json.message, '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified')
    assert.equal((await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: { resourceAttributes: { verb: 1 } } })).status, 400)
    assert.equal((await post('/apis/authorization.k8s.io/v1/localsubjectaccessreviews', { spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods' } } })).status, 404)
    const mismatch = await post('/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { metadata: { namespace: 'other' }, spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } })
    assert.equal(mismatch.json.message, 'the namespace of the provided object does not match the namespace sent on the request')
    const lsar = await post('/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'kube-system' } } })
    assert.match(lsar.json.message, /spec\.resourceAttributes\.namespace: Invalid value: "kube-system": must match metadata\.namespace/)
    const ok = await post('/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { spec: { user: SA, groups: ['system:serviceaccounts'], resourceAttributes: { verb: 'get', resource: 'pods', name: 'web', namespace: 'default' } } })
    assert.equal(ok.status, 201)
    assert.equal(ok.json.metadata.namespace, 'default')
    assert.equal(ok.json.status.allowed, false)
    const empty = await post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: {} })
    assert.deepEqual([empty.status, empty.json.message], [400, 'token is required for TokenReview in authentication'])
    const vault = await tokenFor({ audiences: ['vault'] })
    assert.deepEqual((await post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: vault } })).json.status, { user: {} })
    const forVault = (await post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: vault, audiences: ['vault'] } })).json.status
    assert.deepEqual([forVault.authenticated, forVault.audiences], [true, ['vault']])
    const ssr = await post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { metadata: { name: 'x' } })
    assert.match(ssr.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT/)
    assert.equal(ssr.json.metadata.name, undefined)
  })

  it('validates roles and bindings with upstream\'s messages, and keeps roleRef immutable', async () => {
    const invalid = async (obj: Json): Promise<string> => {
      const err = await admin.create(obj as any).then(() => undefined, (e: Error) => e)
      assert.ok(err !== undefined, 'refused')
      return err.message
    }
    assert.equal(await invalid({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] }),
      'Role.rbac.authorization.k8s.io "r" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[1].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs]')
    assert.equal(await invalid({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' }, subjects: [{ kind: 'Robot', name: 'r' }, { kind: 'ServiceAccount', name: 'sa' }] }),
      'ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group", subjects[1].namespace: Required value]')
    const created = await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'fixed', namespace: 'default' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'u' }] } as any) as Json
    assert.deepEqual([created.roleRef.apiGroup, created.subjects[0].apiGroup], ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io'], 'defaulted')
    const changed = await admin.patch('rbac.authorization.k8s.io/v1', 'RoleBinding', 'default', 'fixed', { roleRef: { name: 'edit' } }).then(() => undefined, (e: Error) => e.message)
    assert.equal(changed, 'RoleBinding.rbac.authorization.k8s.io "fixed" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef')
  })
})
