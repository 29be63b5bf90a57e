// Kubernetes v1.32's bootstrap RBAC policy (kube-apiserver's rbac/bootstrap-roles post-start hook), transcribed from
// upstream's bootstrappolicy testdata fixtures. Every object also gets the annotation
// rbac.authorization.kubernetes.io/autoupdate: "true" and the label kubernetes.io/bootstrapping: rbac-defaults
// unless `annotations`/`labels` below say otherwise.
export interface PolicyRule { verbs: string[], apiGroups?: string[], resources?: string[], resourceNames?: string[], nonResourceURLs?: string[] }
export interface BootstrapRole {
  name: string
  /** Namespaced Roles only. */
  namespace?: string
  /** Labels besides kubernetes.io/bootstrapping: rbac-defaults (e.g. rbac.authorization.k8s.io/aggregate-to-admin). */
  labels?: Record<string, string>
  /** Only when the fixture's annotations differ from the autoupdate one (give the full set then). */
  annotations?: Record<string, string>
  aggregationRule?: { clusterRoleSelectors: Array<{ matchLabels: Record<string, string> }> }
  /** Aggregated roles (rules: null in the fixture): []. */
  rules: PolicyRule[]
}
export interface Subject { kind: 'User' | 'Group' | 'ServiceAccount', name: string, namespace?: string }
export interface BootstrapBinding {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  roleRef: { kind: 'ClusterRole' | 'Role', name: string }
  subjects: Subject[]
}

// Argument order: apiGroups, resources, verbs[, resourceNames]; every list in the fixture's order.
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule =>
  resourceNames === undefined ? { verbs, apiGroups, resources } : { verbs, apiGroups, resources, resourceNames }
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ verbs, nonResourceURLs })

