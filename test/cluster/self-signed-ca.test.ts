// The node:crypto-only CA a cluster without HTTPS publishes as kube-root-ca.crt: every one it
// makes must parse (a serial starting with a zero byte used to be encoded with a redundant
// leading zero, which OpenSSL refuses as "illegal padding": about 1 CA in 256).
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { selfSignedCa } from '../../src/cluster/self-signed-ca.ts'

describe('selfSignedCa', () => {
  it('makes CAs that parse and verify, serial numbers positive and minimal, 1,000 times over', () => {
    for (let i = 0; i < 1000; i++) {
      const cert = new X509Certificate(selfSignedCa('k3s-server-ca', Date.UTC(2026, 0, 1)).cert)
      assert.ok(cert.ca)
      assert.ok(cert.verify(cert.publicKey))
      assert.match(cert.serialNumber, /^(0[1-9A-F]|[1-7][0-9A-F])[0-9A-F]{14}$/)
      assert.equal(cert.subject, 'CN=k3s-server-ca@1767225600')
    }
  })
})
