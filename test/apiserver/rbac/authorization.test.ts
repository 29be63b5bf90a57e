// RBAC authorization of requests made as users outside system:masters (a service account here),
// over a bare API server with the bootstrap policy: Forbidden Statuses worded as upstream's,
// roles and bindings taking effect at once, the access and rules reviews, escalation checks.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../../src/apiserver/core.ts'
import type { StatusError } from '../../../src/apiserver/errors.ts'
import { InProcessClient } from '../../../src/client/in-process.ts'
import { MemoryBackend } from '../../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../../src/util/clock.ts'
import { Ids } from '../../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../../support/service-accounts.ts'

type Json = Record<string, any>

const SA = 'system:serviceaccount:default:robot'
const saUser = { name: SA, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] }

async function refusal (p: Promise<unknown>): Promise<StatusError> {
  try { await p } catch (err) { return err as StatusError }
  assert.fail('expected a refusal')
}

describe('RBAC authorization', () => {
  let core: ApiServerCore
  let admin: InProcessClient
  let robot: InProcessClient
  beforeEach(async () => {
    core = new ApiServerCore({ backend: new MemoryBackend(), clock: new VirtualClock(), ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    admin = new InProcessClient({ core })
    robot = new InProcessClient({ core, user: saUser })
    await createDefaultServiceAccounts(admin, ['default'])
  })
  afterEach(() => core.stop())

  const role = (name: string, rules: Json[], namespace = 'default'): Promise<unknown> =>
    admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules } as any)
  const bindRobot = (name: string, roleRef: Json, namespace = 'default'): Promise<unknown> =>
    admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }] } as any)

  it('refuses an unbound service account with upstream\'s Forbidden Status', async () => {
    const err = await refusal(robot.list('v1', 'Pod', { namespace: 'default' }))
    assert.equal(err.code, 403)
    assert.deepEqual(err.status, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
      message: `pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" in the namespace "default"`,
      details: { kind: 'pods' },
    })
    const named = await refusal(robot.get('apps/v1', 'Deployment', 'default', 'web'))
    assert.equal(named.message, `deployments.apps "web" is forbidden: User "${SA}" cannot get resource "deployments" in API group "apps" in the namespace "default"`)
    assert.deepEqual(named.details, { name: 'web', group: 'apps', kind: 'deployments' })
    const cluster = await refusal(robot.list('v1', 'Node'))
    assert.equal(cluster.message, `nodes is forbidden: User "${SA}" cannot list resource "nodes" in API group "" at the cluster scope`)
    // A namespace is its own namespace to RBAC.
    const ns = await refusal(robot.get('v1', 'Namespace', undefined, 'default'))
    assert.equal(ns.message, `namespaces "default" is forbidden: User "${SA}" cannot get resource "namespaces" in API group "" in the namespace "default"`)
  })

  it('refuses a write before anything is stored', async () => {
    const err = await refusal(robot.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }))
    assert.equal(err.message, `configmaps is forbidden: User "${SA}" cannot create resource "configmaps" in API group "" in the namespace "default"`)
    assert.equal((await admin.list('v1', 'ConfigMap', { namespace: 'default' })).items.length, 0)
  })

  it('allows what a RoleBinding grants, in its namespace only, at once', async () => {
    await role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])
    await bindRobot('robot-reads-pods', { kind: 'Role', name: 'pod-reader' })
    assert.deepEqual((await robot.list('v1', 'Pod', { namespace: 'default' })).items, [])
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } })
    assert.match((await refusal(robot.list('v1', 'Pod', { namespace: 'other' }))).message, /in the namespace "other"$/)
    assert.match((await refusal(robot.watch('v1', 'Pod', { namespace: 'default' }))).message, /cannot watch resource "pods"/)
    assert.match((await refusal(robot.get('v1', 'Pod', 'default', 'p', { subresource: 'log' }))).message, /cannot get resource "pods\/log"/)
    await admin.delete('rbac.authorization.k8s.io/v1', 'RoleBinding', 'default', 'robot-reads-pods')
    assert.equal((await refusal(robot.list('v1', 'Pod', { namespace: 'default' }))).code, 403)
  })

  it('binds ClusterRoles through RoleBindings and ClusterRoleBindings (the bootstrap `view` role has rules once aggregated)', async () => {
    await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] } as any)
    await bindRobot('robot-cm', { kind: 'ClusterRole', name: 'cm-reader' })
    await robot.list('v1', 'ConfigMap', { namespace: 'default' })
    assert.equal((await refusal(robot.list('v1', 'ConfigMap'))).message, `configmaps is forbidden: User "${SA}" cannot list resource "configmaps" in API group "" at the cluster scope`)
    await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'robot-cm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cm-reader' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:default' }] } as any)
    await robot.list('v1', 'ConfigMap')
  })

  it('names a binding\'s missing role in the refusal', async () => {
    await bindRobot('dangling', { kind: 'ClusterRole', name: 'nope' })
    const err = await refusal(robot.list('v1', 'Secret', { namespace: 'default' }))
    assert.equal(err.message, `secrets is forbidden: User "${SA}" cannot list resource "secrets" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "nope" not found`)
  })

  it('honours resourceNames', async () => {
    await role('one-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'update'] }])
    await bindRobot('robot-one-cm', { kind: 'Role', name: 'one-cm' })
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } } as any)
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default' } })
    const got = await robot.get('v1', 'ConfigMap', 'default', 'settings') as Json
    assert.equal(got.data.a, '1')
    assert.equal((await refusal(robot.get('v1', 'ConfigMap', 'default', 'other'))).code, 403)
    assert.equal((await refusal(robot.list('v1', 'ConfigMap', { namespace: 'default' }))).code, 403)
  })

  it('answers access reviews with the binding that allowed, and lists the rules', async () => {
    const ssar = (attrs: Json): Promise<Json> => robot.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { resourceAttributes: attrs } } as any) as Promise<Json>
    assert.deepEqual((await ssar({ namespace: 'default', verb: 'list', resource: 'pods' })).status, { allowed: false })
    await role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }])
    await bindRobot('robot-reads-pods', { kind: 'Role', name: 'pod-reader' })
    assert.deepEqual((await ssar({ namespace: 'default', verb: 'list', resource: 'pods' })).status,
      { allowed: true, reason: 'RBAC: allowed by RoleBinding "robot-reads-pods/default" of Role "pod-reader" to ServiceAccount "robot/default"' })
    const rules = await robot.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' } } as any) as Json
    assert.ok(rules.status.resourceRules.some((r: Json) => r.resources[0] === 'pods' && r.verbs[0] === 'list'))
    assert.ok(rules.status.resourceRules.some((r: Json) => r.resources.includes('selfsubjectaccessreviews')), 'system:basic-user')
    assert.ok(rules.status.nonResourceRules.some((r: Json) => r.nonResourceURLs.includes('/api/*')), 'system:discovery')
    assert.equal(rules.status.incomplete, false)
    // An admin asks about someone else.
    const sar = await admin.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: { user: SA, groups: saUser.groups, resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } } } as any) as Json
    assert.equal(sar.status.allowed, true)
    const masters = await admin.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { nonResourceAttributes: { path: '/anything', verb: 'get' } } } as any) as Json
    assert.deepEqual(masters.status, { allowed: true })
    // The robot may not ask about others.
    assert.equal((await refusal(robot.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods' } } } as any))).message,
      `subjectaccessreviews.authorization.k8s.io is forbidden: User "${SA}" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope`)
  })

  it('answers TokenReviews of this server\'s service account tokens', async () => {
    await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' } })
    const issued = await admin.post('v1', 'ServiceAccount', 'default', 'robot', 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }) as Json
    const review = (token: string): Promise<Json> => admin.create({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token } } as any) as Promise<Json>
    const ok = await review(issued.status.token)
    assert.equal(ok.status.authenticated, true)
    assert.equal(ok.status.user.username, SA)
    assert.deepEqual(ok.status.user.groups, saUser.groups)
    assert.match(ok.status.user.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=/)
    assert.deepEqual((await review('not-a-token')).status, { user: {} })
  })

  it('refuses access reviews without exactly one kind of attributes', async () => {
    const err = await refusal(admin.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: {} } as any))
    assert.equal(err.code, 422)
    assert.equal(err.message, '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified')
    const noSubject = await refusal(admin.create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } } as any))
    assert.match(noSubject.message, /at least one of user or group must be specified/)
  })

  describe('escalation', () => {
    beforeEach(async () => {
      // The robot may manage Roles and RoleBindings in default, and read pods there.
      await role('rbac-manager', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'update', 'get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])
      await bindRobot('robot-rbac', { kind: 'Role', name: 'rbac-manager' })
    })

    const robotRole = (name: string, rules: Json[]): Promise<unknown> =>
      robot.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'default' }, rules } as any)

    it('lets a user grant what it holds', async () => {
      await robotRole('sub-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }])
    })

    it('refuses a Role with rules the user does not hold, naming them', async () => {
      const err = await refusal(robotRole('too-much', [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'delete'] }]))
      assert.equal(err.code, 403)
      assert.equal(err.message, `roles.rbac.authorization.k8s.io "too-much" is forbidden: user "${SA}" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n` +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}')
      await assert.rejects(admin.get('rbac.authorization.k8s.io/v1', 'Role', 'default', 'too-much'), /not found/)
    })

    it('allows any rules with the escalate verb', async () => {
      await role('escalator', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }])
      await bindRobot('robot-escalates', { kind: 'Role', name: 'escalator' })
      await robotRole('anything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])
    })

    it('checks `escalate` against the name in the request path (a server-side apply names it, a POST does not)', async () => {
      await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'escalate-foo' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create', 'patch', 'escalate'], resourceNames: ['foo'] }, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create'] }] } as any)
      await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'robot-escalate-foo' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'escalate-foo' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }] } as any)
      const foo = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'foo' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }
      assert.match((await refusal(robot.create(foo as any))).message, /is attempting to grant RBAC permissions not currently held/)
      await robot.patch('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'foo', foo, { type: 'apply', fieldManager: 'robot' })
    })

    it('refuses binding a role the user does not hold, unless it may bind it', async () => {
      const bind = (name: string): Promise<unknown> => robot.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }] } as any)
      const err = await refusal(bind('steal'))
      assert.equal(err.message, `rolebindings.rbac.authorization.k8s.io "steal" is forbidden: user "${SA}" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n` +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}')
      await role('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin'] }])
      await bindRobot('robot-binds', { kind: 'Role', name: 'binder' })
      await bind('allowed')
    })

    it('refuses binding a role that does not exist', async () => {
      const err = await refusal(robot.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ghost', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ghost' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'x' }] } as any))
      assert.equal(err.code, 404)
      assert.equal(err.message, 'roles.rbac.authorization.k8s.io "ghost" not found')
    })

    it('lets an update that keeps the rules through, and checks one that adds rules', async () => {
      await robotRole('mine', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])
      const current = await robot.get('rbac.authorization.k8s.io/v1', 'Role', 'default', 'mine') as Json
      await robot.update({ ...current, metadata: { ...current.metadata, labels: { a: 'b' } } } as any)
      const again = await robot.get('rbac.authorization.k8s.io/v1', 'Role', 'default', 'mine') as Json
      const err = await refusal(robot.update({ ...again, rules: [...again.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } as any))
      assert.match(err.message, /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}$/)
    })
  })
})
