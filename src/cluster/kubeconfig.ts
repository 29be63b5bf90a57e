// The admin kubeconfig, named as ARCHITECTURE.md says: cluster and context `k3sim-<name>`,
// user `admin@k3sim-<name>`, client certificate auth (as k3s writes k3s.yaml).
import { stringify } from 'yaml'
import type { ClusterPki } from './certificates.ts'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

export function kubeconfigYaml (options: { name: string, server: string, pki: ClusterPki }): string {
  const cluster = `k3sim-${options.name}`
  const user = `admin@k3sim-${options.name}`
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { 'certificate-authority-data': b64(options.pki.serverCa.cert), server: options.server } }],
    contexts: [{ name: cluster, context: { cluster, user } }],
    'current-context': cluster,
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': b64(options.pki.admin.cert), 'client-key-data': b64(options.pki.admin.key) } }],
  }, { lineWidth: 0 })
}
