// The cluster's PKI, as k3s lays it out under server/tls: a server CA that signs the API
// server's serving certificate, and a client CA that signs client certificates (the admin's is
// CN=system:admin, O=system:masters). Generated at first start (pki-generate.ts, in a worker
// thread: @peculiar/x509 is ~200 modules a restart does without) and kept.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { selfSignedCa } from './self-signed-ca.ts'

export interface KeyPairPem { cert: string, key: string }

export interface ClusterPki {
  serverCa: KeyPairPem
  clientCa: KeyPairPem
  /** The front proxy's CA (k3s's request-header-ca): published in extension-apiserver-authentication. */
  requestHeaderCa: KeyPairPem
  serving: KeyPairPem
  admin: KeyPairPem
}

/** Names the API server answers to (k3s's defaults plus the service IP 10.43.0.1). */
export const SERVING_DNS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost']
export const SERVING_IPS = ['127.0.0.1', '::1', '10.43.0.1']

/** Generate a PKI on a worker thread: the main thread goes on starting the cluster meanwhile. */
export function generatePki (now = Date.now()): Promise<ClusterPki> {
  // Run from src/ (Node strips the types) or built (dist/, dist/bundle/): the worker file is the sibling.
  const entry = new URL(import.meta.url.endsWith('.ts') ? './pki-worker.ts' : './pki-worker.js', import.meta.url)
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { now } })
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', code => reject(new Error(`PKI generation stopped (exit code ${code}) before producing certificates`)))
  })
}

const FILES: Record<keyof ClusterPki, string> = { serverCa: 'server-ca', clientCa: 'client-ca', requestHeaderCa: 'request-header-ca', serving: 'serving-kube-apiserver', admin: 'client-admin' }
/** A data dir from before the request-header CA has the others: they are kept, that one made. */
const ADDED_LATER: ReadonlySet<keyof ClusterPki> = new Set(['requestHeaderCa'])

/** Where a data dir keeps its PKI, as k3s: <data-dir>/server/tls. */
export function pkiDir (dataDir: string): string {
  return join(dataDir, 'server', 'tls')
}

const pregenerated = new Map<string, Promise<ClusterPki>>()

function hasPki (dir: string): boolean {
  return (Object.entries(FILES) as Array<[keyof ClusterPki, string]>).every(([k, f]) => ADDED_LATER.has(k) || (existsSync(join(dir, `${f}.crt`)) && existsSync(join(dir, `${f}.key`))))
}

/**
 * Start generating the PKI `loadOrCreatePki(dir)` will need, if `dir` has none yet, without
 * writing anything: `k3sim server` calls it before loading the rest of the cluster, so the worker
 * runs meanwhile; a start that fails before the control plane leaves no files behind.
 */
export function pregeneratePki (dir: string): void {
  if (pregenerated.has(dir) || hasPki(dir)) return
  const pki = generatePki()
  pki.catch(() => undefined) // reported by the loadOrCreatePki that takes it
  pregenerated.set(dir, pki)
}

/**
 * Wait for key generation still running on a worker: a process that exits while a worker is
 * inside a key generation job dies on a native assertion (SIGABRT), not with its exit code.
 */
export async function settlePregenerated (): Promise<void> {
  await Promise.all([...pregenerated.values()].map(p => p.catch(() => undefined)))
}

/** Load the PKI from `<dir>` (k3s: <data-dir>/server/tls), generating it on first use. */
export async function loadOrCreatePki (dir: string): Promise<ClusterPki> {
  if (hasPki(dir)) {
    const read = (f: string): KeyPairPem => ({ cert: readFileSync(join(dir, `${f}.crt`), 'utf8'), key: readFileSync(join(dir, `${f}.key`), 'utf8') })
    const pair = [`${FILES.requestHeaderCa}.crt`, `${FILES.requestHeaderCa}.key`]
    if (!pair.every(f => existsSync(join(dir, f)))) write(dir, FILES.requestHeaderCa, selfSignedCa('k3s-request-header-ca'))
    return { serverCa: read(FILES.serverCa), clientCa: read(FILES.clientCa), requestHeaderCa: read(FILES.requestHeaderCa), serving: read(FILES.serving), admin: read(FILES.admin) }
  }
  const early = pregenerated.get(dir)
  pregenerated.delete(dir)
  const pki = await (early ?? generatePki())
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  for (const [k, f] of Object.entries(FILES) as Array<[keyof ClusterPki, string]>) write(dir, f, pki[k])
  return pki
}

function write (dir: string, file: string, pair: KeyPairPem): void {
  writeFileSync(join(dir, `${file}.crt`), pair.cert)
  writeFileSync(join(dir, `${file}.key`), pair.key, { mode: 0o600 })
}

/** Subject CN and O values of a peer certificate (Node's getPeerCertificate shape). */
export function userFromSubject (subject: { CN?: string | string[], O?: string | string[] }): { name: string, groups: string[] } {
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
  return { name: list(subject.CN)[0] ?? '', groups: list(subject.O) }
}
