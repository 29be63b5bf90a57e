import assert from 'node:assert/strict'
import { buildTable, printerFor, printerForCRD } from '../../../src/apiserver/printers/index.ts'
import { NOW, ago, makePod, meta } from './builders.ts'

const pod = makePod('nginx').phase('Running').obj()
pod.metadata.labels = { app: 'nginx' }

describe('buildTable', () => {
  it('answers a meta.k8s.io/v1 Table with every column and PartialObjectMetadata rows by default', () => {
    const table: any = buildTable({ group: '', resource: 'pods', objects: [pod], now: NOW, resourceVersion: '1009' })
    assert.equal(table.kind, 'Table')
    assert.equal(table.apiVersion, 'meta.k8s.io/v1')
    assert.deepEqual(table.metadata, { resourceVersion: '1009' })
    assert.equal(table.columnDefinitions.length, 9)
    assert.deepEqual(table.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata })
  })

  it('includeObject=Object carries the object, None carries null', () => {
    const full: any = buildTable({ group: '', resource: 'pods', objects: [pod], now: NOW, resourceVersion: '1', includeObject: 'Object' })
    assert.equal(full.rows[0].object, pod)
    const none: any = buildTable({ group: '', resource: 'pods', objects: [pod], now: NOW, resourceVersion: '1', includeObject: 'None' })
    assert.equal(none.rows[0].object, null)
    assert.ok('object' in none.rows[0])
  })

  it('refuses an unknown includeObject value with upstream\'s message', () => {
    assert.throws(() => buildTable({ group: '', resource: 'pods', objects: [pod], now: NOW, resourceVersion: '1', includeObject: 'All' as any }),
      /unrecognized includeObject value: "All"/)
  })

  it('carries continue and remainingItemCount, and omits an empty resourceVersion', () => {
    const table: any = buildTable({ group: '', resource: 'pods', objects: [], now: NOW, resourceVersion: '', continue: 'tok', remainingItemCount: 3 })
    assert.deepEqual(table.metadata, { continue: 'tok', remainingItemCount: 3 })
    assert.deepEqual(table.rows, [])
  })

  it('sends columnDefinitions: null when asked not to (later watch events)', () => {
    const table: any = buildTable({ group: '', resource: 'pods', objects: [pod], now: NOW, resourceVersion: '1', includeColumnDefinitions: false })
    assert.equal(table.columnDefinitions, null)
    assert.equal(table.rows.length, 1)
  })

  it('only finished pods carry row conditions', () => {
    const done = makePod('done').phase('Succeeded').obj()
    const table: any = buildTable({ group: '', resource: 'pods', objects: [pod, done], now: NOW, resourceVersion: '1' })
    assert.equal('conditions' in table.rows[0], false)
    assert.equal(table.rows[1].conditions[0].reason, 'Succeeded')
  })

  it('kinds without a printer get Name and Created At (RFC3339, UTC)', () => {
    const role = { metadata: meta('reader', { creationTimestamp: '2025-05-29T09:59:59.5+02:00' }) }
    const table: any = buildTable({ group: 'rbac.authorization.k8s.io', resource: 'roles', objects: [role], now: NOW, resourceVersion: '1' })
    assert.deepEqual(table.columnDefinitions.map((c: any) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']])
    assert.deepEqual(table.rows[0].cells, ['reader', '2025-05-29T07:59:59Z'])
    assert.equal(printerFor('example.com', 'widgets'), printerFor('', 'limitranges'))
  })

  it('accepts "core" for the legacy group', () => {
    assert.equal(printerFor('core', 'pods'), printerFor('', 'pods'))
  })

  it('uses a given printer, e.g. a CRD one', () => {
    const printer = printerForCRD([{ name: 'Ready', type: 'string', jsonPath: '.status.ready' }])
    const table: any = buildTable({ group: 'example.com', resource: 'widgets', objects: [{ metadata: meta('w'), status: { ready: 'yes' } }], now: NOW, resourceVersion: '7', printer })
    assert.deepEqual(table.rows[0].cells, ['w', 'yes'])
  })
})

describe('printerForCRD', () => {
  const cr = {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: meta('traefik', { creationTimestamp: ago('42m'), annotations: { 'example.com/owner': 'ops' } }),
    spec: { chart: 'traefik', replicas: 2.7, ratio: 0.25, enabled: true, tags: ['a', 'b'], values: { z: 1, a: { b: 2 } } },
    status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True', lastTransitionTime: ago('5m') }], jobName: null }
  }

  it('defaults to Name and Age (type date) when the CRD version has no columns', () => {
    const p = printerForCRD(undefined)
    assert.deepEqual(p.columns.map(c => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Age', 'date', 0]])
    assert.deepEqual(p.row(cr, NOW), ['traefik', '42m'])
    assert.deepEqual(printerForCRD([]).row(cr, NOW), ['traefik', '42m'])
  })

  it('prints typed cells from simple JSONPath, null where absent or mistyped', () => {
    const p = printerForCRD([
      { name: 'Chart', type: 'string', jsonPath: '.spec.chart' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
      { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime', priority: 1 },
      { name: 'Owner', type: 'string', jsonPath: ".metadata.annotations['example.com/owner']" },
      { name: 'Owner2', type: 'string', jsonPath: '.metadata.annotations.example\\.com/owner' },
      { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
      { name: 'Values', type: 'string', jsonPath: '.spec.values' },
      { name: 'FirstTag', type: 'string', jsonPath: '.spec.tags[0]' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nope' },
      { name: 'Null', type: 'string', jsonPath: '.status.jobName' },
      { name: 'Mistyped', type: 'boolean', jsonPath: '.spec.chart' },
      { name: 'Replicas as text', type: 'string', jsonPath: '.spec.replicas' }
    ])
    assert.deepEqual(p.row(cr, NOW), [
      'traefik', 'traefik', 2, 0.25, true, 'True', '5m', 'ops', 'ops', '["a","b"]', '{"a":{"b":2},"z":1}', 'a', null, null, null, '2.7'
    ])
    assert.equal(p.columns[6].priority, 1)
    assert.equal(p.columns[1].description, 'Custom resource definition column (in JSONPath format): .spec.chart')
  })

  it('dates that do not parse print <invalid>', () => {
    const p = printerForCRD([{ name: 'When', type: 'date', jsonPath: '.spec.chart' }])
    assert.deepEqual(p.row(cr, NOW), ['traefik', '<invalid>'])
  })

  it('stops at the first column whose JSONPath does not parse, as upstream keeps the convertor built so far', () => {
    const p = printerForCRD([
      { name: 'Chart', type: 'string', jsonPath: '.spec.chart' },
      { name: 'Bad', type: 'string', jsonPath: '.spec[' },
      { name: 'After', type: 'string', jsonPath: '.spec.chart' }
    ])
    assert.deepEqual(p.columns.map(c => c.name), ['Name', 'Chart'])
    assert.deepEqual(p.row(cr, NOW), ['traefik', 'traefik'])
  })
})
