// The ConfigMaps kube-apiserver's own controllers keep in kube-system:
// - kube-apiserver-legacy-service-account-token-tracking (legacytokentracking): `since`, the UTC
//   date tracking began (Go's "2006-01-02"), written once and rewritten only if unparseable;
// - extension-apiserver-authentication (clusterauthenticationtrust): the client CA, and the
//   front proxy's CA with its request-header settings, each list as a JSON array — what an
//   aggregated API server reads to trust kube-apiserver's proxied requests. k3s passes
//   requestheader-allowed-names system:auth-proxy and the X-Remote-* headers. What it held is
//   kept (merged), as upstream's controller does.
import { X509Certificate } from 'node:crypto'
import type { KubeObject } from '../api/object.ts'

export const LEGACY_TOKEN_TRACKING = 'kube-apiserver-legacy-service-account-token-tracking'
export const AUTHENTICATION_TRUST = 'extension-apiserver-authentication'

const configMap = (name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'kube-system' }, data }) as KubeObject

/** The tracking ConfigMap to write: a new one at `now`, a repaired one, or none (it is fine). */
export function legacyTokenTracking (existing: KubeObject | undefined, now: number): KubeObject | undefined {
  const since = new Date(now).toISOString().slice(0, 10)
  if (existing === undefined) return configMap(LEGACY_TOKEN_TRACKING, { since })
  const current = (existing as { data?: Record<string, string> }).data?.since
  // Go's time.Parse("2006-01-02"): a real date (2024-02-30 is not), written exactly so.
  const parsed = current === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(current) ? NaN : Date.parse(`${current}T00:00:00Z`)
  if (!Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === current) return undefined
  return { ...existing, data: { ...(existing as { data?: Record<string, string> }).data, since } } as KubeObject
}

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

/**
 * combineCertLists: the certificates of both bundles, each once, the expired ones dropped, as
 * Go's pem.Encode writes them (64-column base64, a newline after each).
 */
function combineCerts (existing: string | undefined, required: string, now: number): string {
  const bodies: string[] = []
  for (const pem of [existing ?? '', required]) {
    for (const block of pem.match(BLOCK) ?? []) {
      const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '')
      let notAfter: number
      try { notAfter = Date.parse(new X509Certificate(Buffer.from(body, 'base64')).validTo) } catch { continue }
      if (notAfter < now || bodies.includes(body)) continue
      bodies.push(body)
    }
  }
  return bodies.map(body => `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`).join('')
}

/** combineUniqueStringSlices of two JSON lists. */
function combineLists (existing: string | undefined, required: string[]): string {
  let old: unknown
  try { old = JSON.parse(existing ?? '[]') } catch { old = [] }
  const out = Array.isArray(old) ? old.filter((v): v is string => typeof v === 'string') : []
  for (const v of required) if (!out.includes(v)) out.push(v)
  return JSON.stringify([...new Set(out)])
}

/**
 * extension-apiserver-authentication for k3s's client CA and request-header CA (PEM), merged
 * with what the ConfigMap holds (`existing` data) as the clusterauthenticationtrust controller
 * merges: CAs of earlier starts stay until they expire.
 */
export function authenticationTrust (clientCa: string, requestHeaderCa: string, existing: Record<string, string> = {}, now = Date.now()): KubeObject {
  if (clientCa.match(BLOCK) === null || requestHeaderCa.match(BLOCK) === null) throw new Error('extension-apiserver-authentication: a CA without a PEM certificate')
  return configMap(AUTHENTICATION_TRUST, {
    'client-ca-file': combineCerts(existing['client-ca-file'], clientCa, now),
    'requestheader-allowed-names': combineLists(existing['requestheader-allowed-names'], ['system:auth-proxy']),
    'requestheader-client-ca-file': combineCerts(existing['requestheader-client-ca-file'], requestHeaderCa, now),
    'requestheader-extra-headers-prefix': combineLists(existing['requestheader-extra-headers-prefix'], ['X-Remote-Extra-']),
    'requestheader-group-headers': combineLists(existing['requestheader-group-headers'], ['X-Remote-Group']),
    'requestheader-username-headers': combineLists(existing['requestheader-username-headers'], ['X-Remote-User']),
  })
}
