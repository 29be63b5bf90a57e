// Shared pieces of k3s's packaged manifests (/var/lib/rancher/k3s/server/manifests, from
// k3s-io/k3s manifests/*.yaml): the add-on tolerations and the always-applied RBAC.
import type { KubeObject } from '../../api/object.ts'

export const KUBE_SYSTEM = 'kube-system'

/** Every k3s add-on Deployment tolerates these (k3s-facts §7). */
export function addonTolerations (): Array<Record<string, string>> {
  return [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
  ]
}

export function serviceAccount (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: KUBE_SYSTEM, ...extra } }
}

export function clusterRole (name: string, rules: unknown[], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...extra }, rules }
}

/** A ClusterRoleBinding of a ClusterRole to kube-system ServiceAccounts (or other subjects). */
export function clusterRoleBinding (name: string, role: string, subjects: unknown[] | string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, ...extra },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: typeof subjects === 'string' ? [{ kind: 'ServiceAccount', name: subjects, namespace: KUBE_SYSTEM }] : subjects,
  }
}

/** manifests/rolebindings.yaml. */
export function rolebindings (): KubeObject[] {
  return [
    clusterRoleBinding('kube-apiserver-kubelet-admin', 'system:kubelet-api-admin', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'kube-apiserver' }]),
    clusterRole('system:k3s-controller', [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['endpoints', 'pods'], verbs: ['list', 'get', 'watch'] },
    ]),
    clusterRoleBinding('system:k3s-controller', 'system:k3s-controller', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:k3s-controller' }]),
  ]
}

/** manifests/ccm.yaml: the embedded cloud controller's RBAC. */
export function ccm (): KubeObject[] {
  return [
    clusterRole('k3s-cloud-controller-manager', [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['*'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'patch', 'update', 'watch'] },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] },
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'update', 'watch'] },
      { apiGroups: [''], resources: ['endpoints'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
    ]),
    clusterRoleBinding('k3s-cloud-controller-manager', 'k3s-cloud-controller-manager', [{ kind: 'User', name: 'k3s-cloud-controller-manager', namespace: KUBE_SYSTEM }]),
  ]
}

/** manifests/runtimes.yaml: a RuntimeClass per container runtime k3s can detect on a node. */
export function runtimes (): KubeObject[] {
  return ['nvidia', 'nvidia-experimental', 'crun', 'lunatic', 'slight', 'spin', 'wws', 'wasmedge', 'wasmer', 'wasmtime']
    .map(name => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler: name }))
}
