// The ServiceAccount admission plugin on pod create: the account must exist, and unless
// automounting is off every container gets the kube-api-access projected volume.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { startControlPlane } from '../../src/cluster/control-plane.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

const PATH = '/var/run/secrets/kubernetes.io/serviceaccount'

describe('ServiceAccount admission', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => {
    core = new ApiServerCore({ backend: new MemoryBackend(), clock: new VirtualClock(), ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await createDefaultServiceAccounts(client, ['default'])
  })
  afterEach(() => core.stop())

  const pod = async (name: string, spec: Json = {}, metadata: Json = {}): Promise<Json> =>
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...metadata }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } } as any) as Json

  it('mounts a kube-api-access-<5> projected volume (token, CA, namespace) into every container and init container', async () => {
    const p = await pod('a', { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'c', image: 'nginx' }, { name: 'd', image: 'nginx' }] })
    assert.equal(p.spec.volumes.length, 1)
    const volume = p.spec.volumes[0]
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    assert.deepEqual(volume.projected, {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    })
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      assert.deepEqual(c.volumeMounts, [{ name: volume.name, readOnly: true, mountPath: PATH }], c.name)
    }
    assert.equal(p.spec.serviceAccountName, 'default')
  })

  it('leaves a container that mounts something at the token path alone, and reuses a kube-api-access volume the pod has', async () => {
    const own = { name: 'mine', emptyDir: {} }
    const p = await pod('b', {
      volumes: [own, { name: 'kube-api-access-abcde', emptyDir: {} }],
      containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'mine', mountPath: PATH }] }, { name: 'd', image: 'nginx' }],
    })
    assert.deepEqual(p.spec.volumes.map((v: Json) => v.name), ['mine', 'kube-api-access-abcde'])
    assert.deepEqual(p.spec.containers[0].volumeMounts, [{ name: 'mine', mountPath: PATH }])
    assert.deepEqual(p.spec.containers[1].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: PATH }])
    // Every container mounting the path already: no volume is added.
    const q = await pod('c', { volumes: [own], containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'mine', mountPath: PATH }] }] })
    assert.deepEqual(q.spec.volumes.map((v: Json) => v.name), ['mine'])
  })

  it('does not mount when the pod, or else its account, turns automounting off', async () => {
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false } as any)
    const off = await pod('off', { automountServiceAccountToken: false })
    assert.equal(off.spec.volumes, undefined)
    assert.equal(off.spec.containers[0].volumeMounts, undefined)
    const quiet = await pod('quiet', { serviceAccountName: 'quiet' })
    assert.equal(quiet.spec.volumes, undefined)
    const podSaysYes = await pod('yes', { serviceAccountName: 'quiet', automountServiceAccountToken: true })
    assert.equal(podSaysYes.spec.volumes.length, 1)
  })

  it('refuses a pod whose service account does not exist, as upstream (403)', async () => {
    const err = await pod('x', { serviceAccountName: 'ghost' }).catch(e => e)
    assert.ok(isStatusError(err, 403), String(err))
    assert.equal(err.message, 'pods "x" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found')
    await assert.rejects(client.get('v1', 'Pod', 'default', 'x'), /not found/)
  })

  it('leaves mirror pods alone: no account, no volume', async () => {
    const p = await pod('mirror', {}, { annotations: { 'kubernetes.io/config.mirror': 'abc' } })
    assert.equal(p.spec.volumes, undefined)
    assert.equal(p.spec.serviceAccountName, undefined)
  })

  it('gives a pod naming no image pull secrets its account\'s', async () => {
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'puller', namespace: 'default' }, imagePullSecrets: [{ name: 'regcred' }] } as any)
    assert.deepEqual((await pod('p1', { serviceAccountName: 'puller' })).spec.imagePullSecrets, [{ name: 'regcred' }])
    assert.deepEqual((await pod('p2', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] })).spec.imagePullSecrets, [{ name: 'mine' }])
    assert.equal((await pod('p3')).spec.imagePullSecrets, undefined)
  })

  it('records what the request sent in managedFields, not what admission added', async () => {
    const p = await pod('mf')
    const spec = p.metadata.managedFields[0].fieldsV1['f:spec']
    for (const added of ['f:volumes', 'f:serviceAccountName', 'f:serviceAccount', 'f:tolerations', 'f:priority', 'f:preemptionPolicy']) assert.equal(spec[added], undefined, added)
    assert.equal(spec['f:containers']['k:{"name":"c"}']['f:volumeMounts'], undefined)
    assert.deepEqual(spec['f:dnsPolicy'], {}) // defaults are the sender's, as upstream
    const named = await pod('mf2', { serviceAccountName: 'default' })
    const namedSpec = named.metadata.managedFields[0].fieldsV1['f:spec']
    assert.deepEqual([namedSpec['f:serviceAccountName'], namedSpec['f:serviceAccount']], [{}, {}])
  })

  it('puts the default tolerations back on an update that drops them (DefaultTolerationSeconds admits updates too)', async () => {
    const p = await pod('tol')
    assert.equal(p.spec.tolerations.length, 2)
    const updated = await client.patch('v1', 'Pod', 'default', 'tol', [{ op: 'remove', path: '/spec/tolerations' }], { type: 'json' }) as Json
    assert.deepEqual(updated.spec.tolerations, p.spec.tolerations)
  })

  it('waits for the default account of a namespace created just before the pod', async () => {
    const cp = await startControlPlane({ apiPort: false, etcdPort: false, clock: new VirtualClock() })
    try {
      const c = new InProcessClient({ core: cp.core })
      await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } })
      const p = await c.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'fresh' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any) as Json
      assert.match(p.spec.volumes[0].name, /^kube-api-access-/)
    } finally {
      await cp.stop()
    }
  })
})
