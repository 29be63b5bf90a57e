// The clusterrole-aggregation controller's arithmetic: selectors in order, matched roles by name,
// each rule once, the role itself left out.
import assert from 'node:assert/strict'
import { aggregateRules } from '../../src/controllers/clusterrole-aggregation/index.ts'

const role = (name: string, labels: Record<string, string>, rules: Array<{ verbs: string[], resources: string[] }>) =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules: rules.map(r => ({ apiGroups: [''], ...r })) })

describe('clusterrole aggregation', () => {
  const selectors: Array<{ matchLabels: Record<string, string> }> = [{ matchLabels: { 'agg-a': 'true' } }, { matchLabels: { 'agg-b': 'true' } }]
  const target = { ...role('target', { 'agg-b': 'true' }, []), aggregationRule: { clusterRoleSelectors: selectors } }
  const all = [
    role('zeta', { 'agg-a': 'true' }, [{ verbs: ['get'], resources: ['pods'] }]),
    role('alpha', { 'agg-a': 'true' }, [{ verbs: ['list'], resources: ['pods'] }, { verbs: ['get'], resources: ['pods'] }]),
    role('beta', { 'agg-b': 'true' }, [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['watch'], resources: ['services'] }]),
    role('unrelated', {}, [{ verbs: ['*'], resources: ['*'] }]),
    target,
  ]

  it('takes matched roles sorted by name, selector by selector, each rule once, never its own', () => {
    assert.deepEqual(aggregateRules(target, all), [
      { apiGroups: [''], verbs: ['list'], resources: ['pods'] },
      { apiGroups: [''], verbs: ['get'], resources: ['pods'] },
      { apiGroups: [''], verbs: ['watch'], resources: ['services'] },
    ])
  })

  it('takes rules equal field by field as the same rule (key order, empty and absent lists)', () => {
    const a = { ...role('a', { 'agg-a': 'true' }, []), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }] }
    const b = { ...role('b', { 'agg-a': 'true' }, []), rules: [{ resources: ['pods'], apiGroups: [''], verbs: ['get'] }] }
    assert.equal(aggregateRules(target, [a, b, target]).length, 1)
  })

  it('gives no rules when nothing matches', () => {
    assert.deepEqual(aggregateRules({ ...target, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { none: 'x' } }] } }, all), [])
  })
})
