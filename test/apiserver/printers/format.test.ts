import assert from 'node:assert/strict'
import { formatLabelSelector, formatLabels, selectorString } from '../../../src/apiserver/printers/format.ts'
import { findNodeRoles } from '../../../src/apiserver/printers/node.ts'

describe('printers: label and selector formatting', () => {
  it('label maps print sorted k=v pairs, or <none>', () => {
    assert.equal(formatLabels({ tier: 'web', app: 'x' }), 'app=x,tier=web')
    assert.equal(formatLabels({}), '<none>')
    assert.equal(formatLabels(undefined), '<none>')
  })

  it('selectors sort requirements by key and set values, as metav1.FormatLabelSelector', () => {
    const sel = {
      matchLabels: { b: '1' },
      matchExpressions: [
        { key: 'c', operator: 'NotIn', values: ['z', 'y'] },
        { key: 'a', operator: 'In', values: ['2'] },
        { key: 'd', operator: 'Exists' },
        { key: 'e', operator: 'DoesNotExist' }
      ]
    }
    assert.equal(formatLabelSelector(sel), 'a in (2),b=1,c notin (y,z),d,!e')
  })

  it('nil and empty selectors print <none>; broken ones <error>', () => {
    assert.equal(formatLabelSelector(undefined), '<none>')
    assert.equal(formatLabelSelector({}), '<none>')
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>')
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '<error>')
    assert.equal(selectorString({}), '')
  })

  it('node roles come from node-role.kubernetes.io/* keys and the kubernetes.io/role value, sorted', () => {
    assert.deepEqual(findNodeRoles({ 'node-role.kubernetes.io/master': 'true', 'node-role.kubernetes.io/control-plane': 'true', 'kubernetes.io/role': 'etcd', 'node-role.kubernetes.io/': 'x' }), ['control-plane', 'etcd', 'master'])
    assert.deepEqual(findNodeRoles({ 'kubernetes.io/role': '' }), [])
  })
})
