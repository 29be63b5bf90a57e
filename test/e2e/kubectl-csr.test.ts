// CertificateSigningRequests with the real kubectl, as the CKA's "create a user" task does: a key
// and CSR made by the user, `kubectl certificate approve`, the issued certificate from
// status.certificate, and kubectl authenticating with it as that user (RBAC deciding the rest).
import assert from 'node:assert/strict'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startKubectlCluster, runKubectl, type KubectlCluster } from '../support/kubectl.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

async function keyAndCsr (subject: string): Promise<{ key: string, csr: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as unknown as CryptoKeyPair
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: ALG })
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey), 'PRIVATE KEY')
  return { key, csr: csr.toString('pem') }
}

const csrObject = (name: string, pem: string, usages = ['client auth'], extra: Record<string, unknown> = {}): string => JSON.stringify({
  apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
  spec: { request: Buffer.from(pem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages, expirationSeconds: 86400, ...extra },
})

describe('kubectl against k3sim: CertificateSigningRequests', function () {
  let k: KubectlCluster
  before(async () => { k = await startKubectlCluster({ clock: 'virtual', disable: [...ADDON_NAMES], seed: 41 }) })
  after(async () => { await k.stop() })

  it('issues an approved client certificate that authenticates as its subject', async () => {
    const { key, csr } = await keyAndCsr('CN=jane, O=developers')
    assert.equal(await k.ok(['apply', '-f', '-'], csrObject('jane', csr)), 'certificatesigningrequest.certificates.k8s.io/jane created\n')
    assert.match(await k.ok(['get', 'csr', 'jane']), /^jane\s+\d+s\s+kubernetes\.io\/kube-apiserver-client\s+system:admin\s+24h\s+Pending$/m)
    assert.equal(await k.ok(['certificate', 'approve', 'jane']), 'certificatesigningrequest.certificates.k8s.io/jane approved\n')
    await k.cluster.settle()
    assert.match(await k.ok(['get', 'csr', 'jane']), /\s+Approved,Issued$/m)
    const approved = JSON.parse(await k.ok(['get', 'csr', 'jane', '-o', 'json']))
    assert.deepEqual([approved.status.conditions[0].type, approved.status.conditions[0].reason, approved.status.conditions[0].message], ['Approved', 'KubectlApprove', 'This CSR was approved by kubectl certificate approve.'])
    assert.deepEqual(approved.spec.groups, ['system:masters', 'system:authenticated'])
    const cert = Buffer.from(approved.status.certificate, 'base64').toString('utf8')
    const parsed = new x509.X509Certificate(cert)
    assert.equal(parsed.subject, 'CN=jane, O=developers')
    // A kubeconfig for jane: the cluster's server and CA, her key and certificate.
    const home = mkdtempSync(join(tmpdir(), 'k3sim-jane-'))
    const admin = JSON.parse(await k.ok(['config', 'view', '--raw', '-o', 'json']))
    const kubeconfig = join(home, 'kubeconfig')
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'jane',
      clusters: [{ name: 'c', cluster: admin.clusters[0].cluster }],
      users: [{ name: 'jane', user: { 'client-certificate-data': Buffer.from(cert).toString('base64'), 'client-key-data': Buffer.from(key).toString('base64') } }],
      contexts: [{ name: 'jane', context: { cluster: 'c', user: 'jane' } }],
    }))
    const whoami = await runKubectl(['auth', 'whoami'], { home, kubeconfig })
    assert.match(whoami.stdout, /^Username\s+jane$/m)
    assert.match(whoami.stdout, /^Groups\s+\[developers system:authenticated\]$/m)
    const denied = await runKubectl(['get', 'pods'], { home, kubeconfig })
    assert.equal(denied.stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n')
  })

  it('denies, fails a request its signer does not allow, and refuses malformed requests', async () => {
    const { csr } = await keyAndCsr('CN=bob')
    await k.ok(['apply', '-f', '-'], csrObject('bob', csr))
    assert.equal(await k.ok(['certificate', 'deny', 'bob']), 'certificatesigningrequest.certificates.k8s.io/bob denied\n')
    assert.match(await k.ok(['get', 'csr', 'bob']), /\s+Denied$/m)
    assert.equal(await k.fails(['certificate', 'approve', 'bob']), 'error: certificate signing request "bob" is already Denied\n')
    // kubectl will not send it; the API server refuses it all the same.
    const bobNow = await k.cluster.client.get<any>('certificates.k8s.io/v1', 'CertificateSigningRequest', undefined, 'bob')
    const both = { ...bobNow, status: { conditions: [...bobNow.status.conditions, { type: 'Approved', status: 'True', reason: 'Mine' }] } }
    await assert.rejects(k.cluster.client.update(both, { subresource: 'approval' }), /status\.conditions\[1\]\.type: Invalid value: "Approved": Approved and Denied conditions are mutually exclusive/)
    await assert.rejects(k.cluster.client.update({ ...bobNow, status: { conditions: [] } }, { subresource: 'approval' }), /status\.conditions: Forbidden: updates may not remove a condition of type "Denied"/)
    await k.ok(['apply', '-f', '-'], csrObject('server', csr, ['server auth']))
    await k.ok(['certificate', 'approve', 'server'])
    await k.cluster.settle()
    const failed = JSON.parse(await k.ok(['get', 'csr', 'server', '-o', 'json']))
    assert.deepEqual(failed.status.conditions.map((c: { type: string }) => c.type), ['Approved', 'Failed'])
    assert.equal(failed.status.conditions[1].message, 'invalid usage for client certificate: server auth')
    assert.equal(failed.status.certificate, undefined)
    // Passes the PEM check, but is no CertificationRequest: the signer fails it once.
    const junk = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n').toString('base64')
    await k.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'junk' }, spec: { request: junk, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } }))
    await k.ok(['certificate', 'approve', 'junk'])
    await k.cluster.settle()
    const junkNow = JSON.parse(await k.ok(['get', 'csr', 'junk', '-o', 'json']))
    assert.deepEqual(junkNow.status.conditions.map((c: { type: string, reason: string }) => `${c.type}/${c.reason}`), ['Approved/KubectlApprove', 'Failed/SignerValidationFailure'])
    assert.match(junkNow.status.conditions[1].message, /^unable to parse csr "junk": /)
    const bad = JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'bad' }, spec: { request: Buffer.from('hello').toString('base64'), signerName: 'nodomain', usages: ['client auth'], expirationSeconds: 60 } })
    const err = await k.fails(['apply', '-f', '-'], bad)
    assert.match(err, /spec\.request: Invalid value: .*PEM block type must be CERTIFICATE REQUEST/)
    assert.match(err, /spec\.signerName: Invalid value: "nodomain": must be a fully qualified domain and path of the form 'example\.com\/signer-name'/)
    assert.match(err, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds \(10 minutes\)/)
  })
})
