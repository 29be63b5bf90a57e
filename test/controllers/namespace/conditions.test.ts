import assert from 'node:assert/strict'
import { namespaceConditions, type ContentTotals, type NamespaceCondition } from '../../../src/controllers/namespace/conditions.ts'

const T0 = '2025-01-01T00:00:00Z'
const T1 = '2025-01-01T00:01:00Z'
const totals = (t: Partial<{ remaining: Record<string, number>, finalizers: Record<string, number>, errors: string[] }> = {}): ContentTotals =>
  ({ remaining: new Map(Object.entries(t.remaining ?? {})), finalizers: new Map(Object.entries(t.finalizers ?? {})), errors: t.errors ?? [] })
const byType = (cs: NamespaceCondition[]): Record<string, string> => Object.fromEntries(cs.map(c => [c.type, `${c.status} ${c.reason}: ${c.message}`]))

describe('controllers/namespace conditions', () => {
  const cases: Array<{ name: string, totals: ContentTotals, expect: Record<string, string> }> = [
    {
      name: 'all five report success when the content is gone',
      totals: totals(),
      expect: {
        NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
        NamespaceDeletionGroupVersionParsingFailure: 'False ParsedGroupVersions: All legacy kube types successfully parsed',
        NamespaceDeletionContentFailure: 'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
        NamespaceContentRemaining: 'False ContentRemoved: All content successfully removed',
        NamespaceFinalizersRemaining: 'False ContentRemoved: All content successfully removed',
      },
    },
    {
      name: 'remaining content is listed as upstream prints it, sorted, with `pods.` for the core group',
      totals: totals({ remaining: { 'pods.': 2, 'deployments.apps': 1 }, finalizers: { 'example.com/hold': 2 } }),
      expect: {
        NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
        NamespaceDeletionGroupVersionParsingFailure: 'False ParsedGroupVersions: All legacy kube types successfully parsed',
        NamespaceDeletionContentFailure: 'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
        NamespaceContentRemaining: 'True SomeResourcesRemain: Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances',
        NamespaceFinalizersRemaining: 'True SomeFinalizerRemain: Some finalizers are remaining: example.com/hold in 2 resource instances',
      },
    },
    {
      name: 'deletion errors are counted and joined',
      totals: totals({ errors: ['b failed', 'a failed'] }),
      expect: {
        NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
        NamespaceDeletionGroupVersionParsingFailure: 'False ParsedGroupVersions: All legacy kube types successfully parsed',
        NamespaceDeletionContentFailure: 'True ContentDeletionFailed: Failed to delete all resource types, 2 remaining: a failed, b failed',
        NamespaceContentRemaining: 'False ContentRemoved: All content successfully removed',
        NamespaceFinalizersRemaining: 'False ContentRemoved: All content successfully removed',
      },
    },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(byType(namespaceConditions([], c.totals, T0)), c.expect))

  it('moves lastTransitionTime only for conditions whose status flips, and keeps foreign conditions', () => {
    const first = namespaceConditions([{ type: 'Other', status: 'True', lastTransitionTime: T0, reason: 'X', message: 'x' }], totals({ remaining: { 'pods.': 1 } }), T0)
    const second = namespaceConditions(first, totals(), T1)
    const time = Object.fromEntries(second.map(c => [c.type, c.lastTransitionTime]))
    assert.equal(time.Other, T0)
    assert.equal(time.NamespaceContentRemaining, T1)
    assert.equal(time.NamespaceDeletionDiscoveryFailure, T0)
  })
})
