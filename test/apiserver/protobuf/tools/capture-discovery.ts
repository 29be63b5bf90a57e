// Minimal legacy discovery for capture-kubectl.ts: just enough for kubectl v1.32 to map the kinds
// its generators create to resources (it falls back from aggregated to legacy discovery when /api
// and /apis answer plain application/json).
type Resource = [name: string, kind: string, namespaced: boolean, verbs?: string[], groupVersion?: string];

const RW = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const GROUPS: Record<string, Resource[]> = {
  v1: [
    ['namespaces', 'Namespace', false], ['configmaps', 'ConfigMap', true], ['secrets', 'Secret', true],
    ['services', 'Service', true], ['serviceaccounts', 'ServiceAccount', true],
    ['serviceaccounts/token', 'TokenRequest', true, ['create']], ['resourcequotas', 'ResourceQuota', true],
    ['pods', 'Pod', true], ['pods/eviction', 'Eviction', true, ['create'], 'policy/v1'], ['nodes', 'Node', false],
  ],
  'apps/v1': [['deployments', 'Deployment', true], ['deployments/scale', 'Scale', true, ['get', 'patch', 'update'], 'autoscaling/v1'], ['replicasets', 'ReplicaSet', true], ['daemonsets', 'DaemonSet', true], ['statefulsets', 'StatefulSet', true]],
  'batch/v1': [['jobs', 'Job', true], ['cronjobs', 'CronJob', true]],
  'rbac.authorization.k8s.io/v1': [
    ['roles', 'Role', true], ['clusterroles', 'ClusterRole', false],
    ['rolebindings', 'RoleBinding', true], ['clusterrolebindings', 'ClusterRoleBinding', false],
  ],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true]],
  'networking.k8s.io/v1': [['ingresses', 'Ingress', true], ['ingressclasses', 'IngressClass', false]],
  'scheduling.k8s.io/v1': [['priorityclasses', 'PriorityClass', false]],
  'authorization.k8s.io/v1': [
    ['selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, ['create']],
    ['selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, ['create']],
    ['subjectaccessreviews', 'SubjectAccessReview', false, ['create']],
  ],
  'authentication.k8s.io/v1': [
    ['selfsubjectreviews', 'SelfSubjectReview', false, ['create']], ['tokenreviews', 'TokenReview', false, ['create']],
  ],
  'autoscaling/v2': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]],
  'autoscaling/v1': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]],
};

export function discovery(path: string, address: string): unknown {
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
  }
  if (path === '/apis') {
    const groups = new Map<string, string[]>();
    for (const gv of Object.keys(GROUPS)) {
      if (!gv.includes('/')) continue;
      const [g, v] = gv.split('/');
      groups.set(g, [...(groups.get(g) ?? []), v]);
    }
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
  const gv = path.replace(/^\/apis?\//, '');
  const resources = GROUPS[gv];
  if (!resources) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: resources.map(([name, kind, namespaced, verbs, groupVersion]) => ({
      name, singularName: name.includes('/') ? '' : kind.toLowerCase(), namespaced, kind, verbs: verbs ?? RW,
      // kubectl drain and autoscale find Eviction and Scale through the subresource's group/version.
      ...(groupVersion ? { group: groupVersion.split('/')[0], version: groupVersion.split('/')[1] } : {}),
    })),
  };
}
