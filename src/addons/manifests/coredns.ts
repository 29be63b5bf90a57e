// manifests/coredns.yaml (k3s v1.32): ServiceAccount, RBAC, ConfigMap `coredns`, Deployment
// `coredns` and Service `kube-dns` at the cluster DNS address. `--disable coredns` drops it all.
import type { KubeObject } from '../../api/object.ts'
import { addonTolerations, clusterRole, clusterRoleBinding, KUBE_SYSTEM, serviceAccount } from './common.ts'

export const COREDNS_IMAGE = 'rancher/mirrored-coredns-coredns:1.12.0'

export function corefile (clusterDomain: string): string {
  return `.:53 {
    errors
    health
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    hosts /etc/coredns/NodeHosts {
      ttl 60
      reload 15s
      fallthrough
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
    import /etc/coredns/custom/*.override
}
import /etc/coredns/custom/*.server
`
}

/** The ConfigMap's `NodeHosts` is not in the manifest: k3s's node controller writes it (node-hosts.ts). */
export function corednsObjects (opts: { clusterDNS: string, clusterDomain: string }): KubeObject[] {
  const app = { 'k8s-app': 'kube-dns' }
  return [
    serviceAccount('coredns'),
    clusterRole('system:coredns', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ], { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }),
    clusterRoleBinding('system:coredns', 'system:coredns', 'coredns', {
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
    }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: KUBE_SYSTEM },
      data: { Corefile: corefile(opts.clusterDomain) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: KUBE_SYSTEM, labels: { ...app, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        revisionHistoryLimit: 0,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        selector: { matchLabels: app },
        template: {
          metadata: { labels: app },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            tolerations: addonTolerations(),
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: app } }],
            containers: [{
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [
                { name: 'config-volume', mountPath: '/etc/coredns', readOnly: true },
                { name: 'custom-config-volume', mountPath: '/etc/coredns/custom', readOnly: true },
              ],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['all'] },
                readOnlyRootFilesystem: true,
              },
              livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
            }],
            dnsPolicy: 'Default',
            volumes: [
              { name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }, { key: 'NodeHosts', path: 'NodeHosts' }] } },
              { name: 'custom-config-volume', configMap: { name: 'coredns-custom', optional: true } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: KUBE_SYSTEM,
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        labels: { ...app, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      },
      spec: {
        selector: app,
        clusterIP: opts.clusterDNS,
        clusterIPs: [opts.clusterDNS],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
        ipFamilyPolicy: 'SingleStack',
      },
    },
  ]
}
