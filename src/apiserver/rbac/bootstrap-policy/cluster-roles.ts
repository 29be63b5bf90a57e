// cluster-roles.yaml and cluster-role-bindings.yaml of v1.32's bootstrap policy, in fixture
// order (see policy.ts).
import { rule, urls, type BootstrapBinding, type BootstrapRole } from './policy.ts'

export const CLUSTER_ROLES: BootstrapRole[] = [
  {
    name: 'admin',
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] },
    rules: [],
  },
  {
    name: 'cluster-admin',
    rules: [
      rule(['*'], ['*'], ['*']),
      urls(['*'], ['*']),
    ],
  },
  {
    name: 'edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] },
    rules: [],
  },
  {
    name: 'system:aggregate-to-admin',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    rules: [
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    rules: [
      rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], ['get', 'list', 'watch']),
      rule([''], ['serviceaccounts'], ['impersonate']),
      rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule([''], ['pods/eviction'], ['create']),
      rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule([''], ['serviceaccounts/token'], ['create']),
      rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['autoscaling'], ['horizontalpodautoscalers'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['batch'], ['cronjobs', 'jobs'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['policy'], ['poddisruptionbudgets'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], ['create', 'delete', 'deletecollection', 'patch', 'update']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    rules: [
      rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], ['get', 'list', 'watch']),
      rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], ['get', 'list', 'watch']),
      rule([''], ['namespaces'], ['get', 'list', 'watch']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
      rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], ['get', 'list', 'watch']),
      rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], ['get', 'list', 'watch']),
      rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], ['get', 'list', 'watch']),
      rule(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], ['get', 'list', 'watch']),
      rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], ['get', 'list', 'watch']),
      rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:auth-delegator',
    rules: [
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    ],
  },
  {
    name: 'system:basic-user',
    rules: [
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    rules: [
      rule(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    rules: [
      rule(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:kube-apiserver-client-approver',
    rules: [
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver',
    rules: [
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:kubelet-serving-approver',
    rules: [
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kubelet-serving']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:legacy-unknown-approver',
    rules: [
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/legacy-unknown']),
    ],
  },
  {
    name: 'system:discovery',
    rules: [
      urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get']),
    ],
  },
  {
    name: 'system:heapster',
    rules: [
      rule([''], ['events', 'namespaces', 'nodes', 'pods'], ['get', 'list', 'watch']),
      rule(['extensions'], ['deployments'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:kube-aggregator',
    rules: [
      rule([''], ['endpoints', 'services'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:kube-controller-manager',
    rules: [
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-controller-manager']),
      rule([''], ['secrets', 'serviceaccounts'], ['create']),
      rule([''], ['secrets'], ['delete']),
      rule([''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
      rule([''], ['secrets', 'serviceaccounts'], ['update']),
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      rule(['*'], ['*'], ['list', 'watch']),
      rule([''], ['serviceaccounts/token'], ['create']),
    ],
  },
  {
    name: 'system:kube-dns',
    rules: [
      rule([''], ['endpoints', 'services'], ['list', 'watch']),
    ],
  },
  {
    name: 'system:kube-scheduler',
    rules: [
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'list', 'update', 'watch'], ['kube-scheduler']),
      rule(['coordination.k8s.io'], ['leasecandidates'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule([''], ['pods'], ['delete', 'get', 'list', 'watch']),
      rule([''], ['bindings', 'pods/binding'], ['create']),
      rule([''], ['pods/status'], ['patch', 'update']),
      rule([''], ['replicationcontrollers', 'services'], ['get', 'list', 'watch']),
      rule(['apps', 'extensions'], ['replicasets'], ['get', 'list', 'watch']),
      rule(['apps'], ['statefulsets'], ['get', 'list', 'watch']),
      rule(['policy'], ['poddisruptionbudgets'], ['get', 'list', 'watch']),
      rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get', 'list', 'watch']),
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      rule(['storage.k8s.io'], ['csinodes'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get', 'list', 'watch']),
      rule([''], ['namespaces'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csidrivers'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csistoragecapacities'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:kubelet-api-admin',
    rules: [
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule([''], ['nodes'], ['proxy']),
      rule([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*']),
    ],
  },
  {
    name: 'system:monitoring',
    rules: [
      urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get']),
    ],
  },
  {
    name: 'system:node',
    rules: [
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
      rule([''], ['services'], ['get', 'list', 'watch']),
      rule([''], ['nodes'], ['create', 'get', 'list', 'watch']),
      rule([''], ['nodes/status'], ['patch', 'update']),
      rule([''], ['nodes'], ['patch', 'update']),
      rule([''], ['events'], ['create', 'patch', 'update']),
      rule([''], ['pods'], ['get', 'list', 'watch']),
      rule([''], ['pods'], ['create', 'delete']),
      rule([''], ['pods/status'], ['patch', 'update']),
      rule([''], ['pods/eviction'], ['create']),
      rule([''], ['configmaps', 'secrets'], ['get', 'list', 'watch']),
      rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
      rule([''], ['endpoints'], ['get']),
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get']),
      rule([''], ['serviceaccounts/token'], ['create']),
      rule([''], ['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
      rule(['storage.k8s.io'], ['csidrivers'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['node.k8s.io'], ['runtimeclasses'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:node-bootstrapper',
    rules: [
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:node-problem-detector',
    rules: [
      rule([''], ['nodes'], ['get']),
      rule([''], ['nodes/status'], ['patch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:node-proxier',
    rules: [
      rule([''], ['endpoints', 'services'], ['list', 'watch']),
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      rule([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], ['get', 'list', 'watch']),
      rule([''], ['events'], ['watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [
      urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get']),
    ],
  },
  {
    name: 'system:service-account-issuer-discovery',
    rules: [
      urls(['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], ['get']),
    ],
  },
  {
    name: 'system:volume-scheduler',
    rules: [
      rule([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], ['get', 'list', 'watch']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] },
    rules: [],
  },
]

export const CLUSTER_ROLE_BINDINGS: BootstrapBinding[] = [
  { name: 'cluster-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { name: 'system:basic-user', roleRef: { kind: 'ClusterRole', name: 'system:basic-user' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:discovery', roleRef: { kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:kube-controller-manager', roleRef: { kind: 'ClusterRole', name: 'system:kube-controller-manager' }, subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }] },
  { name: 'system:kube-dns', roleRef: { kind: 'ClusterRole', name: 'system:kube-dns' }, subjects: [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }] },
  { name: 'system:kube-scheduler', roleRef: { kind: 'ClusterRole', name: 'system:kube-scheduler' }, subjects: [{ kind: 'User', name: 'system:kube-scheduler' }] },
  { name: 'system:monitoring', roleRef: { kind: 'ClusterRole', name: 'system:monitoring' }, subjects: [{ kind: 'Group', name: 'system:monitoring' }] },
  // The fixture has no subjects for system:node (nodes are authorized by the Node authorizer).
  { name: 'system:node', roleRef: { kind: 'ClusterRole', name: 'system:node' }, subjects: [] },
  { name: 'system:node-proxier', roleRef: { kind: 'ClusterRole', name: 'system:node-proxier' }, subjects: [{ kind: 'User', name: 'system:kube-proxy' }] },
  { name: 'system:public-info-viewer', roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }] },
  { name: 'system:service-account-issuer-discovery', roleRef: { kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] },
  { name: 'system:volume-scheduler', roleRef: { kind: 'ClusterRole', name: 'system:volume-scheduler' }, subjects: [{ kind: 'User', name: 'system:kube-scheduler' }] },
]
