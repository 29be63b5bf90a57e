// Roles, ClusterRoles and their bindings: names are path segments (`system:coredns`), and writes
// by anyone outside system:masters pass RBAC's escalation checks (rbac/escalation.ts).
import type { KubeObject } from '../../api/object.ts'
import { checkBindingEscalation, checkRoleEscalation, type EscalationRequest } from '../rbac/escalation.ts'
import type { Strategy } from './strategy.ts'
import { defaultBinding, validateBinding, validateBindingUpdate, validateRole } from '../rbac/validation.ts'

type Check = (obj: KubeObject, r: EscalationRequest) => Promise<void>

function guarded (check: Check): Pick<Strategy, 'prepareForCreate' | 'prepareForUpdate'> {
  return {
    prepareForCreate: async (obj, ctx) => {
      if (ctx.user !== undefined && ctx.authorizer !== undefined) await check(obj, { user: ctx.user, authorizer: ctx.authorizer, requestName: ctx.requestName })
    },
    prepareForUpdate: async (obj, old, ctx) => {
      if (ctx.user !== undefined && ctx.authorizer !== undefined) await check(obj, { user: ctx.user, authorizer: ctx.authorizer, requestName: ctx.requestName, old })
    },
  }
}

const base = { generation: false, status: false, nameIsPathSegment: true }

export const rbacStrategies: Record<string, Strategy> = {
  'rbac.authorization.k8s.io/roles': { ...base, ...guarded((obj, r) => checkRoleEscalation(obj, 'Role', r)), validate: obj => validateRole(obj, true) },
  'rbac.authorization.k8s.io/clusterroles': { ...base, ...guarded((obj, r) => checkRoleEscalation(obj, 'ClusterRole', r)), validate: obj => validateRole(obj, false) },
  'rbac.authorization.k8s.io/rolebindings': {
    ...base,
    ...guarded((obj, r) => checkBindingEscalation(obj, 'RoleBinding', r)),
    defaults: defaultBinding,
    validate: obj => validateBinding(obj, true),
    validateUpdate: validateBindingUpdate,
  },
  'rbac.authorization.k8s.io/clusterrolebindings': {
    ...base,
    ...guarded((obj, r) => checkBindingEscalation(obj, 'ClusterRoleBinding', r)),
    defaults: defaultBinding,
    validate: obj => validateBinding(obj, false),
    validateUpdate: validateBindingUpdate,
  },
}
