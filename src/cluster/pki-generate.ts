// Generating the cluster's PKI (ECDSA P-256, fast): the two CAs, the API server's serving
// certificate and the admin's client certificate. @peculiar/x509 is the only X.509 library
// import in k3sim; certificates.ts loads this file only when there is no PKI yet.
import 'reflect-metadata' // @peculiar/x509 needs it (tsyringe)
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import { SERVING_DNS, SERVING_IPS, type ClusterPki, type KeyPairPem } from './certificates.ts'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

/** Every key and signature of the cluster's PKI (k3s: ECDSA P-256). */
export const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000

async function keyPem (key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

/** A PKCS#8 PEM key, for signing. */
export async function importKey (pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALG, true, ['sign']) as Promise<CryptoKey>
}

function serial (): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1')
}

async function makeCa (name: string, now: number): Promise<KeyPairPem> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}@${Math.floor(now / 1000)}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) }
}

async function issue (ca: KeyPairPem, subject: string, options: { server?: boolean, dns?: string[], ips?: string[] }, now: number): Promise<KeyPairPem> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair
  const caCert = new x509.X509Certificate(ca.cert)
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([options.server === true ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ]
  if (options.server === true) {
    extensions.push(new x509.SubjectAlternativeNameExtension([
      ...(options.dns ?? []).map(value => ({ type: 'dns' as const, value })),
      ...(options.ips ?? []).map(value => ({ type: 'ip' as const, value })),
    ]))
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.key),
    extensions,
  })
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) }
}

export async function generatePki (now = Date.now()): Promise<ClusterPki> {
  const serverCa = await makeCa('k3s-server-ca', now)
  const clientCa = await makeCa('k3s-client-ca', now)
  const requestHeaderCa = await makeCa('k3s-request-header-ca', now)
  const serving = await issue(serverCa, 'CN=kube-apiserver', { server: true, dns: SERVING_DNS, ips: SERVING_IPS }, now)
  const admin = await issue(clientCa, 'CN=system:admin, O=system:masters', {}, now)
  return { serverCa, clientCa, requestHeaderCa, serving, admin }
}

