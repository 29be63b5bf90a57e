// The serviceaccount controller and the root-CA publisher end to end: every namespace gets the
// `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap, and gets them back when deleted.
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import { X509Certificate } from 'node:crypto'
import {
  ROOT_CA_DESCRIPTION, rootCACertPublisher,
} from '../../../src/controllers/serviceaccount/index.ts'

type Json = Record<string, any>

describe('serviceaccount controller and root-CA publisher', () => {
  let cluster: Cluster
  /** The cluster's CA (a library cluster without HTTPS makes one for these ConfigMaps). */
  let CA: string
  beforeEach(async () => {
    cluster = await Cluster.start({ clock: 'virtual', seed: 4 })
    CA = (await cluster.client.get('v1', 'ConfigMap', 'default', 'kube-root-ca.crt') as Json).data['ca.crt']
    assert.ok(new X509Certificate(CA).ca)
  })
  afterEach(async () => { await cluster.stop() })

  const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

  it('gives every namespace, including one created later, a default ServiceAccount and kube-root-ca.crt', async () => {
    await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } })
    await cluster.settle()
    for (const ns of [...namespaces, 'team-a']) {
      const sa = await cluster.client.get('v1', 'ServiceAccount', ns, 'default')
      assert.equal(sa.metadata.namespace, ns)
      const cm = await cluster.client.get('v1', 'ConfigMap', ns, 'kube-root-ca.crt') as Json
      assert.deepEqual(cm.data, { 'ca.crt': CA })
      assert.equal(cm.metadata.annotations['kubernetes.io/description'], ROOT_CA_DESCRIPTION)
    }
  })

  it('recreates a deleted default ServiceAccount and kube-root-ca.crt', async () => {
    await cluster.client.delete('v1', 'ServiceAccount', 'default', 'default')
    await cluster.client.delete('v1', 'ConfigMap', 'default', 'kube-root-ca.crt')
    await cluster.settle()
    await cluster.client.get('v1', 'ServiceAccount', 'default', 'default')
    assert.deepEqual((await cluster.client.get('v1', 'ConfigMap', 'default', 'kube-root-ca.crt') as Json).data, { 'ca.crt': CA })
  })

  it('puts back an edited kube-root-ca.crt', async () => {
    const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-public', 'kube-root-ca.crt') as Json
    await cluster.client.update({ ...cm, data: { 'ca.crt': 'tampered', extra: 'x' } } as any)
    await cluster.settle()
    assert.deepEqual((await cluster.client.get('v1', 'ConfigMap', 'kube-public', 'kube-root-ca.crt') as Json).data, { 'ca.crt': CA })
  })

  it('refuses to start without a CA', () => {
    assert.throws(() => rootCACertPublisher({ rootCA: '' }), /needs rootCA/)
  })
})
