// Kubernetes v1.32's bootstrap RBAC policy (kube-apiserver's rbac/bootstrap-roles post-start
// hook), transcribed from upstream's bootstrappolicy testdata fixtures, one module per fixture pair.
import { CLUSTER_ROLE_BINDINGS as BASE_BINDINGS, CLUSTER_ROLES as BASE_ROLES } from './cluster-roles.ts'
import { CONTROLLER_ROLE_BINDINGS, CONTROLLER_ROLES } from './controller-roles.ts'

export { NAMESPACE_ROLE_BINDINGS, NAMESPACE_ROLES } from './namespace-roles.ts'
export type { BootstrapBinding, BootstrapRole } from './policy.ts'

/** cluster-roles.yaml then controller-roles.yaml. */
export const CLUSTER_ROLES = [...BASE_ROLES, ...CONTROLLER_ROLES]

/** cluster-role-bindings.yaml then controller-role-bindings.yaml. */
export const CLUSTER_ROLE_BINDINGS = [...BASE_BINDINGS, ...CONTROLLER_ROLE_BINDINGS]
