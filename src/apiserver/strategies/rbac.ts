// Roles, ClusterRoles and their bindings: names are path segments (`system:coredns`), and writes
// by anyone outside system:masters pass RBAC's escalation checks (rbac/escalation.ts).
import type { KubeObject } from '../../api/object.ts'
import { checkBindingEscalation, checkRoleEscalation } from '../rbac/escalation.ts'
import type { Strategy, StrategyContext } from './strategy.ts'

type Check = (obj: KubeObject, r: { user: NonNullable<StrategyContext['user']>, authorizer: NonNullable<StrategyContext['authorizer']>, old?: KubeObject }) => Promise<void>

function guarded (check: Check): Pick<Strategy, 'prepareForCreate' | 'prepareForUpdate'> {
  return {
    prepareForCreate: async (obj, ctx) => {
      if (ctx.user !== undefined && ctx.authorizer !== undefined) await check(obj, { user: ctx.user, authorizer: ctx.authorizer })
    },
    prepareForUpdate: async (obj, old, ctx) => {
      if (ctx.user !== undefined && ctx.authorizer !== undefined) await check(obj, { user: ctx.user, authorizer: ctx.authorizer, old })
    },
  }
}

const base = { generation: false, status: false, nameIsPathSegment: true }

export const rbacStrategies: Record<string, Strategy> = {
  'rbac.authorization.k8s.io/roles': { ...base, ...guarded((obj, r) => checkRoleEscalation(obj, 'Role', r)) },
  'rbac.authorization.k8s.io/clusterroles': { ...base, ...guarded((obj, r) => checkRoleEscalation(obj, 'ClusterRole', r)) },
  'rbac.authorization.k8s.io/rolebindings': { ...base, ...guarded((obj, r) => checkBindingEscalation(obj, 'RoleBinding', r)) },
  'rbac.authorization.k8s.io/clusterrolebindings': { ...base, ...guarded((obj, r) => checkBindingEscalation(obj, 'ClusterRoleBinding', r)) },
}
