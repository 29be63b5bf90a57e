// namespace-roles.yaml and namespace-role-bindings.yaml of v1.32's bootstrap policy: the Roles
// of kube-system and kube-public and their bindings (see policy.ts).
import { rule, type BootstrapBinding, type BootstrapRole } from './policy.ts'

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
