// The cluster's PKI, as k3s lays it out under server/tls: a server CA that signs the API
// server's serving certificate, and a client CA that signs client certificates (the admin's is
// CN=system:admin, O=system:masters). Generated at first start (ECDSA P-256, fast) and kept.
// @peculiar/x509 is the only X.509 library import in k3sim.
import 'reflect-metadata' // @peculiar/x509 needs it (tsyringe)
import * as x509 from '@peculiar/x509'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { webcrypto } from 'node:crypto'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000

export interface KeyPairPem { cert: string, key: string }

export interface ClusterPki {
  serverCa: KeyPairPem
  clientCa: KeyPairPem
  serving: KeyPairPem
  admin: KeyPairPem
}

async function keyPem (key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

async function importKey (pem: string): Promise<CryptoKey> {
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

/** Names the API server answers to (k3s's defaults plus the service IP 10.43.0.1). */
export const SERVING_DNS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost']
export const SERVING_IPS = ['127.0.0.1', '::1', '10.43.0.1']

export async function generatePki (now = Date.now()): Promise<ClusterPki> {
  const serverCa = await makeCa('k3s-server-ca', now)
  const clientCa = await makeCa('k3s-client-ca', now)
  const serving = await issue(serverCa, 'CN=kube-apiserver', { server: true, dns: SERVING_DNS, ips: SERVING_IPS }, now)
  const admin = await issue(clientCa, 'CN=system:admin, O=system:masters', {}, now)
  return { serverCa, clientCa, serving, admin }
}

const FILES: Record<keyof ClusterPki, string> = { serverCa: 'server-ca', clientCa: 'client-ca', serving: 'serving-kube-apiserver', admin: 'client-admin' }

/** Load the PKI from `<dir>` (k3s: <data-dir>/server/tls), generating it on first use. */
export async function loadOrCreatePki (dir: string): Promise<ClusterPki> {
  if (Object.values(FILES).every(f => existsSync(join(dir, `${f}.crt`)) && existsSync(join(dir, `${f}.key`)))) {
    const read = (f: string): KeyPairPem => ({ cert: readFileSync(join(dir, `${f}.crt`), 'utf8'), key: readFileSync(join(dir, `${f}.key`), 'utf8') })
    return { serverCa: read(FILES.serverCa), clientCa: read(FILES.clientCa), serving: read(FILES.serving), admin: read(FILES.admin) }
  }
  const pki = await generatePki()
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  for (const [k, f] of Object.entries(FILES) as Array<[keyof ClusterPki, string]>) {
    writeFileSync(join(dir, `${f}.crt`), pki[k].cert)
    writeFileSync(join(dir, `${f}.key`), pki[k].key, { mode: 0o600 })
  }
  return pki
}

/** Subject CN and O values of a peer certificate (Node's getPeerCertificate shape). */
export function userFromSubject (subject: { CN?: string | string[], O?: string | string[] }): { name: string, groups: string[] } {
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
  return { name: list(subject.CN)[0] ?? '', groups: list(subject.O) }
}
