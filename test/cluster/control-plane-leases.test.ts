// The kube-system Leases a k3s v1.32 server keeps: kube-controller-manager, kube-scheduler and
// k3s-cloud-controller-manager (`<hostname>_<uuid>`, 15 s), k3s (the hostname, 45 s), and
// kube-apiserver's identity `apiserver-<hash>` (3600 s, labelled). On by default with the real
// clock; off with the virtual one unless asked for.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { apiServerIdentity } from '../../src/cluster/control-plane-leases.ts'

type Json = Record<string, any>

const leases = async (cluster: Cluster): Promise<Json[]> =>
  (await cluster.client.list('coordination.k8s.io/v1', 'Lease', { namespace: 'kube-system' })).items as Json[]

describe('cluster: the control plane\'s kube-system Leases', () => {
  it('names kube-apiserver\'s identity Lease as upstream hashes the hostname', () => {
    // Vectors from an independent implementation (Python: struct, hashlib, base64.b32encode).
    assert.equal(apiServerIdentity('k3sim-k3s-default-server-0'), 'apiserver-tcx7qwqym4ndfljzy2oqz6brpq')
    assert.equal(apiServerIdentity('k3d-demo-server-0'), 'apiserver-tbovar5ze2pqx4h6gvtcm557sm')
    assert.equal(apiServerIdentity(''), 'apiserver-2ikcnb3wory4bpirwz777r2iv4')
  })

  it('holds them as a k3s server does, and renews them on the clock', async () => {
    const cluster = await Cluster.start({ clock: 'virtual', leaderElection: true, disable: [...ADDON_NAMES], seed: 7 })
    try {
      const host = 'k3sim-k3s-default-server-0'
      const byName = new Map((await leases(cluster)).map(l => [l.metadata.name, l]))
      const identity = apiServerIdentity(host)
      assert.deepEqual([...byName.keys()].sort(), [identity, 'k3s', 'k3s-cloud-controller-manager', 'kube-controller-manager', 'kube-scheduler'])
      for (const name of ['kube-controller-manager', 'kube-scheduler', 'k3s-cloud-controller-manager']) {
        const spec = byName.get(name)!.spec
        assert.match(spec.holderIdentity, new RegExp(`^${host}_[0-9a-f-]{36}$`), name)
        assert.deepEqual([spec.leaseDurationSeconds, spec.leaseTransitions], [15, 0], name)
      }
      assert.deepEqual([byName.get('k3s')!.spec.holderIdentity, byName.get('k3s')!.spec.leaseDurationSeconds], [host, 45])
      const apiserver = byName.get(identity)!
      assert.deepEqual(apiserver.metadata.labels, { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': host })
      assert.match(apiserver.spec.holderIdentity, new RegExp(`^${identity}_[0-9a-f-]{36}$`))
      assert.equal(apiserver.spec.leaseDurationSeconds, 3600)
      assert.equal(apiserver.spec.acquireTime, undefined)

      const before = new Map((await leases(cluster)).map(l => [l.metadata.name, l.spec.renewTime]))
      await cluster.clock.advance('10s')
      for (const l of await leases(cluster)) assert.notEqual(l.spec.renewTime, before.get(l.metadata.name), `${l.metadata.name} renewed`)
      const events = cluster.events({ namespace: 'kube-system' }).filter(e => e.reason === 'LeaderElection')
      assert.deepEqual(events.map(e => `${(e as Json).source.component} ${(e as Json).involvedObject.name}`).sort(), ['cloud-controller-manager k3s-cloud-controller-manager', 'default-scheduler kube-scheduler', 'kube-controller-manager kube-controller-manager'])
    } finally {
      await cluster.stop()
    }
  })

  it('gives each server its own identity Lease; the first one holds the elections', async () => {
    const cluster = await Cluster.start({ clock: 'virtual', leaderElection: true, servers: 2, disable: [...ADDON_NAMES] })
    try {
      const all = await leases(cluster)
      const identities = all.filter(l => l.metadata.labels?.['apiserver.kubernetes.io/identity'] === 'kube-apiserver').map(l => l.metadata.labels['kubernetes.io/hostname']).sort()
      assert.deepEqual(identities, ['k3sim-k3s-default-server-0', 'k3sim-k3s-default-server-1'])
      assert.match(all.find(l => l.metadata.name === 'kube-controller-manager')!.spec.holderIdentity, /^k3sim-k3s-default-server-0_/)
    } finally {
      await cluster.stop()
    }
  })

  it('are off with a virtual clock unless asked for, and kube-scheduler\'s with the scheduler', async () => {
    const quiet = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES] })
    try {
      assert.deepEqual(await leases(quiet), [])
    } finally {
      await quiet.stop()
    }
    const real = await Cluster.start({ disable: [...ADDON_NAMES], scheduler: false })
    try {
      assert.deepEqual((await leases(real)).map(l => l.metadata.name).filter(n => !n.startsWith('apiserver-')).sort(), ['k3s', 'k3s-cloud-controller-manager', 'kube-controller-manager'])
    } finally {
      await real.stop()
    }
  })
})
