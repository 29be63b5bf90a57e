// What kube-apiserver's rbac/bootstrap-roles post-start hook creates: the default ClusterRoles
// and bindings (cluster-admin, admin/edit/view, system:*, system:controller:*) and the Roles of
// kube-system and kube-public, each labelled kubernetes.io/bootstrapping=rbac-defaults and
// annotated autoupdate. Missing ones are created at every start and existing ones reconciled
// (reconcile.ts).
import type { KubeObject } from '../../api/object.ts'
import { parseApiVersion, type ResourceInfo } from '../../api/resources.ts'
import type { ApiServerCore } from '../core.ts'
import { SYSTEM_USER } from '../core.ts'
import { isStatusError } from '../errors.ts'
import { reconcileBinding, reconcileRole } from './reconcile.ts'
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

/**
 * Create the policy's objects not stored yet and reconcile those that are, as the hook does at
 * every start: one list per kind, then the writes together. One object the API refuses (an older
 * k3sim stored what validation now rejects) is reported and left as it is; the server starts.
 */
export async function ensureBootstrapPolicy (core: ApiServerCore, log: (msg: string) => void): Promise<void> {
  const known = new Map<ResourceInfo, Map<string, KubeObject>>()
  const writes: Array<{ what: string, run: () => Promise<unknown> }> = []
  for (const obj of bootstrapPolicy()) {
    const { group, version } = parseApiVersion(obj.apiVersion!)
    const info = core.index.byGroupVersionKind(group, version, obj.kind!)!
    let stored = known.get(info)
    if (stored === undefined) {
      stored = new Map((await core.ctx.storage.list(info, undefined)).items.map(o => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]))
      known.set(info, stored)
    }
    const existing = stored.get(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`)
    const what = `${obj.kind} ${obj.metadata.namespace === undefined ? '' : `${obj.metadata.namespace}/`}${obj.metadata.name}`
    const request = (verb: 'create' | 'update' | 'delete', body?: KubeObject): Promise<unknown> =>
      core.serve({ verb, info, namespace: obj.metadata.namespace, name: verb === 'create' ? undefined : obj.metadata.name, body, options: { fieldManager: 'k3s' }, user: SYSTEM_USER })
    if (existing === undefined) {
      writes.push({ what, run: () => request('create', obj).catch(err => { if (!isStatusError(err, 409)) throw err }) })
    } else if (obj.kind === 'ClusterRole' || obj.kind === 'Role') {
      const next = reconcileRole(existing, obj)
      if (next !== undefined) writes.push({ what, run: () => request('update', next) })
    } else {
      const { update, recreate } = reconcileBinding(existing, obj)
      if (update !== undefined) writes.push({ what, run: () => request('update', update) })
      if (recreate !== undefined) writes.push({ what, run: async () => { await request('delete'); await request('create', recreate) } })
    }
  }
  await Promise.all(writes.map(w => w.run().catch((err: unknown) => log(`rbac/bootstrap-roles: ${w.what} left as stored: ${err instanceof Error ? err.message : String(err)}`))))
}
