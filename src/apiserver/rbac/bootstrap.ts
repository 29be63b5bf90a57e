// What kube-apiserver's rbac/bootstrap-roles post-start hook creates: the default ClusterRoles
// and bindings (cluster-admin, admin/edit/view, system:*, system:controller:*) and the Roles of
// kube-system and kube-public, each labelled kubernetes.io/bootstrapping=rbac-defaults and
// annotated autoupdate. Missing ones are created at every start and existing ones reconciled
// (reconcile.ts; ApiServerCore.bootstrap writes them).
import type { KubeObject } from '../../api/object.ts'
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, NAMESPACE_ROLE_BINDINGS, NAMESPACE_ROLES, type BootstrapBinding, type BootstrapRole } from './bootstrap-policy/index.ts'

const RBAC = 'rbac.authorization.k8s.io'
const RBAC_V1 = `${RBAC}/v1`

function meta (o: BootstrapRole | BootstrapBinding): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = {
    name: o.name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...o.labels },
    annotations: o.annotations ?? { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  }
  if (o.namespace !== undefined) m.namespace = o.namespace
  return m
}

function role (r: BootstrapRole, kind: 'ClusterRole' | 'Role'): KubeObject {
  const obj: KubeObject & Record<string, unknown> = { apiVersion: RBAC_V1, kind, metadata: meta(r) }
  if (r.aggregationRule !== undefined) obj.aggregationRule = r.aggregationRule
  obj.rules = r.rules
  return obj
}

function binding (b: BootstrapBinding, kind: 'ClusterRoleBinding' | 'RoleBinding'): KubeObject {
  const obj: KubeObject & Record<string, unknown> = { apiVersion: RBAC_V1, kind, metadata: meta(b), roleRef: { apiGroup: RBAC, kind: b.roleRef.kind, name: b.roleRef.name } }
  if (b.subjects.length > 0) {
    obj.subjects = b.subjects.map(s => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: RBAC, kind: s.kind, name: s.name }))
  }
  return obj
}

/** Every bootstrap object, in the order the hook creates them. */
export function bootstrapPolicy (): KubeObject[] {
  return [
    ...CLUSTER_ROLES.map(r => role(r, 'ClusterRole')),
    ...CLUSTER_ROLE_BINDINGS.map(b => binding(b, 'ClusterRoleBinding')),
    ...NAMESPACE_ROLES.map(r => role(r, 'Role')),
    ...NAMESPACE_ROLE_BINDINGS.map(b => binding(b, 'RoleBinding')),
  ]
}
