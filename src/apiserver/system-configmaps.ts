// The ConfigMaps kube-apiserver's own controllers keep in kube-system:
// - kube-apiserver-legacy-service-account-token-tracking (legacytokentracking): `since`, the UTC
//   date tracking began (Go's "2006-01-02"), written once and rewritten only if unparseable;
// - extension-apiserver-authentication (clusterauthenticationtrust): the client CA, and the
//   front proxy's CA with its request-header settings, each list as a JSON array — what an
//   aggregated API server reads to trust kube-apiserver's proxied requests. k3s passes
//   requestheader-allowed-names system:auth-proxy and the X-Remote-* headers.
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
  if (current !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(current) && !Number.isNaN(Date.parse(current))) return undefined
  return { ...existing, data: { ...(existing as { data?: Record<string, string> }).data, since } } as KubeObject
}

/** Go's pem.Encode of each certificate in a bundle (64-column base64, one trailing newline). */
function pemBundle (pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  const unique = [...new Set(blocks.map(b => b.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '')))]
  return unique.map(body => `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`).join('')
}

/** extension-apiserver-authentication for k3s's client CA and request-header CA (PEM). */
export function authenticationTrust (clientCa: string, requestHeaderCa: string): KubeObject {
  return configMap(AUTHENTICATION_TRUST, {
    'client-ca-file': pemBundle(clientCa),
    'requestheader-allowed-names': JSON.stringify(['system:auth-proxy']),
    'requestheader-client-ca-file': pemBundle(requestHeaderCa),
    'requestheader-extra-headers-prefix': JSON.stringify(['X-Remote-Extra-']),
    'requestheader-group-headers': JSON.stringify(['X-Remote-Group']),
    'requestheader-username-headers': JSON.stringify(['X-Remote-User']),
  })
}
