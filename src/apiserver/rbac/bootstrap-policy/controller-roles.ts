// controller-roles.yaml of v1.32's bootstrap policy: the ClusterRoles of kube-controller-manager's
// controllers, in fixture order (see policy.ts); controller-role-bindings.yaml binds each
// `system:controller:<name>` to the ServiceAccount <name> in kube-system, one for one.
import { rule, type BootstrapBinding, type BootstrapRole } from './policy.ts'

export const CONTROLLER_ROLES: BootstrapRole[] = [
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

const PREFIX = 'system:controller:'

export const CONTROLLER_ROLE_BINDINGS: BootstrapBinding[] = CONTROLLER_ROLES.map(r => ({
  name: r.name,
  roleRef: { kind: 'ClusterRole', name: r.name },
  subjects: [{ kind: 'ServiceAccount', name: r.name.slice(PREFIX.length), namespace: 'kube-system' }],
}))
