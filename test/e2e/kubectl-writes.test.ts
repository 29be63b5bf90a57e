// kubectl's write commands against k3sim, including the `create` generators (protobuf request
// bodies), every patch type, scale, replace, delete variants, wait, auth and the error cases.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestServer, type TestServer } from '../support/kubectl.ts'

describe('kubectl against k3sim: writes and errors', function () {
  let s: TestServer
  before(async () => { s = await startTestServer() })
  after(async () => { await s.stop() })

  const ok = (args: string[], input?: string): Promise<string> => s.ok(args, input)
  const fails = (args: string[], input?: string): Promise<string> => s.fails(args, input)

  it('creates objects with the generators kubectl sends as protobuf', async () => {
    assert.equal(await ok(['create', 'namespace', 'gen']), 'namespace/gen created\n')
    assert.equal(await ok(['create', 'deployment', 'web', '-n', 'gen', '--image=nginx:1.27', '--replicas=2', '--port=80']), 'deployment.apps/web created\n')
    assert.equal(await ok(['create', 'configmap', 'cfg', '-n', 'gen', '--from-literal=a=b']), 'configmap/cfg created\n')
    assert.equal(await ok(['create', 'secret', 'generic', 'sec', '-n', 'gen', '--from-literal=p=q']), 'secret/sec created\n')
    assert.equal(await ok(['create', 'service', 'clusterip', 'svc', '-n', 'gen', '--tcp=80:8080']), 'service/svc created\n')
    const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-n', 'gen', '-o', 'json']))
    assert.equal(deploy.spec.replicas, 2)
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx:1.27')
    assert.equal(deploy.spec.template.spec.containers[0].ports[0].containerPort, 80)
    assert.equal(await ok(['get', 'secret', 'sec', '-n', 'gen', '-o', 'jsonpath={.data.p}']), Buffer.from('q').toString('base64'))
    assert.equal(await ok(['get', 'svc', 'svc', '-n', 'gen', '-o', 'jsonpath={.spec.ports[0].targetPort}']), '8080')
  })

  it('labels, annotates and patches with every patch type', async () => {
    assert.equal(await ok(['label', 'cm', 'cfg', '-n', 'gen', 'env=prod']), 'configmap/cfg labeled\n')
    assert.equal(await ok(['annotate', 'cm', 'cfg', '-n', 'gen', 'note=hi']), 'configmap/cfg annotated\n')
    assert.equal(await ok(['patch', 'deploy', 'web', '-n', 'gen', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}']), 'deployment.apps/web patched\n')
    assert.equal(await ok(['patch', 'deploy', 'web', '-n', 'gen', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']), 'deployment.apps/web patched\n')
    assert.equal(await ok(['patch', 'deploy', 'web', '-n', 'gen', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']), 'deployment.apps/web patched\n')
    assert.equal(await ok(['patch', 'deploy', 'web', '-n', 'gen', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']), 'deployment.apps/web patched (no change)\n')
    const d = JSON.parse(await ok(['get', 'deploy', 'web', '-n', 'gen', '-o', 'json']))
    assert.deepEqual([d.spec.template.spec.containers.length, d.spec.template.spec.containers[0].image, d.spec.replicas, d.metadata.labels.tier, d.metadata.generation], [1, 'nginx:1.28', 3, 'front', 3])
  })

  it('scales through the scale subresource, and refuses a stale --current-replicas', async () => {
    assert.equal(await ok(['scale', 'deploy', 'web', '-n', 'gen', '--replicas=5']), 'deployment.apps/web scaled\n')
    assert.equal(await ok(['get', 'deploy', 'web', '-n', 'gen', '-o', 'jsonpath={.spec.replicas}']), '5')
    const err = await fails(['scale', 'deploy', 'web', '-n', 'gen', '--current-replicas=2', '--replicas=1'])
    assert.equal(err, 'error: Expected replicas to be 2, was 5\n')
  })

  it('waits for a jsonpath value and for a condition', async () => {
    assert.equal(await ok(['wait', '--for=jsonpath={.spec.replicas}=5', 'deploy/web', '-n', 'gen', '--timeout=10s']), 'deployment.apps/web condition met\n')
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'gen' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }))
    const client = s.cp.core
    await client.serve({ verb: 'patch', info: client.index.lookup('', 'v1', 'pods')!, namespace: 'gen', name: 'p', subresource: 'status', patchType: 'merge', body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, options: {}, user: { name: 'test', groups: ['system:masters'] } })
    assert.equal(await ok(['wait', '--for=condition=Ready', 'pod/p', '-n', 'gen', '--timeout=10s']), 'pod/p condition met\n')
  })

  it('replaces, and refuses a replace at a stale resourceVersion', async () => {
    const cm = JSON.parse(await ok(['get', 'cm', 'cfg', '-n', 'gen', '-o', 'json']))
    cm.data.a = 'replaced'
    assert.equal(await ok(['replace', '-f', '-'], JSON.stringify(cm)), 'configmap/cfg replaced\n')
    cm.data.a = 'stale'
    const err = await fails(['replace', '-f', '-'], JSON.stringify(cm))
    assert.match(err, /Error from server \(Conflict\): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again/)
  })

  it('replaces with an unchanged manifest from get -o yaml twice: no write, no conflict', async () => {
    await ok(['create', 'configmap', 'same', '-n', 'gen', '--from-literal=a=1'])
    const yaml = await ok(['get', 'cm', 'same', '-n', 'gen', '-o', 'yaml'])
    const rv = await ok(['get', 'cm', 'same', '-n', 'gen', '-o', 'jsonpath={.metadata.resourceVersion}'])
    assert.equal(await ok(['replace', '-f', '-'], yaml), 'configmap/same replaced\n')
    assert.equal(await ok(['replace', '-f', '-'], yaml), 'configmap/same replaced\n')
    assert.equal(await ok(['get', 'cm', 'same', '-n', 'gen', '-o', 'jsonpath={.metadata.resourceVersion}']), rv)
  })

  it('replaces a pod with itself as read back (-o yaml sorts the keys), and still refuses a spec change', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'same', namespace: 'gen' }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ protocol: 'TCP', containerPort: 80 }] }], nodeSelector: { z: '1', a: '2' } } }))
    const yaml = await ok(['get', 'pod', 'same', '-n', 'gen', '-o', 'yaml'])
    assert.equal(await ok(['replace', '-f', '-'], yaml), 'pod/same replaced\n')
    const changed = (await ok(['get', 'pod', 'same', '-n', 'gen', '-o', 'yaml'])).replace('containerPort: 80', 'containerPort: 81')
    assert.match(await fails(['replace', '-f', '-'], changed), /spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/)
  })

  it('server-side applies, and reports a conflict with another manager', async () => {
    const m = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'gen' }, data: { k: 'v1' } }
    assert.equal(await ok(['apply', '--server-side', '-f', '-'], JSON.stringify(m)), 'configmap/ssa serverside-applied\n')
    assert.equal(await ok(['apply', '--server-side', '--field-manager=other', '-f', '-'], JSON.stringify({ ...m, data: { other: 'x' } })), 'configmap/ssa serverside-applied\n')
    const err = await fails(['apply', '--server-side', '--field-manager=other', '-f', '-'], JSON.stringify({ ...m, data: { k: 'v2' } }))
    // An applier is named without "using": upstream's printManager adds it for updaters only.
    assert.match(err, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.k/)
    assert.equal(await ok(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'], JSON.stringify({ ...m, data: { k: 'v2' } })), 'configmap/ssa serverside-applied\n')
    assert.equal(await ok(['get', 'cm', 'ssa', '-n', 'gen', '-o', 'jsonpath={.data}']), '{"k":"v2"}')
  })

  it('records kubectl scale under the scale subresource; an apply then conflicts with it, printed as upstream does', async () => {
    const d = (replicas: number): string => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa-scale', namespace: 'gen' }, spec: { replicas, selector: { matchLabels: { app: 'ssa-scale' } }, template: { metadata: { labels: { app: 'ssa-scale' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })
    await ok(['apply', '--server-side', '-f', '-'], d(1))
    await ok(['scale', 'deploy', 'ssa-scale', '-n', 'gen', '--replicas=2'])
    const managed = JSON.parse(await ok(['get', 'deploy', 'ssa-scale', '-n', 'gen', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}'])) as Array<Record<string, unknown>>
    const scale = managed.find(e => e.subresource === 'scale')
    assert.deepEqual([scale?.manager, scale?.operation, scale?.apiVersion, scale?.fieldsV1], ['kubectl', 'Update', 'apps/v1', { 'f:spec': { 'f:replicas': {} } }])
    assert.match(await fails(['apply', '--server-side', '-f', '-'], d(3)), /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/)
  })

  it('applies what get -o yaml printed (a List, validated from /openapi/v2), and names an unknown apiVersion as kubectl does', async () => {
    // kind List and apps/v2 are in no OpenAPI v3 document: kubectl validates them from the v2 document (protobuf).
    const list = await ok(['get', 'cm', 'cfg', 'ssa', '-n', 'gen', '-o', 'yaml'])
    assert.match(list, /^apiVersion: v1\nitems:/)
    assert.match(await ok(['apply', '-f', '-'], list), /configmap\/cfg (configured|unchanged)\n/)
    const bad = list.replace(/^- apiVersion: v1$/m, '- apiVersion: v1\n  bogus: 1')
    assert.match(await fails(['apply', '-f', '-'], bad), /error validating data: ValidationError\(ConfigMap\): unknown field "bogus" in io\.k8s\.api\.core\.v1\.ConfigMap/)
    const v2 = JSON.stringify({ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'x', namespace: 'gen' }, spec: {} })
    const err = await fails(['apply', '-f', '-'], v2)
    assert.match(err, /resource mapping not found for name: "x" namespace: "gen" from "STDIN": no matches for kind "Deployment" in version "apps\/v2"/)
    assert.match(err, /ensure CRDs are installed first/)
  })

  it('server-side apply that creates is an Apply: the same manager re-applies, changes and drops its fields', async () => {
    const m = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa2', namespace: 'gen' }, data: { a: '1', b: '1' } }
    assert.equal(await ok(['apply', '--server-side', '-f', '-'], JSON.stringify(m)), 'configmap/ssa2 serverside-applied\n')
    const managed = JSON.parse(await ok(['get', 'cm', 'ssa2', '-n', 'gen', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}']))
    assert.deepEqual(managed.map((e: Record<string, unknown>) => [e.manager, e.operation, e.fieldsV1]), [['kubectl', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }]])
    assert.equal(await ok(['apply', '--server-side', '-f', '-'], JSON.stringify({ ...m, data: { b: '2' } })), 'configmap/ssa2 serverside-applied\n')
    assert.equal(await ok(['get', 'cm', 'ssa2', '-n', 'gen', '-o', 'jsonpath={.data}']), '{"b":"2"}')
  })

  it('moves from client-side to server-side apply without conflicts on the fields kubectl applied; others still conflict', async () => {
    const d = (image: string, extra: Record<string, string> = {}): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'csa', namespace: 'gen' }, data: { image, ...extra } })
    assert.equal(await ok(['apply', '-f', '-'], d('v1')), 'configmap/csa created\n')
    await ok(['patch', 'cm', 'csa', '-n', 'gen', '--type', 'merge', '-p', '{"data":{"owned":"by-patch"}}'])
    const other = await fails(['apply', '--server-side', '-f', '-'], d('v2', { owned: 'mine' }))
    assert.match(other, /Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.owned/)
    assert.equal(await ok(['apply', '--server-side', '-f', '-'], d('v2')), 'configmap/csa serverside-applied\n')
    assert.equal(await ok(['get', 'cm', 'csa', '-n', 'gen', '-o', 'jsonpath={.data.image}']), 'v2')
    const err = await fails(['apply', '--server-side', '--field-manager=someone', '-f', '-'], d('v3'))
    assert.match(err, /conflict with "kubectl"/)
  })

  it('diffs a changed manifest without storing it (dryRun=All)', async () => {
    const m = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'gen' }, data: { a: 'diffed' } }
    const r = await s.kubectl(['diff', '-f', '-'], { input: JSON.stringify(m) })
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stdout, /^-\s+a: replaced$/m)
    assert.match(r.stdout, /^\+\s+a: diffed$/m)
    assert.equal(await ok(['get', 'cm', 'cfg', '-n', 'gen', '-o', 'jsonpath={.data.a}']), 'replaced')
  })

  it('refuses unknown fields under fieldValidation=Strict, as kubectl asks by default', async () => {
    const m = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'typo', namespace: 'gen' }, spec: { replicas: 1, foo: 1, selector: { matchLabels: { app: 't' } }, template: { metadata: { labels: { app: 't' } }, spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicyy: 'Always' }] } } } }
    const err = await fails(['apply', '-f', '-'], JSON.stringify(m))
    assert.match(err, /Error from server \(BadRequest\): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.foo", unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/)
    assert.match(await fails(['get', 'deploy', 'typo', '-n', 'gen']), /NotFound/)
  })

  it('answers auth can-i as an admin', async () => {
    assert.equal(await ok(['auth', 'can-i', 'create', 'pods']), 'yes\n')
  })

  it('prints upstream\'s errors: not found, already exists, invalid', async () => {
    assert.match(await fails(['get', 'cm', 'nope', '-n', 'gen']), /Error from server \(NotFound\): configmaps "nope" not found/)
    assert.match(await fails(['get', 'deploy', 'nope', '-n', 'gen']), /Error from server \(NotFound\): deployments\.apps "nope" not found/)
    assert.equal(await fails(['create', 'configmap', 'cfg', '-n', 'gen']), 'error: failed to create configmap: configmaps "cfg" already exists\n')
    const cfg = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'gen' } })
    assert.match(await fails(['create', '-f', '-'], cfg), /Error from server \(AlreadyExists\): error when creating "STDIN": configmaps "cfg" already exists/)
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'invalid-web', namespace: 'gen' }, spec: { replicas: -1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }
    const err = await fails(['apply', '-f', '-'], JSON.stringify(bad))
    assert.match(err, /The Deployment "invalid-web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/)
    assert.match(await fails(['get', 'pods', '-n', 'gen', 'x']), /Error from server \(NotFound\): pods "x" not found/)
    // kubectl 1.32 looks the namespace up after a 404 and reports that instead.
    assert.match(await fails(['get', 'pods', '-n', 'nowhere-ns', 'x']), /Error from server \(NotFound\): namespaces "nowhere-ns" not found/)
    assert.equal(await fails(['create', 'configmap', 'c2', '-n', 'missing-ns']), 'error: failed to create configmap: namespaces "missing-ns" not found\n')
  })

  it('refuses requests without valid credentials with 401, as k3s does', async () => {
    // (With no credentials at all kubectl prompts for a username; a wrong token is the same 401.)
    const anon = join(s.home, 'anonymous.yaml')
    writeFileSync(anon, s.cp.kubeconfig().replace(/client-certificate-data: .*\n/, 'token: not-a-valid-token\n').replace(/ +client-key-data: .*\n/, ''))
    // A fresh HOME: with no cached discovery, kubectl fails at discovery and says so.
    const home = mkdtempSync(join(tmpdir(), 'k3sim-anon-'))
    const r = await (await import('../support/kubectl.ts')).runKubectl(['get', 'pods'], { home, kubeconfig: anon })
    rmSync(home, { recursive: true, force: true })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^error: You must be logged in to the server \(the server has asked for the client to provide credentials\)$/m)
  })

  it('deletes with --cascade variants, and waits for the object to be gone', async () => {
    await ok(['create', 'configmap', 'del-a', '-n', 'gen'])
    assert.equal(await ok(['delete', 'cm', 'del-a', '-n', 'gen', '--wait']), 'configmap "del-a" deleted\n')
    await ok(['create', 'deployment', 'owner', '-n', 'gen', '--image=nginx'])
    const owner = JSON.parse(await ok(['get', 'deploy', 'owner', '-n', 'gen', '-o', 'json']))
    const dependent = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'gen', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'owner', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }] } })
    await ok(['create', '-f', '-'], dependent('kept'))
    assert.equal(await ok(['delete', 'deploy', 'owner', '-n', 'gen', '--cascade=orphan']), 'deployment.apps "owner" deleted\n')
    const kept = JSON.parse(await ok(['get', 'cm', 'kept', '-n', 'gen', '-o', 'json']))
    assert.equal(kept.metadata.ownerReferences, undefined)
    await ok(['create', 'deployment', 'owner', '-n', 'gen', '--image=nginx'])
    const owner2 = JSON.parse(await ok(['get', 'deploy', 'owner', '-n', 'gen', '-o', 'json']))
    owner.metadata.uid = owner2.metadata.uid
    await ok(['create', '-f', '-'], dependent('removed'))
    assert.equal(await ok(['delete', 'deploy', 'owner', '-n', 'gen', '--cascade=foreground']), 'deployment.apps "owner" deleted\n')
    assert.match(await fails(['get', 'cm', 'removed', '-n', 'gen']), /NotFound/)
    assert.match(await fails(['get', 'cm', 'del-a', '-n', 'gen']), /NotFound/)
  })

  it('deletes a collection and answers the list of what it deleted, as it was', async () => {
    await ok(['create', 'namespace', 'coll'])
    for (const name of ['a', 'b', 'kept']) await ok(['create', 'configmap', name, '-n', 'coll', `--from-literal=k=${name}`])
    await ok(['label', 'cm', 'a', 'b', '-n', 'coll', 'doomed=yes'])
    const list = JSON.parse(await ok(['delete', '--raw', '/api/v1/namespaces/coll/configmaps?labelSelector=doomed%3Dyes']))
    assert.deepEqual([list.kind, list.apiVersion, typeof list.metadata.resourceVersion], ['ConfigMapList', 'v1', 'string'])
    assert.deepEqual(list.items.map((i: { metadata: { name: string }, data: unknown }) => [i.metadata.name, i.data]), [['a', { k: 'a' }], ['b', { k: 'b' }]])
    assert.equal(await ok(['get', 'cm', '-n', 'coll', '-l', 'doomed', '-o', 'name']), '')
    assert.equal(await ok(['get', 'cm', 'kept', '-n', 'coll', '-o', 'name']), 'configmap/kept\n')
  })

  it('deletes a namespace with everything in it', async () => {
    await ok(['create', 'namespace', 'doomed'])
    await ok(['create', 'configmap', 'c', '-n', 'doomed'])
    await ok(['create', 'deployment', 'd', '-n', 'doomed', '--image=nginx'])
    assert.equal(await ok(['delete', 'namespace', 'doomed']), 'namespace "doomed" deleted\n')
    assert.match(await fails(['get', 'ns', 'doomed']), /Error from server \(NotFound\): namespaces "doomed" not found/)
    const left = await s.cp.backend.range({ key: '/registry/configmaps/doomed/', rangeEnd: '/registry/configmaps/doomed0', countOnly: true })
    assert.equal(left.count, 0)
  })

  it('refuses to delete the immortal namespaces, as NamespaceLifecycle admission does', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      assert.equal(await fails(['delete', 'namespace', ns]), `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted\n`)
      assert.match(await ok(['get', 'ns', ns, '-o', 'jsonpath={.status.phase}']), /^Active$/)
    }
    assert.match(await fails(['delete', 'namespace', 'default', '--dry-run=server']), /this namespace may not be deleted/)
  })
})
