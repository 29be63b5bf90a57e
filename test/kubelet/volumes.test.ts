// The kubelet's volume setup as upstream's volume manager does it: a pod whose ConfigMap or
// Secret (or a key of it) is missing waits in ContainerCreating with FailedMount events, retried
// on a back-off from 0.5 s doubling to 2m2s, and starts once the object exists; the API access
// volume every pod gets (token, kube-root-ca.crt, namespace) mounts in every cluster.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const NODE = 'k3sim-k3s-default-server-0'

describe('kubelet: volumes', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', seed: 3 }) })
  afterEach(async () => { await cluster.stop() })

  const get = (name: string): Promise<Json> => cluster.client.get('v1', 'Pod', 'default', name) as Promise<Json>
  const pod = (name: string, volume: Json): any => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: NODE, volumes: [{ name: 'cfg', ...volume }], containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }] }] },
  })
  const mountEvents = (name: string): Array<[string, string, number]> =>
    cluster.events({ name, reason: 'FailedMount' }).map((e: Json) => [e.type, e.message, e.count])

  it('runs a pod with its API access volume: kube-root-ca.crt exists in every namespace, even without an HTTPS API', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: 'default' }, spec: { nodeName: NODE, containers: [{ name: 'app', image: 'nginx:1.27' }] } } as any)
    await cluster.settle()
    const p = await get('plain')
    assert.match(p.spec.volumes[0].name, /^kube-api-access-/)
    assert.equal(p.status.phase, 'Running')
    // v1.31+: the container's mounts in its status.
    assert.deepEqual(p.status.containerStatuses[0].volumeMounts, [{ name: p.spec.volumes[0].name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }])
    const ca = await cluster.client.get('v1', 'ConfigMap', 'default', 'kube-root-ca.crt') as Json
    const { X509Certificate } = await import('node:crypto')
    const cert = new X509Certificate(ca.data['ca.crt'])
    assert.ok(cert.ca)
    assert.match(cert.subject, /^CN=k3s-server-ca@\d+$/)
    assert.ok(cert.verify(cert.publicKey), 'self-signed')
  })

  it('waits in ContainerCreating while a ConfigMap is missing, with FailedMount events, and starts once it exists', async () => {
    await cluster.client.create(pod('web', { configMap: { name: 'settings' } }))
    await cluster.settle()
    let p = await get('web')
    assert.equal(p.status.phase, 'Pending')
    assert.deepEqual(p.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } })
    assert.equal(p.status.podIP, undefined)
    assert.deepEqual(mountEvents('web'), [['Warning', 'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found', 1]])
    // Retried after 0.5 s, 1 s, 2 s, …: the same event counted up.
    await cluster.clock.advance('3500ms')
    assert.deepEqual(mountEvents('web'), [['Warning', 'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found', 4]])
    assert.deepEqual(cluster.events({ name: 'web' }).map((e: Json) => e.reason), ['FailedMount'])

    await cluster.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } })
    await cluster.clock.advance('4s') // the next retry is 4 s after the last
    p = await get('web')
    assert.equal(p.status.phase, 'Running')
    assert.deepEqual(cluster.events({ name: 'web' }).map((e: Json) => e.reason), ['FailedMount', 'Pulling', 'Pulled', 'Created', 'Started'])
  })

  it('says which key or Secret is missing, as upstream; an optional one does not hold the pod', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } })
    await cluster.client.create(pod('key', { configMap: { name: 'settings', items: [{ key: 'b', path: 'b' }] } }))
    await cluster.client.create(pod('secret', { secret: { secretName: 'creds' } }))
    await cluster.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, data: { 'tls.crt': 'eA==' } })
    await cluster.client.create(pod('secret-key', { secret: { secretName: 'tls', items: [{ key: 'tls.key', path: 'k' }] } }))
    await cluster.client.create(pod('optional', { configMap: { name: 'nope', optional: true } }))
    await cluster.client.create(pod('optional-key', { configMap: { name: 'settings', optional: true, items: [{ key: 'b', path: 'b' }] } }))
    await cluster.settle()
    assert.deepEqual(mountEvents('key'), [['Warning', 'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: b', 1]])
    assert.deepEqual(mountEvents('secret'), [['Warning', 'MountVolume.SetUp failed for volume "cfg" : secret "creds" not found', 1]])
    assert.deepEqual(mountEvents('secret-key'), [['Warning', 'MountVolume.SetUp failed for volume "cfg" : references non-existent secret key: tls.key', 1]])
    assert.equal((await get('optional')).status.phase, 'Running')
    assert.equal((await get('optional-key')).status.phase, 'Running')
  })

  it('backs off up to 2m2s between attempts', async () => {
    await cluster.client.create(pod('web', { configMap: { name: 'settings' } }))
    await cluster.settle()
    // 0.5+1+2+4+8+16+32+64 = 127.5 s for eight retries; then every 122 s.
    await cluster.clock.advance('127500ms')
    assert.equal(mountEvents('web')[0][2], 9)
    await cluster.clock.advance('121s')
    assert.equal(mountEvents('web')[0][2], 9)
    await cluster.clock.advance('1s')
    assert.equal(mountEvents('web')[0][2], 10)
  })
})
