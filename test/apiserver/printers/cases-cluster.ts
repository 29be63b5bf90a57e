// Golden inputs for networking, discovery, rbac, storage, coordination, scheduling and the rest.
import type { GoldenSet } from './cases-core.ts'
import { ago, meta } from './builders.ts'

export const clusterCases: GoldenSet = {
  'networking.k8s.io/ingresses': [
    { name: 'traefik ingress with tls', obj: { metadata: meta('web'), spec: { ingressClassName: 'traefik', tls: [{ hosts: ['a.example.com'] }], rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }, { ip: '172.18.0.3' }] } } } },
    { name: 'no class, five rules, one without a host', obj: { metadata: meta('many'), spec: { rules: [{ host: 'a' }, {}, { host: 'c' }, { host: 'd' }, { host: 'e' }] }, status: {} } },
    { name: 'catch-all', obj: { metadata: meta('all'), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } } }
  ],
  'networking.k8s.io/ingressclasses': [
    { name: 'traefik', obj: { metadata: meta('traefik'), spec: { controller: 'traefik.io/ingress-controller' } } },
    { name: 'with parameters', obj: { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } } }
  ],
  'networking.k8s.io/networkpolicies': [
    { name: 'all pods', obj: { metadata: meta('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress'] } } },
    { name: 'selected pods', obj: { metadata: meta('allow-web'), spec: { podSelector: { matchLabels: { role: 'web', app: 'shop' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'zone', operator: 'Exists' }] } } } }
  ],
  'discovery.k8s.io/endpointslices': [
    { name: 'kubernetes', obj: { metadata: meta('kubernetes'), addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] } },
    { name: 'many endpoints, named and unset ports', obj: { metadata: meta('web-abcde'), addressType: 'IPv4', endpoints: [{ addresses: ['10.42.0.1'] }, { addresses: ['10.42.0.2', '10.42.0.3'] }, { addresses: ['10.42.0.4'] }], ports: [{ name: 'http' }, { port: 8080 }, {}, { port: 9090 }] } },
    { name: 'empty', obj: { metadata: meta('empty-xyz'), addressType: 'IPv6', endpoints: [], ports: null } }
  ],
  'rbac.authorization.k8s.io/rolebindings': [
    { name: 'subjects of every kind', obj: { metadata: meta('read'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', namespace: 'ci', name: 'runner' }] } }
  ],
  'rbac.authorization.k8s.io/clusterrolebindings': [
    { name: 'cluster-admin', obj: { metadata: meta('cluster-admin'), roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] } }
  ],
  'rbac.authorization.k8s.io/roles': [
    { name: 'default table', obj: { metadata: meta('reader', { creationTimestamp: '2025-05-29T07:59:59.123456Z' }), rules: [] } }
  ],
  'storage.k8s.io/storageclasses': [
    { name: 'k3s local-path (default)', obj: { metadata: meta('local-path', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' } },
    { name: 'defaults applied', obj: { metadata: meta('plain'), provisioner: 'example.com/x', allowVolumeExpansion: true } }
  ],
  'storage.k8s.io/csidrivers': [
    { name: 'defaults', obj: { metadata: meta('csi.example.com'), spec: {} } },
    { name: 'explicit', obj: { metadata: meta('secrets-store.csi.k8s.io'), spec: { attachRequired: false, podInfoOnMount: true, tokenRequests: [{ audience: 'a' }, { audience: 'b' }], requiresRepublish: true, volumeLifecycleModes: ['Ephemeral', 'Persistent'] } } }
  ],
  'storage.k8s.io/csinodes': [{ name: 'csinode', obj: { metadata: meta('node-a'), spec: { drivers: [{ name: 'x', nodeID: 'n' }] } } }],
  'storage.k8s.io/csistoragecapacities': [
    { name: 'reported', obj: { metadata: meta('csisc-abcde'), storageClassName: 'fast', capacity: '100Gi' } },
    { name: 'capacity unset', obj: { metadata: meta('csisc-fghij'), storageClassName: 'slow' } }
  ],
  'storage.k8s.io/volumeattachments': [{ name: 'attached', obj: { metadata: meta('csi-123'), spec: { attacher: 'csi.example.com', source: { persistentVolumeName: 'pv-1' }, nodeName: 'node-a' }, status: { attached: true } } }],
  'coordination.k8s.io/leases': [
    { name: 'node lease', obj: { metadata: meta('k3d-k3s-default-server-0'), spec: { holderIdentity: 'k3d-k3s-default-server-0', leaseDurationSeconds: 40, renewTime: ago('3s') } } },
    { name: 'unheld', obj: { metadata: meta('free'), spec: {} } }
  ],
  'scheduling.k8s.io/priorityclasses': [
    { name: 'system-node-critical', obj: { metadata: meta('system-node-critical'), value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' } },
    { name: 'global default, never preempts', obj: { metadata: meta('low'), value: -10, globalDefault: true, preemptionPolicy: 'Never' } }
  ],
  'node.k8s.io/runtimeclasses': [{ name: 'nvidia', obj: { metadata: meta('nvidia'), handler: 'nvidia' } }],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': [{ name: 'two webhooks', obj: { metadata: meta('policy'), webhooks: [{ name: 'a' }, { name: 'b' }] } }],
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': [{ name: 'none yet', obj: { metadata: meta('inject') } }],
  'admissionregistration.k8s.io/validatingadmissionpolicies': [
    { name: 'with a param kind', obj: { metadata: meta('replica-limit'), spec: { paramKind: { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' }, validations: [{ expression: 'object.spec.replicas <= params.maxReplicas' }, { expression: 'true' }] } } },
    { name: 'no params', obj: { metadata: meta('no-latest'), spec: { validations: [{ expression: 'true' }] } } }
  ],
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': [
    { name: 'namespaced param', obj: { metadata: meta('limit-test'), spec: { policyName: 'replica-limit', paramRef: { name: 'limits', namespace: 'test' } } } },
    { name: 'param without a namespace', obj: { metadata: meta('limit-any'), spec: { policyName: 'replica-limit', paramRef: { name: 'limits' } } } },
    { name: 'param selector', obj: { metadata: meta('limit-sel'), spec: { policyName: 'replica-limit', paramRef: { selector: { matchLabels: { tier: 'web', app: 'shop' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] } } } } },
    { name: 'no param', obj: { metadata: meta('plain'), spec: { policyName: 'no-latest' } } }
  ],
  'flowcontrol.apiserver.k8s.io/flowschemas': [
    { name: 'global-default', obj: { metadata: meta('global-default'), spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 9900, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } } },
    { name: 'exempt sorts first', obj: { metadata: meta('exempt'), spec: { priorityLevelConfiguration: { name: 'exempt' }, matchingPrecedence: 1 }, status: {} } },
    { name: 'ties sort by name', obj: { metadata: meta('catch-all'), spec: { priorityLevelConfiguration: { name: 'catch-all' }, matchingPrecedence: 9900 } } }
  ],
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': [
    { name: 'exempt', obj: { metadata: meta('exempt'), spec: { type: 'Exempt', exempt: {} } } },
    { name: 'limited with queuing', obj: { metadata: meta('global-default'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 20, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } } },
    { name: 'limited, reject', obj: { metadata: meta('catch-all'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' } } } } }
  ],
  'certificates.k8s.io/certificatesigningrequests': [
    { name: 'approved and issued', obj: { metadata: meta('csr-abc'), spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'system:admin', expirationSeconds: 86400 }, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' } } },
    { name: 'pending', obj: { metadata: meta('csr-new'), spec: { username: 'bob' }, status: {} } }
  ],
  'apiregistration.k8s.io/apiservices': [
    { name: 'local', obj: { metadata: meta('v1.apps'), spec: { group: 'apps', version: 'v1' }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } } },
    { name: 'metrics-server unavailable', obj: { metadata: meta('v1beta1.metrics.k8s.io'), spec: { service: { namespace: 'kube-system', name: 'metrics-server' } }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } } }
  ],
  'metrics.k8s.io/nodes': [
    { name: 'a node', obj: { metadata: { name: 'k3sim-k3s-default-server-0', creationTimestamp: '2025-06-01T12:00:00Z' }, timestamp: '2025-06-01T11:59:50Z', window: '15.001s', usage: { cpu: '138824473n', memory: '5074568Ki' } } }
  ],
  'metrics.k8s.io/pods': [
    { name: 'two containers summed', obj: { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-06-01T12:00:00Z' }, timestamp: '2025-06-01T11:59:50Z', window: '15s', containers: [{ name: 'app', usage: { cpu: '250m', memory: '64Mi' } }, { name: 'proxy', usage: { cpu: '1267873n', memory: '3136Ki' } }] } }
  ],
  'apiextensions.k8s.io/customresourcedefinitions': [
    { name: 'default table', obj: { metadata: meta('helmcharts.helm.cattle.io', { creationTimestamp: '2025-05-29T07:59:59Z' }), spec: {} } }
  ]
}
