// The cluster's PKI, as k3s lays it out under server/tls: a server CA that signs the API
// server's serving certificate, and a client CA that signs client certificates (the admin's is
// CN=system:admin, O=system:masters). Generated at first start (pki-generate.ts, loaded only
// then: @peculiar/x509 is ~200 modules a restart does without) and kept.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface KeyPairPem { cert: string, key: string }

export interface ClusterPki {
  serverCa: KeyPairPem
  clientCa: KeyPairPem
  serving: KeyPairPem
  admin: KeyPairPem
}

/** Names the API server answers to (k3s's defaults plus the service IP 10.43.0.1). */
export const SERVING_DNS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost']
export const SERVING_IPS = ['127.0.0.1', '::1', '10.43.0.1']

export async function generatePki (now = Date.now()): Promise<ClusterPki> {
  return (await import('./pki-generate.ts')).generatePki(now)
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