/** cluster-roles.yaml then controller-roles.yaml, in fixture order. */
export const CLUSTER_ROLES: BootstrapRole[] = [
  // ---- cluster-roles.yaml ----
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

  // ---- controller-roles.yaml ----
  {
    name: 'system:controller:attachdetach-controller',
    rules: [
      rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['list', 'watch']),
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule([''], ['nodes/status'], ['patch', 'update']),
      rule([''], ['pods'], ['list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['create', 'delete', 'get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csidrivers'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csinodes'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:controller:certificate-controller',
    rules: [
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['delete', 'get', 'list', 'watch']),
      rule(['certificates.k8s.io'], ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], ['update']),
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet']),
      rule(['certificates.k8s.io'], ['signers'], ['sign'], ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:clusterrole-aggregation-controller',
    rules: [
      rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate', 'get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'system:controller:cronjob-controller',
    rules: [
      rule(['batch'], ['cronjobs'], ['get', 'list', 'update', 'watch']),
      rule(['batch'], ['jobs'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule(['batch'], ['cronjobs/status'], ['update']),
      rule(['batch'], ['cronjobs/finalizers'], ['update']),
      rule([''], ['pods'], ['delete', 'list']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:daemon-set-controller',
    rules: [
      rule(['apps', 'extensions'], ['daemonsets'], ['get', 'list', 'watch']),
      rule(['apps', 'extensions'], ['daemonsets/status'], ['update']),
      rule(['apps', 'extensions'], ['daemonsets/finalizers'], ['update']),
      rule([''], ['nodes'], ['list', 'watch']),
      rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      rule([''], ['pods/binding'], ['create']),
      rule(['apps'], ['controllerrevisions'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:deployment-controller',
    rules: [
      rule(['apps', 'extensions'], ['deployments'], ['get', 'list', 'update', 'watch']),
      rule(['apps', 'extensions'], ['deployments/status'], ['update']),
      rule(['apps', 'extensions'], ['deployments/finalizers'], ['update']),
      rule(['apps', 'extensions'], ['replicasets'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule([''], ['pods'], ['get', 'list', 'update', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:disruption-controller',
    rules: [
      rule(['apps', 'extensions'], ['deployments'], ['get', 'list', 'watch']),
      rule(['apps', 'extensions'], ['replicasets'], ['get', 'list', 'watch']),
      rule([''], ['replicationcontrollers'], ['get', 'list', 'watch']),
      rule(['policy'], ['poddisruptionbudgets'], ['get', 'list', 'watch']),
      rule(['apps'], ['statefulsets'], ['get', 'list', 'watch']),
      rule(['policy'], ['poddisruptionbudgets/status'], ['update']),
      rule([''], ['pods/status'], ['patch', 'update']),
      rule(['*'], ['*/scale'], ['get']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:endpoint-controller',
    rules: [
      rule([''], ['pods', 'services'], ['get', 'list', 'watch']),
      rule([''], ['endpoints'], ['create', 'delete', 'get', 'list', 'update']),
      rule([''], ['endpoints/restricted'], ['create']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:endpointslice-controller',
    rules: [
      rule([''], ['nodes', 'pods', 'services'], ['get', 'list', 'watch']),
      rule([''], ['services/finalizers'], ['update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:endpointslicemirroring-controller',
    rules: [
      rule([''], ['endpoints', 'services'], ['get', 'list', 'watch']),
      rule([''], ['services/finalizers'], ['update']),
      rule([''], ['endpoints/finalizers'], ['update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:ephemeral-volume-controller',
    rules: [
      rule([''], ['pods'], ['get', 'list', 'watch']),
      rule([''], ['pods/finalizers'], ['update']),
      rule([''], ['persistentvolumeclaims'], ['create', 'get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:expand-controller',
    rules: [
      rule([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      rule([''], ['persistentvolumeclaims/status'], ['patch', 'update']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule([''], ['services'], ['get']),
    ],
  },
  {
    name: 'system:controller:generic-garbage-collector',
    rules: [
      rule(['*'], ['*'], ['delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:horizontal-pod-autoscaler',
    rules: [
      rule(['autoscaling'], ['horizontalpodautoscalers'], ['get', 'list', 'watch']),
      rule(['autoscaling'], ['horizontalpodautoscalers/status'], ['update']),
      rule(['*'], ['*/scale'], ['get', 'update']),
      rule([''], ['pods'], ['list']),
      rule(['metrics.k8s.io'], ['pods'], ['list']),
      rule(['custom.metrics.k8s.io'], ['*'], ['get', 'list']),
      rule(['external.metrics.k8s.io'], ['*'], ['get', 'list']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:job-controller',
    rules: [
      rule(['batch'], ['jobs'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['batch'], ['jobs/status'], ['update']),
      rule(['batch'], ['jobs/finalizers'], ['update']),
      rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:legacy-service-account-token-cleaner',
    rules: [
      rule([''], ['configmaps'], ['get'], ['kube-apiserver-legacy-service-account-token-tracking']),
      rule([''], ['secrets'], ['delete', 'patch']),
    ],
  },
  {
    name: 'system:controller:namespace-controller',
    rules: [
      rule([''], ['namespaces'], ['delete', 'get', 'list', 'watch']),
      rule([''], ['namespaces/finalize', 'namespaces/status'], ['update']),
      rule(['*'], ['*'], ['delete', 'deletecollection', 'get', 'list']),
    ],
  },
  {
    name: 'system:controller:node-controller',
    rules: [
      rule([''], ['nodes'], ['delete', 'get', 'list', 'patch', 'update']),
      rule([''], ['nodes/status'], ['patch', 'update']),
      rule([''], ['pods/status'], ['patch', 'update']),
      rule([''], ['pods'], ['delete', 'get', 'list']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:persistent-volume-binder',
    rules: [
      rule([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
      rule([''], ['persistentvolumes/status'], ['update']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule([''], ['persistentvolumeclaims/status'], ['update']),
      rule([''], ['pods'], ['create', 'delete', 'get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], ['get', 'list', 'watch']),
      rule([''], ['nodes'], ['list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule([''], ['events'], ['watch']),
      rule([''], ['services'], ['get']),
    ],
  },
  {
    name: 'system:controller:pod-garbage-collector',
    rules: [
      rule([''], ['pods'], ['delete', 'list', 'watch']),
      rule([''], ['nodes'], ['get', 'list']),
      rule([''], ['pods/status'], ['patch']),
    ],
  },
  {
    name: 'system:controller:pv-protection-controller',
    rules: [
      rule([''], ['persistentvolumes'], ['get', 'list', 'update', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:pvc-protection-controller',
    rules: [
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule([''], ['pods'], ['get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:replicaset-controller',
    rules: [
      rule(['apps', 'extensions'], ['replicasets'], ['get', 'list', 'update', 'watch']),
      rule(['apps', 'extensions'], ['replicasets/status'], ['update']),
      rule(['apps', 'extensions'], ['replicasets/finalizers'], ['update']),
      rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:replication-controller',
    rules: [
      rule([''], ['replicationcontrollers'], ['get', 'list', 'update', 'watch']),
      rule([''], ['replicationcontrollers/status'], ['update']),
      rule([''], ['replicationcontrollers/finalizers'], ['update']),
      rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:resourcequota-controller',
    rules: [
      rule(['*'], ['*'], ['list', 'watch']),
      rule([''], ['resourcequotas/status'], ['update']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:root-ca-cert-publisher',
    rules: [
      rule([''], ['configmaps'], ['create', 'update']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:route-controller',
    rules: [
      rule([''], ['nodes'], ['list', 'watch']),
      rule([''], ['nodes/status'], ['patch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:service-account-controller',
    rules: [
      rule([''], ['serviceaccounts'], ['create']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:service-controller',
    rules: [
      rule([''], ['services'], ['get', 'list', 'watch']),
      rule([''], ['services/status'], ['patch', 'update']),
      rule([''], ['nodes'], ['list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:statefulset-controller',
    rules: [
      rule([''], ['pods'], ['list', 'watch']),
      rule(['apps'], ['statefulsets'], ['get', 'list', 'watch']),
      rule(['apps'], ['statefulsets/status'], ['update']),
      rule(['apps'], ['statefulsets/finalizers'], ['update']),
      rule([''], ['pods'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['apps'], ['controllerrevisions'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule([''], ['persistentvolumeclaims'], ['create', 'get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule([''], ['persistentvolumeclaims'], ['delete', 'update']),
      rule([''], ['pods/finalizers'], ['update']),
    ],
  },
  {
    name: 'system:controller:ttl-after-finished-controller',
    rules: [
      rule(['batch'], ['jobs'], ['delete', 'get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:ttl-controller',
    rules: [
      rule([''], ['nodes'], ['list', 'patch', 'update', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'system:controller:validatingadmissionpolicy-status-controller',
    rules: [
      rule(['admissionregistration.k8s.io'], ['validatingadmissionpolicies'], ['get', 'list', 'watch']),
      rule(['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status'], ['get', 'patch', 'update']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
]

/** cluster-role-bindings.yaml then controller-role-bindings.yaml. */
export const CLUSTER_ROLE_BINDINGS: BootstrapBinding[] = [
  // ---- cluster-role-bindings.yaml ----
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

  // ---- controller-role-bindings.yaml ----
  { name: 'system:controller:attachdetach-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:attachdetach-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'attachdetach-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:certificate-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:certificate-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'certificate-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:clusterrole-aggregation-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:clusterrole-aggregation-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'clusterrole-aggregation-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:cronjob-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:cronjob-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'cronjob-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:daemon-set-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:daemon-set-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'daemon-set-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:deployment-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:deployment-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'deployment-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:disruption-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:disruption-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'disruption-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:endpoint-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:endpoint-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'endpoint-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:endpointslice-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:endpointslice-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'endpointslice-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:endpointslicemirroring-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:endpointslicemirroring-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'endpointslicemirroring-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:ephemeral-volume-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:ephemeral-volume-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'ephemeral-volume-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:expand-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:expand-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'expand-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:generic-garbage-collector', roleRef: { kind: 'ClusterRole', name: 'system:controller:generic-garbage-collector' }, subjects: [{ kind: 'ServiceAccount', name: 'generic-garbage-collector', namespace: 'kube-system' }] },
  { name: 'system:controller:horizontal-pod-autoscaler', roleRef: { kind: 'ClusterRole', name: 'system:controller:horizontal-pod-autoscaler' }, subjects: [{ kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' }] },
  { name: 'system:controller:job-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:job-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'job-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:legacy-service-account-token-cleaner', roleRef: { kind: 'ClusterRole', name: 'system:controller:legacy-service-account-token-cleaner' }, subjects: [{ kind: 'ServiceAccount', name: 'legacy-service-account-token-cleaner', namespace: 'kube-system' }] },
  { name: 'system:controller:namespace-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:namespace-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'namespace-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:node-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:node-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'node-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:persistent-volume-binder', roleRef: { kind: 'ClusterRole', name: 'system:controller:persistent-volume-binder' }, subjects: [{ kind: 'ServiceAccount', name: 'persistent-volume-binder', namespace: 'kube-system' }] },
  { name: 'system:controller:pod-garbage-collector', roleRef: { kind: 'ClusterRole', name: 'system:controller:pod-garbage-collector' }, subjects: [{ kind: 'ServiceAccount', name: 'pod-garbage-collector', namespace: 'kube-system' }] },
  { name: 'system:controller:pv-protection-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:pv-protection-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'pv-protection-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:pvc-protection-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:pvc-protection-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'pvc-protection-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:replicaset-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:replicaset-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'replicaset-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:replication-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:replication-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'replication-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:resourcequota-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:resourcequota-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'resourcequota-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:root-ca-cert-publisher', roleRef: { kind: 'ClusterRole', name: 'system:controller:root-ca-cert-publisher' }, subjects: [{ kind: 'ServiceAccount', name: 'root-ca-cert-publisher', namespace: 'kube-system' }] },
  { name: 'system:controller:route-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:route-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'route-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:service-account-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:service-account-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'service-account-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:service-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:service-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'service-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:statefulset-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:statefulset-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'statefulset-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:ttl-after-finished-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:ttl-after-finished-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'ttl-after-finished-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:ttl-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:ttl-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'ttl-controller', namespace: 'kube-system' }] },
  { name: 'system:controller:validatingadmissionpolicy-status-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:validatingadmissionpolicy-status-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'validatingadmissionpolicy-status-controller', namespace: 'kube-system' }] },
]

/** namespace-roles.yaml (kube-system, kube-public). */
export const NAMESPACE_ROLES: BootstrapRole[] = [
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-public',
    rules: [
      rule([''], ['configmaps'], ['get', 'list', 'watch']),
      rule([''], ['configmaps'], ['update'], ['cluster-info']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  {
    name: 'extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    rules: [
      rule([''], ['configmaps'], ['get', 'list', 'watch'], ['extension-apiserver-authentication']),
    ],
  },
  {
    name: 'system::leader-locking-kube-controller-manager',
    namespace: 'kube-system',
    rules: [
      rule([''], ['configmaps'], ['watch']),
      rule([''], ['configmaps'], ['get', 'update'], ['kube-controller-manager']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'list', 'update', 'watch']),
      rule(['coordination.k8s.io'], ['leasecandidates'], ['create', 'get', 'list', 'update', 'watch']),
    ],
  },
  {
    name: 'system::leader-locking-kube-scheduler',
    namespace: 'kube-system',
    rules: [
      rule([''], ['configmaps'], ['watch']),
      rule([''], ['configmaps'], ['get', 'update'], ['kube-scheduler']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'list', 'update', 'watch']),
      rule(['coordination.k8s.io'], ['leasecandidates'], ['create', 'get', 'list', 'update', 'watch']),
    ],
  },
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-system',
    rules: [
      rule([''], ['secrets'], ['get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:controller:cloud-provider',
    namespace: 'kube-system',
    rules: [
      rule([''], ['configmaps'], ['create', 'get', 'list', 'watch']),
    ],
  },
  {
    name: 'system:controller:token-cleaner',
    namespace: 'kube-system',
    rules: [
      rule([''], ['secrets'], ['delete', 'get', 'list', 'watch']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
]

export const NAMESPACE_ROLE_BINDINGS: BootstrapBinding[] = [
  { name: 'system:controller:bootstrap-signer', namespace: 'kube-public', roleRef: { kind: 'Role', name: 'system:controller:bootstrap-signer' }, subjects: [{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }] },
  { name: 'system::extension-apiserver-authentication-reader', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' }, subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }, { kind: 'User', name: 'system:kube-scheduler' }] },
  { name: 'system::leader-locking-kube-controller-manager', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'system::leader-locking-kube-controller-manager' }, subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }, { kind: 'ServiceAccount', name: 'kube-controller-manager', namespace: 'kube-system' }, { kind: 'ServiceAccount', name: 'leader-election-controller', namespace: 'kube-system' }] },
  { name: 'system::leader-locking-kube-scheduler', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'system::leader-locking-kube-scheduler' }, subjects: [{ kind: 'User', name: 'system:kube-scheduler' }, { kind: 'ServiceAccount', name: 'kube-scheduler', namespace: 'kube-system' }] },
  { name: 'system:controller:bootstrap-signer', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'system:controller:bootstrap-signer' }, subjects: [{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }] },
  { name: 'system:controller:cloud-provider', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'system:controller:cloud-provider' }, subjects: [{ kind: 'ServiceAccount', name: 'cloud-provider', namespace: 'kube-system' }] },
  { name: 'system:controller:token-cleaner', namespace: 'kube-system', roleRef: { kind: 'Role', name: 'system:controller:token-cleaner' }, subjects: [{ kind: 'ServiceAccount', name: 'token-cleaner', namespace: 'kube-system' }] },
]
