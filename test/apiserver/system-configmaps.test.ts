// The kube-system ConfigMaps a fresh k3s v1.32 server has besides the add-ons': kube-apiserver's
// legacy-token-tracking date and extension-apiserver-authentication (the client CA and the
// front proxy's CA with k3s's request-header settings), and k3s's cluster-dns.
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { startControlPlane } from '../../src/cluster/control-plane.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { loadOrCreatePki } from '../../src/cluster/certificates.ts'
import { authenticationTrust, legacyTokenTracking } from '../../src/apiserver/system-configmaps.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { selfSignedCa } from '../../src/cluster/self-signed-ca.ts'
import type { KubeObject } from '../../src/api/object.ts'

type Json = Record<string, any>

describe('kube-system ConfigMaps of a fresh server', () => {
  it('kube-apiserver writes the legacy token tracking date once, and repairs one that does not parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-cm-'))
    try {
      const clock = new VirtualClock({ start: Date.parse('2026-03-04T23:30:00Z') })
      const store = join(dir, 'state.db')
      let cp = await startControlPlane({ clock, apiPort: false, etcdPort: false, store })
      const get = async (c: typeof cp): Promise<Json> => await new InProcessClient({ core: c.core }).get('v1', 'ConfigMap', 'kube-system', 'kube-apiserver-legacy-service-account-token-tracking') as Json
      assert.deepEqual((await get(cp)).data, { since: '2026-03-04' })
      await cp.stop()
      await clock.advance(5 * 24 * 3600_000)
      cp = await startControlPlane({ clock, apiPort: false, etcdPort: false, store })
      assert.deepEqual((await get(cp)).data, { since: '2026-03-04' }, 'a restart keeps the date')
      await cp.stop()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const broken = { metadata: { name: 'x', resourceVersion: '5' }, data: { since: 'yesterday' } } as unknown as KubeObject
    assert.deepEqual((legacyTokenTracking(broken, Date.parse('2026-01-02T03:04:05Z')) as Json).data, { since: '2026-01-02' })
    assert.equal(legacyTokenTracking({ ...broken, data: { since: '2025-12-31' } } as unknown as KubeObject, 0), undefined)
    assert.deepEqual((legacyTokenTracking({ ...broken, data: { since: '2024-02-30' } } as unknown as KubeObject, Date.parse('2026-01-02T00:00:00Z')) as Json).data, { since: '2026-01-02' }, 'not a date: Go\'s parser refuses it')
  })

  it('extension-apiserver-authentication holds the client CA, the request-header CA and k3s\'s header settings', async () => {
    const cp = await startControlPlane({ apiPort: 0, etcdPort: false })
    try {
      const cm = await new InProcessClient({ core: cp.core }).get('v1', 'ConfigMap', 'kube-system', 'extension-apiserver-authentication') as Json
      assert.deepEqual(Object.keys(cm.data).sort(), ['client-ca-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-username-headers'])
      assert.equal(new X509Certificate(cm.data['client-ca-file']).fingerprint256, new X509Certificate(cp.pki!.clientCa.cert).fingerprint256)
      assert.match(new X509Certificate(cm.data['requestheader-client-ca-file']).subject, /^CN=k3s-request-header-ca@\d+$/)
      assert.deepEqual([cm.data['requestheader-allowed-names'], cm.data['requestheader-username-headers'], cm.data['requestheader-group-headers'], cm.data['requestheader-extra-headers-prefix']],
        ['["system:auth-proxy"]', '["X-Remote-User"]', '["X-Remote-Group"]', '["X-Remote-Extra-"]'])
    } finally {
      await cp.stop()
    }
    // Bundles as Go re-encodes them: 64 columns, each certificate once.
    const pem = cpPem()
    const data = (authenticationTrust(pem + pem, pem) as Json).data
    assert.equal(data['client-ca-file'], data['requestheader-client-ca-file'])
    assert.ok(data['client-ca-file'].split('\n').every((l: string) => l.length <= 64))
    // Merged into what it held: an earlier CA stays until it expires; lists keep their entries.
    const older = selfSignedCa('k3s-client-ca').cert
    const expired = selfSignedCa('k3s-client-ca', Date.parse('2000-01-01T00:00:00Z')).cert
    const merged = (authenticationTrust(pem, pem, { 'client-ca-file': older + expired, 'requestheader-group-headers': '["X-Other"]' }) as Json).data
    assert.equal(merged['client-ca-file'].match(/BEGIN CERTIFICATE/g).length, 2)
    assert.ok(merged['client-ca-file'].startsWith(older.replace(/\r/g, '').split('\n')[0]))
    assert.equal(merged['requestheader-group-headers'], '["X-Other","X-Remote-Group"]')
    assert.throws(() => authenticationTrust('', pem), /without a PEM certificate/)
  })

  it('a data dir from before the request-header CA (or with half of it) keeps its certificates and gains that CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-pki-'))
    try {
      const first = await loadOrCreatePki(dir)
      rmSync(join(dir, 'request-header-ca.key'))
      const again = await loadOrCreatePki(dir)
      assert.equal(again.serverCa.cert, first.serverCa.cert)
      assert.equal(again.admin.cert, first.admin.cert)
      assert.ok(existsSync(join(dir, 'request-header-ca.crt')))
      assert.equal(readFileSync(join(dir, 'request-header-ca.crt'), 'utf8'), again.requestHeaderCa.cert)
      assert.notEqual(again.requestHeaderCa.cert, first.requestHeaderCa.cert)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('k3s writes cluster-dns for its agents, as its supervisor', async () => {
    const cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES] })
    try {
      const cm = await cluster.client.get('v1', 'ConfigMap', 'kube-system', 'cluster-dns') as Json
      assert.deepEqual(cm.data, { clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local' })
      assert.equal(cm.metadata.managedFields[0].manager, 'k3s-supervisor@k3sim-k3s-default-server-0')
    } finally {
      await cluster.stop()
    }
  })
})

/** A certificate's PEM with 76-column lines (not Go's 64). */
function cpPem (): string {
  const body = 'MIIBfTCCASSgAwIBAgIIGwbf2U8E+W0wCgYIKoZIzj0EAwIwIzEhMB8GA1UEAwwYazNzLWNsaWVudC1jYUAxNzk1NDIzMDg0MB4XDTI2MTEyMzA4MzcwNFoXDTM2MTEyMDA4MzgwNFowIzEhMB8GA1UEAwwYazNzLWNsaWVudC1jYUAxNzk1NDIzMDg0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFC+Z6XpMRI8SIte9zaWviIWnCZrB3lpxpbWFup4IqQ40QH9tjiKlSbj6zqtTSOaxCFHAHl5pCTxbH60RY7j98qNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAYYwHQYDVR0OBBYEFL7TA1UaDwngixqXKHLQ90YQSm3FMAoGCCqGSM49BAMCA0cAMEQCIHecTOy6ADir9ZsI1FWNg+XVhSter4MKhq2esWvYe12mAiBSGdQnQPN/S23cylK586dq7iRIL6r0InT2HPBUEUL/0g=='
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,76}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
}
