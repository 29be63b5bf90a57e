// Workload validation messages as kube-apiserver prints them: field.Invalid renders a map or a
// LabelSelector with Go's %#v (`map[string]string{"app":"zzz"}`,
// `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`), not as JSON.
import assert from 'node:assert/strict'
import { goLabelSelector, goStringMap } from '../../src/api/labels.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('workload validation: values printed as Go prints them', () => {
  it('%#v of maps and label selectors', () => {
    assert.equal(goStringMap({ b: '2', a: '1' }).goRepr, 'map[string]string{"a":"1", "b":"2"}')
    assert.equal(goStringMap({}).goRepr, 'map[string]string{}')
    assert.equal(goStringMap(undefined).goRepr, 'map[string]string(nil)')
    assert.equal(goLabelSelector({ matchLabels: { app: 'web' } }).goRepr, 'v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}')
    assert.equal(goLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] }).goRepr,
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a", "b"}}, v1.LabelSelectorRequirement{Key:"x", Operator:"Exists", Values:[]string(nil)}}}')
  })

  it('a template whose labels the selector does not match, and a changed selector', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const deploy = (labels: Json, selector: Json): any => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })
    const refused = async (p: Promise<unknown>): Promise<string> => p.then(() => assert.fail('accepted'), (err: any) => { assert.equal(err.code, 422); return err.message as string })
    assert.equal(await refused(c.create(deploy({ app: 'zzz' }, { matchLabels: { app: 'web' } }))),
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"zzz"}: `selector` does not match template `labels`')
    await c.create(deploy({ app: 'web' }, { matchLabels: { app: 'web' } }))
    const message = await refused(c.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } } }, { type: 'merge' }))
    assert.equal(message, 'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable')
    // Compared as apiequality.Semantic does: an empty list is no list, key order does not count.
    await c.patch('apps/v1', 'Deployment', 'default', 'web', { spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [] } } }, { type: 'merge' })
    // A nil value is printed as the string "null" (field.Error.ErrorBody).
    const removed = await refused(c.patch('apps/v1', 'Deployment', 'default', 'web', [{ op: 'remove', path: '/spec/selector' }], { type: 'json' }))
    assert.match(removed, /spec\.selector: Invalid value: "null": field is immutable/)
  })
})
