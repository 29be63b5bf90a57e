// The bootstrap policy: created at the first start, and at every later start reconciled as the
// rbac/bootstrap-roles hook does it (missing rules, subjects and labels added back, a binding
// with another roleRef recreated, objects annotated autoupdate=false left alone).
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../../src/apiserver/core.ts'
import { InProcessClient } from '../../../src/client/in-process.ts'
import { MemoryBackend } from '../../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../../src/util/clock.ts'
import * as ops from '../../../src/store/ops.ts'

type Json = Record<string, any>
const RBAC = 'rbac.authorization.k8s.io/v1'

describe('RBAC bootstrap policy', () => {
  it('creates the default roles and bindings once, labelled and annotated as upstream', async () => {
    const backend = new MemoryBackend()
    const core = new ApiServerCore({ backend, clock: new VirtualClock() })
    await core.bootstrap()
    const client = new InProcessClient({ core })
    const admin = await client.get(RBAC, 'ClusterRoleBinding', undefined, 'cluster-admin') as Json
    assert.deepEqual(admin.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }])
    assert.equal(admin.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults')
    assert.equal(admin.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true')
    const view = await client.get(RBAC, 'ClusterRole', undefined, 'view') as Json
    assert.deepEqual(view.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] })
    const leader = await client.get(RBAC, 'Role', 'kube-system', 'system::leader-locking-kube-scheduler') as Json
    assert.ok(leader.rules.length > 0)
    const rev = backend.revision
    core.stop()
    const again = new ApiServerCore({ backend, clock: new VirtualClock() })
    await again.bootstrap()
    assert.equal(backend.revision, rev, 'a second start writes nothing')
    again.stop()
  })

  it('repairs what was taken away at the next start, unless autoupdate is "false"', async () => {
    const backend = new MemoryBackend()
    const core = new ApiServerCore({ backend, clock: new VirtualClock() })
    await core.bootstrap()
    const client = new InProcessClient({ core })
    const discovery = await client.get(RBAC, 'ClusterRole', undefined, 'system:discovery') as Json
    await client.update({ ...discovery, rules: [{ verbs: ['get'], nonResourceURLs: ['/version'] }, { verbs: ['get'], nonResourceURLs: ['/mine'] }] } as any)
    const basic = await client.get(RBAC, 'ClusterRoleBinding', undefined, 'system:basic-user') as Json
    await client.update({ ...basic, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }], metadata: { ...basic.metadata, labels: { team: 'x' } } } as any)
    await client.delete(RBAC, 'ClusterRoleBinding', undefined, 'system:discovery')
    await client.create({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'system:discovery' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] } as any)
    const heapster = await client.get(RBAC, 'ClusterRole', undefined, 'system:heapster') as Json
    await client.update({ ...heapster, metadata: { ...heapster.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] } as any)
    core.stop()

    const again = new ApiServerCore({ backend, clock: new VirtualClock() })
    await again.bootstrap()
    const c = new InProcessClient({ core: again })
    const d = await c.get(RBAC, 'ClusterRole', undefined, 'system:discovery') as Json
    assert.deepEqual(d.rules.slice(0, 2), [{ verbs: ['get'], nonResourceURLs: ['/version'] }, { verbs: ['get'], nonResourceURLs: ['/mine'] }], 'what the user added stays first')
    assert.ok(d.rules.some((r: Json) => r.nonResourceURLs[0] === '/api/*'), 'the missing URLs come back')
    const b = await c.get(RBAC, 'ClusterRoleBinding', undefined, 'system:basic-user') as Json
    assert.deepEqual(b.subjects.map((s: Json) => s.name), ['alice', 'system:authenticated'])
    assert.equal(b.metadata.labels.team, 'x')
    assert.equal(b.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults')
    const db = await c.get(RBAC, 'ClusterRoleBinding', undefined, 'system:discovery') as Json
    assert.equal(db.roleRef.name, 'system:discovery')
    assert.deepEqual((await c.get(RBAC, 'ClusterRole', undefined, 'system:heapster') as Json).rules, [])
    again.stop()
  })

  it('starts even when a stored bootstrap object is one the API now refuses, and says so', async () => {
    const backend = new MemoryBackend()
    const core = new ApiServerCore({ backend, clock: new VirtualClock() })
    await core.bootstrap()
    core.stop()
    // As an older k3sim stored it: a rule without apiGroups (validation refuses it today).
    const key = '/registry/clusterroles/system:discovery'
    const stored = JSON.parse(new TextDecoder().decode((await backend.range({ key })).kvs[0].value))
    stored.rules = [{ verbs: ['get'], resources: ['pods'] }]
    await ops.put(backend, key, new TextEncoder().encode(JSON.stringify(stored)))
    const logs: string[] = []
    const again = new ApiServerCore({ backend, clock: new VirtualClock(), log: m => logs.push(m) })
    await again.bootstrap()
    assert.deepEqual(logs, ['rbac/bootstrap-roles: ClusterRole system:discovery left as stored: ClusterRole.rbac.authorization.k8s.io "system:discovery" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group'])
    again.stop()
  })

  it('lets a binding stored without roleRef.apiGroup (by an older k3sim) be updated', async () => {
    const backend = new MemoryBackend()
    const core = new ApiServerCore({ backend, clock: new VirtualClock() })
    await core.bootstrap()
    const c = new InProcessClient({ core })
    const b = await c.create({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'old', namespace: 'default' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [] } as any) as Json
    const key = '/registry/rolebindings/default/old'
    const stored = JSON.parse(new TextDecoder().decode((await backend.range({ key })).kvs[0].value))
    delete stored.roleRef.apiGroup
    await ops.put(backend, key, new TextEncoder().encode(JSON.stringify(stored)))
    await c.patch(RBAC, 'RoleBinding', 'default', 'old', { metadata: { labels: { a: 'b' } } })
    assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io')
    core.stop()
  })
})
