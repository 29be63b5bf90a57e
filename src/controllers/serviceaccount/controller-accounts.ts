// kube-controller-manager's own ServiceAccounts. k3s runs it with
// --use-service-account-credentials=true and --controllers=*,tokencleaner (the cloud ones off),
// so at start each controller's client builder gets or creates the ServiceAccount it acts as,
// in kube-system, with nothing but a name (tokens come from TokenRequest: no Secrets). These are
// the names v1.32's controller descriptors ask for with their default feature gates; some
// controllers share one (CSR signing, approving and cleaning: certificate-controller; node IPAM,
// lifecycle and taint eviction: node-controller).
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'

export const CONTROLLER_SERVICE_ACCOUNTS: readonly string[] = [
  'attachdetach-controller', 'certificate-controller', 'clusterrole-aggregation-controller',
  'cronjob-controller', 'daemon-set-controller', 'deployment-controller', 'disruption-controller',
  'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller',
  'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector',
  'horizontal-pod-autoscaler', 'job-controller', 'legacy-service-account-token-cleaner',
  'namespace-controller', 'node-controller', 'persistent-volume-binder', 'pod-garbage-collector',
  'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller',
  'replication-controller', 'resourcequota-controller', 'root-ca-cert-publisher',
  'service-account-controller', 'statefulset-controller', 'token-cleaner',
  'ttl-after-finished-controller', 'ttl-controller', 'validatingadmissionpolicy-status-controller',
]

/** getOrCreateServiceAccount for every controller (k3s writes as user agent `k3s/…`). */
export async function ensureControllerServiceAccounts (client: Client): Promise<void> {
  await Promise.all(CONTROLLER_SERVICE_ACCOUNTS.map(name =>
    client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } } as KubeObject, { fieldManager: 'k3s' })
      .catch(err => { if (!isStatusError(err, 409)) throw err })))
}
