// kube-controller-manager's csrsigning certificates, as k3s configures them: the client CA signs
// kubernetes.io/kube-apiserver-client and kube-apiserver-client-kubelet, the server CA signs
// kubernetes.io/kubelet-serving and legacy-unknown. The certificate keeps the request's subject
// and public key, is backdated 5 minutes, and lasts the requested expirationSeconds (at least
// 10 minutes) or the cluster signing duration (1 year). Loaded only when a CSR is signed:
// @peculiar/x509 costs ~150 ms to load.
import 'reflect-metadata' // @peculiar/x509 needs it (tsyringe)
import * as x509 from '@peculiar/x509'
import { randomBytes, webcrypto } from 'node:crypto'
import type { KeyPairPem } from './certificates.ts'
import { ALG, importKey } from './pki-generate.ts' // also sets @peculiar/x509's crypto provider
const YEAR = 365 * 24 * 3600_000
const BACKDATE = 5 * 60_000

const USAGE_FLAGS: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
}
const EXTENDED: Record<string, string> = {
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'server auth': x509.ExtendedKeyUsage.serverAuth,
}

export interface SignRequest { request: string, usages: string[], expirationSeconds?: number, now: number }

export async function signCsr (ca: KeyPairPem, r: SignRequest): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(r.request)
  if (!await csr.verify()) throw new Error('the request\'s signature does not verify')
  const caCert = new x509.X509Certificate(ca.cert)
  const ttl = r.expirationSeconds === undefined ? YEAR : Math.min(YEAR, Math.max(600, r.expirationSeconds) * 1000)
  let keyUsage = 0
  for (const u of r.usages) keyUsage |= USAGE_FLAGS[u] ?? 0
  const extended = r.usages.map(u => EXTENDED[u]).filter((u): u is string => u !== undefined)
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ]
  if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true))
  if (extended.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(extended))
  const san = csr.extensions.find(e => e instanceof x509.SubjectAlternativeNameExtension)
  if (san !== undefined) extensions.push(san)
  const serial = randomBytes(16)
  serial[0] &= 0x7f
  if (serial[0] === 0) serial[0] = 1
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: csr.subject,
    issuer: caCert.subject,
    notBefore: new Date(r.now - BACKDATE),
    notAfter: new Date(r.now + ttl),
    signingAlgorithm: ALG,
    publicKey: await csr.publicKey.export(webcrypto as unknown as Crypto),
    signingKey: await importKey(ca.key),
    extensions,
  })
  return cert.toString('pem')
}
