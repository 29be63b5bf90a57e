// manifests/metrics-server/*.yaml (k3s v1.32). The APIService v1beta1.metrics.k8s.io points
// the API server's aggregator at the metrics-server Service; k3sim's metrics-server add-on
// (addons/metrics-server) is the in-process backend behind it.
import type { KubeObject } from '../../api/object.ts'
import { addonTolerations, clusterRole, clusterRoleBinding, KUBE_SYSTEM, serviceAccount } from './common.ts'

export const METRICS_SERVER_IMAGE = 'rancher/mirrored-metrics-server:v0.7.2'

function metricsServerObjects (): KubeObject[] {
  const app = { 'k8s-app': 'metrics-server' }
  return [
    clusterRole('system:aggregated-metrics-reader', [
      { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ], {
      labels: {
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      },
    }),
    clusterRoleBinding('metrics-server:system:auth-delegator', 'system:auth-delegator', 'metrics-server'),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'metrics-server-auth-reader', namespace: KUBE_SYSTEM },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: KUBE_SYSTEM }],
    },
    clusterRole('system:metrics-server', [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'configmaps'], verbs: ['get', 'list', 'watch'] },
    ]),
    clusterRoleBinding('system:metrics-server', 'system:metrics-server', 'metrics-server'),
    serviceAccount('metrics-server'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'metrics-server', namespace: KUBE_SYSTEM, labels: app },
      spec: {
        revisionHistoryLimit: 0,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
        selector: { matchLabels: app },
        template: {
          metadata: { name: 'metrics-server', labels: app },
          spec: {
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'metrics-server',
            tolerations: addonTolerations(),
            volumes: [{ name: 'tmp-dir', emptyDir: {} }],
            containers: [{
              name: 'metrics-server',
              image: METRICS_SERVER_IMAGE,
              args: [
                '--cert-dir=/tmp',
                '--secure-port=10250',
                '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
                '--kubelet-use-node-status-port',
                '--metric-resolution=15s',
                '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
              ],
              resources: { requests: { cpu: '100m', memory: '70Mi' } },
              ports: [{ containerPort: 10250, name: 'https', protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 2, failureThreshold: 3, initialDelaySeconds: 2 },
              livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
              securityContext: {
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1000,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }],
            }],
          },
        },
      },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        service: { name: 'metrics-server', namespace: KUBE_SYSTEM },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'metrics-server',
        namespace: KUBE_SYSTEM,
        labels: { 'kubernetes.io/name': 'Metrics-server', 'kubernetes.io/cluster-service': 'true' },
      },
      spec: {
        selector: app,
        ports: [{ port: 443, name: 'https', protocol: 'TCP', targetPort: 'https' }],
      },
    },
  ]
}

/** k3s's files of manifests/metrics-server/, each with its objects. */
export function metricsServerFiles (): Array<{ file: string, objects: KubeObject[] }> {
  const [aggregatedReader, authDelegator, authReader, resourceRole, resourceBinding, account, deployment, apiService, service] = metricsServerObjects()
  return [
    { file: 'metrics-server/aggregated-metrics-reader.yaml', objects: [aggregatedReader] },
    { file: 'metrics-server/auth-delegator.yaml', objects: [authDelegator] },
    { file: 'metrics-server/auth-reader.yaml', objects: [authReader] },
    { file: 'metrics-server/metrics-apiservice.yaml', objects: [apiService] },
    { file: 'metrics-server/metrics-server-deployment.yaml', objects: [account, deployment] },
    { file: 'metrics-server/metrics-server-service.yaml', objects: [service] },
    { file: 'metrics-server/resource-reader.yaml', objects: [resourceRole, resourceBinding] },
  ]
}
