// The bootstrap hook's reconciliation of roles and bindings that already exist
// (pkg/registry/rbac/reconciliation, union mode as the hook runs it): unless an object says
// rbac.authorization.kubernetes.io/autoupdate: "false", missing labels and annotations, rules,
// aggregation selectors and subjects are added back; what a user added is kept. A binding whose
// roleRef differs is recreated as expected.
import { jsonEqual, type KubeObject } from '../../api/object.ts'
import { covers } from './escalation.ts'
import type { PolicyRule, Subject } from './rules.ts'

type Json = Record<string, any>

const protectedFromUpdate = (existing: KubeObject): boolean => existing.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'] === 'false'

/** Existing labels and annotations win; expected ones missing are added. */
function mergedMeta (existing: KubeObject, expected: KubeObject): KubeObject['metadata'] {
  return {
    ...existing.metadata,
    labels: { ...expected.metadata.labels, ...existing.metadata.labels },
    annotations: { ...expected.metadata.annotations, ...existing.metadata.annotations },
  }
}

/** computeReconciledRole (union): the object to write, or undefined when nothing is to change. */
export function reconcileRole (existing: KubeObject, expected: KubeObject): KubeObject | undefined {
  if (protectedFromUpdate(existing)) return undefined
  // A stored object the API would not accept (written through etcd) is left to its owner.
  const rules = (existing as Json).rules
  if (rules !== undefined && rules !== null && !Array.isArray(rules)) return undefined
  const out: Json = { ...existing, metadata: mergedMeta(existing, expected) }
  const missing = covers((existing as Json).rules ?? [], (expected as Json).rules ?? [])
  if (missing.length > 0) out.rules = [...((existing as Json).rules ?? []), ...missing] as PolicyRule[]
  const want = (expected as Json).aggregationRule?.clusterRoleSelectors as unknown[] | undefined
  const have = (existing as Json).aggregationRule?.clusterRoleSelectors as unknown[] | undefined
  if ((expected as Json).aggregationRule === undefined && (existing as Json).aggregationRule !== undefined) {
    delete out.aggregationRule
  } else if (want !== undefined) {
    const absent = want.filter(w => !(have ?? []).some(h => jsonEqual(h, w)))
    if (absent.length > 0) out.aggregationRule = { ...(existing as Json).aggregationRule, clusterRoleSelectors: [...(have ?? []), ...absent] }
  }
  return jsonEqual(out, existing) ? undefined : out as KubeObject
}

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '') && (a.apiGroup ?? '') === (b.apiGroup ?? '')

/** computeReconciledRoleBinding (union): update, recreate (another roleRef), or nothing. */
export function reconcileBinding (existing: KubeObject, expected: KubeObject): { update?: KubeObject, recreate?: KubeObject } {
  if (protectedFromUpdate(existing)) return {}
  const subjects = (existing as Json).subjects
  if (subjects !== undefined && subjects !== null && !Array.isArray(subjects)) return {}
  if (!jsonEqual((existing as Json).roleRef, (expected as Json).roleRef)) return { recreate: expected }
  const out: Json = { ...existing, metadata: mergedMeta(existing, expected) }
  const have: Subject[] = (existing as Json).subjects ?? []
  const absent = ((expected as Json).subjects as Subject[] | undefined ?? []).filter(w => !have.some(h => sameSubject(h, w)))
  if (absent.length > 0) out.subjects = [...have, ...absent]
  return jsonEqual(out, existing) ? {} : { update: out as KubeObject }
}
