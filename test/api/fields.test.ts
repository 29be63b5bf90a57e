import assert from 'node:assert/strict'
import {
  convertFieldLabels, escapeFieldValue, eventFields, fieldsFor, formatFieldSelector, matchesFields, parseFieldSelector,
  podFields, supportedFields,
} from '../../src/api/fields.ts'

describe('fields', () => {
  describe('parseFieldSelector (fields.ParseSelector)', () => {
    const cases: Array<[string, string, string]> = [
      ['= is equality', 'spec.nodeName=node1', 'spec.nodeName=node1'],
      ['== is equality too', 'spec.nodeName==node1', 'spec.nodeName=node1'],
      ['!= is inequality', 'status.phase!=Failed', 'status.phase!=Failed'],
      ['terms are sorted as strings', 'status.phase!=Succeeded,spec.nodeName=node1,status.phase!=Failed', 'spec.nodeName=node1,status.phase!=Failed,status.phase!=Succeeded'],
      ['an empty value is allowed', 'involvedObject.namespace=', 'involvedObject.namespace='],
      ['escaped commas and equals stay in the value', 'metadata.name=a\\,b\\=c', 'metadata.name=a\\,b\\=c'],
      ['empty terms are skipped', 'a=b,,', 'a=b'],
      ['a term with neither field nor value is dropped', '=', ''],
      ['the first operator splits the term', 'a==b', 'a=b'],
    ]
    for (const [spec, input, out] of cases) {
      it(spec, () => assert.equal(formatFieldSelector(parseFieldSelector(input)), out))
    }
    it('unescapes values', () => {
      assert.deepEqual(parseFieldSelector('metadata.name=a\\,b\\\\c'), [{ field: 'metadata.name', operator: '=', value: 'a,b\\c' }])
    })
  })

  describe('parse errors read as upstream reports them', () => {
    const cases: Array<[string, string, string]> = [
      ['a term without an operator', 'spec.nodeName', "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'"],
      ['an unknown escape', 'a=b\\c', 'invalid field selector: invalid escape sequence: \\c'],
      ['a trailing backslash', 'a=b\\', 'invalid field selector: invalid escape sequence: \\'],
      ['an unescaped = in the value prints the rune as a number (Go %v)', 'a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ]
    for (const [spec, input, message] of cases) {
      it(spec, () => assert.throws(() => parseFieldSelector(input), { message }))
    }
  })

  describe('matchesFields', () => {
    const set = { 'spec.nodeName': 'node1', 'status.phase': 'Running' }
    const cases: Array<[string, string, boolean]> = [
      ['equality matches', 'spec.nodeName=node1', true],
      ['inequality matches another value', 'status.phase!=Succeeded,status.phase!=Failed', true],
      ['a missing field reads as empty for =', 'spec.schedulerName=', true],
      ['a missing field reads as empty for !=', 'spec.schedulerName!=x', true],
      ['all terms must hold', 'spec.nodeName=node1,status.phase=Pending', false],
    ]
    for (const [spec, sel, want] of cases) {
      it(spec, () => assert.equal(matchesFields(set, parseFieldSelector(sel)), want))
    }
  })

  describe('field sets per kind (ToSelectableFields)', () => {
    it('a pod exposes spec, status and metadata fields, podIP from podIPs[0], hostNetwork defaulting to false', () => {
      const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' }, status: { phase: 'Running', podIPs: [{ ip: '10.42.0.5' }, { ip: 'fd00::5' }] } }
      assert.deepEqual(podFields(pod), {
        'metadata.name': 'p', 'metadata.namespace': 'default', 'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always',
        'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'false',
        'status.phase': 'Running', 'status.podIP': '10.42.0.5', 'status.nominatedNodeName': '',
      })
    })
    it('an event falls back to reportingComponent for source', () => {
      const ev = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u1' }, reason: 'Scheduled', reportingComponent: 'default-scheduler', type: 'Normal' }
      const f = eventFields(ev)
      assert.equal(f.source, 'default-scheduler')
      assert.equal(f['involvedObject.uid'], 'u1')
      assert.equal(f['involvedObject.fieldPath'], '')
    })
    const kinds: Array<[string, string, object, boolean, Record<string, string>]> = [
      ['a node exposes spec.unschedulable as a bool string', 'Node', { metadata: { name: 'n' }, spec: { unschedulable: true } }, false, { 'metadata.name': 'n', 'spec.unschedulable': 'true' }],
      ['a namespace exposes status.phase', 'Namespace', { metadata: { name: 'ns' }, status: { phase: 'Active' } }, false, { 'metadata.name': 'ns', 'status.phase': 'Active' }],
      ['a secret exposes type', 'Secret', { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }, true, { 'metadata.name': 's', 'metadata.namespace': 'd', type: 'Opaque' }],
      ['a service exposes clusterIP and type', 'Service', { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: '10.43.0.1', type: 'ClusterIP' } }, true, { 'metadata.name': 's', 'metadata.namespace': 'd', 'spec.clusterIP': '10.43.0.1', 'spec.type': 'ClusterIP' }],
      ['other namespaced kinds expose name and namespace', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' } }, true, { 'metadata.name': 'c', 'metadata.namespace': 'd' }],
      ['other cluster-scoped kinds expose only the name', 'ClusterRole', { metadata: { name: 'r' } }, false, { 'metadata.name': 'r' }],
    ]
    for (const [spec, kind, obj, namespaced, want] of kinds) {
      it(spec, () => assert.deepEqual(fieldsFor(kind, obj, namespaced), want))
    }
  })

  describe('supported fields and label conversion', () => {
    it('a pod supports the documented fields, status.podIPs included', () => {
      assert.deepEqual(supportedFields('Pod', true).sort(), [
        'metadata.name', 'metadata.namespace', 'spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
        'spec.serviceAccountName', 'status.nominatedNodeName', 'status.phase', 'status.podIP', 'status.podIPs',
      ])
    })
    it('a node does not support metadata.namespace', () => {
      assert.throws(() => convertFieldLabels('Node', false, parseFieldSelector('metadata.namespace=x')), { message: 'field label not supported: metadata.namespace' })
    })
    it('an unknown field is refused with upstream\'s message', () => {
      assert.throws(() => convertFieldLabels('Pod', true, parseFieldSelector('spec.foo=x')), { message: 'field label not supported: spec.foo' })
    })
    it('spec.host is converted to spec.nodeName for pods', () => {
      assert.deepEqual(convertFieldLabels('Pod', true, parseFieldSelector('spec.host=n1')), [{ field: 'spec.nodeName', operator: '=', value: 'n1' }])
    })
    it('kubectl describe node\'s event selector is supported for events', () => {
      const reqs = convertFieldLabels('Event', true, parseFieldSelector('involvedObject.name=node1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=node1'))
      const ev = { involvedObject: { kind: 'Node', name: 'node1', uid: 'node1' } }
      assert.equal(matchesFields(eventFields(ev), reqs), true)
    })
  })

  it('escapeFieldValue escapes backslash, comma and equals', () => {
    assert.equal(escapeFieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d')
  })
})
