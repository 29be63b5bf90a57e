// kube-controller-manager's clusterrole-aggregation controller (v1.32): a ClusterRole with an
// aggregationRule gets the rules of every ClusterRole its selectors match (by name, each rule
// once), applied with server-side apply as field manager clusterrole-aggregation-controller.
// Any ClusterRole change requeues every aggregated role. Reads through the lister only.
import type { KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector, type LabelSelector } from '../../api/labels.ts'
import type { PolicyRule } from '../../apiserver/rbac/rules.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'

export const FIELD_MANAGER = 'clusterrole-aggregation-controller'

type ClusterRole = KubeObject & { rules?: PolicyRule[] | null, aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null }

const aggregated = (ctx: ControllerContext): string[] =>
  (ctx.lister('clusterroles').list() as ClusterRole[]).filter(r => r.aggregationRule != null).map(r => r.metadata.name!)

/** equality.Semantic: field by field, in field order, nil and empty lists alike. */
const semantic = (r: PolicyRule): string =>
  JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []])

const sameRules = (a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean =>
  a.length === b.length && a.every((r, i) => semantic(r) === semantic(b[i]))

/** The rules an aggregated role should have: matched roles sorted by name, selector by selector. */
export function aggregateRules (role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const rules: PolicyRule[] = []
  const seen = new Set<string>()
  for (const ls of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const selector = selectorFromLabelSelector(ls)
    const matched = all.filter(r => selector.matches(r.metadata.labels ?? {})).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
    for (const r of matched) {
      if (r.metadata.name === role.metadata.name) continue
      for (const rule of r.rules ?? []) {
        const key = semantic(rule)
        if (!seen.has(key)) { seen.add(key); rules.push(rule) }
      }
    }
  }
  return rules
}

export function clusterRoleAggregationController (): ControllerDefinition {
  return {
    name: 'clusterrole-aggregation-controller',
    workers: 1,
    informers: { clusterroles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' } },
    events: [{ informer: 'clusterroles', on: ['add', 'update', 'delete'], keys: (_e, ctx) => aggregated(ctx) }],
    async sync (name, ctx) {
      const lister = ctx.lister('clusterroles')
      const role = lister.get(name) as ClusterRole | undefined
      if (role === undefined || role.aggregationRule == null) return
      const rules = aggregateRules(role, lister.list() as ClusterRole[])
      // Semantic equality: no rules and `rules: null` are the same.
      if (sameRules(rules, role.rules ?? [])) return
      await ctx.client.patch('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, name,
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
        { type: 'apply', fieldManager: FIELD_MANAGER, force: true })
    },
  }
}
