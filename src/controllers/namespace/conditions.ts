// The status conditions upstream's namespace deleter maintains while a namespace terminates
// (status_condition_utils.go), computed purely from what the last deletion pass found.
// Discovery and group-version parsing cannot fail here, so those two always report success.

export interface NamespaceCondition {
  type: string
  status: 'True' | 'False'
  lastTransitionTime: string
  reason: string
  message: string
}

/** What one pass over the namespace's content found. */
export interface ContentTotals {
  /** `resource.group` → objects still present (`pods.` for core, as upstream prints it). */
  remaining: Map<string, number>
  /** finalizer → objects still carrying it. */
  finalizers: Map<string, number>
  /** Per resource kind, why its content could not be deleted. */
  errors: string[]
}

const TYPES = ['NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining'] as const

const OK: Record<(typeof TYPES)[number], { reason: string, message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
}

/** Upstream's failing variants; undefined where the type reports success. */
function failing (type: (typeof TYPES)[number], totals: ContentTotals): { reason: string, message: string } | undefined {
  const listed = (m: Map<string, number>, fmt: (k: string, n: number) => string): string[] =>
    [...m].filter(([, n]) => n > 0).map(([k, n]) => fmt(k, n)).sort()
  switch (type) {
    case 'NamespaceDeletionContentFailure': {
      if (totals.errors.length === 0) return undefined
      return { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${totals.errors.length} remaining: ${[...totals.errors].sort().join(', ')}` }
    }
    case 'NamespaceContentRemaining': {
      const left = listed(totals.remaining, (gr, n) => `${gr} has ${n} resource instances`)
      return left.length === 0 ? undefined : { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${left.join(', ')}` }
    }
    case 'NamespaceFinalizersRemaining': {
      const left = listed(totals.finalizers, (f, n) => `${f} in ${n} resource instances`)
      return left.length === 0 ? undefined : { reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${left.join(', ')}` }
    }
    default: return undefined
  }
}

/**
 * The conditions after a pass: each of the five types set to its failing or its OK variant.
 * lastTransitionTime changes only when a condition's status flips; other conditions are kept.
 */
export function namespaceConditions (old: readonly NamespaceCondition[], totals: ContentTotals, now: string): NamespaceCondition[] {
  const out = old.map(c => ({ ...c }))
  for (const type of TYPES) {
    const fail = failing(type, totals)
    const next = { type, status: fail === undefined ? 'False' as const : 'True' as const, ...(fail ?? OK[type]) }
    const existing = out.find(c => c.type === type)
    if (existing === undefined) out.push({ type, status: next.status, lastTransitionTime: now, reason: next.reason, message: next.message })
    else {
      if (existing.status !== next.status) existing.lastTransitionTime = now
      Object.assign(existing, { status: next.status, reason: next.reason, message: next.message })
    }
  }
  return out
}
