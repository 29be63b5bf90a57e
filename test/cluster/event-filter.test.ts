// cluster.events()'s filter: the same answer as decoding every row and checking it, while rows
// whose bytes rule them out are not decoded; rows not in the API server's compact form (written
// through the etcd API) and values Go would escape differently are checked after decoding.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { decodeObject, encodeObject } from '../../src/apiserver/registry/storage.ts'
import { filterEvents, type EventFilter } from '../../src/cluster/event-filter.ts'
import type { KeyValue } from '../../src/store/backend.ts'

type Json = Record<string, any>

const event = (name: string, o: { reason: string, type?: string, kind?: string, object: string, message?: string, namespace?: string }): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: o.namespace ?? 'default' },
  involvedObject: { kind: o.kind ?? 'Pod', name: o.object, namespace: o.namespace ?? 'default' },
  reason: o.reason, type: o.type ?? 'Normal', message: o.message ?? '', source: { component: 'kubelet' },
} as KubeObject)

let revision = 10
const row = (obj: KubeObject, bytes = encodeObject(obj)): KeyValue =>
  ({ key: `/registry/events/${obj.metadata.namespace}/${obj.metadata.name}`, value: bytes, createRevision: revision, modRevision: revision++, version: 1, lease: 0 })

describe('cluster.events() filter', () => {
  const rows: KeyValue[] = [
    row(event('web.1', { reason: 'Pulled', object: 'web' })),
    row(event('web.2', { reason: 'Started', object: 'web' })),
    row(event('db.1', { reason: 'Started', object: 'db', namespace: 'data' })),
    // Its message quotes another event's JSON: escaped in the row, so it is no "Started" event.
    row(event('web.3', { reason: 'BackOff', type: 'Warning', object: 'web', message: '{"reason":"Started","name":"db"}' })),
    // The event's own name starts like the object's, and its related kind is not the involved one.
    row(event('web-0.4', { reason: 'Killing', object: 'web-0', kind: 'Pod' })),
    row(event('rs.1', { reason: 'SuccessfulCreate', object: 'web-rs', kind: 'ReplicaSet' })),
    // Written through the etcd API with spaces: no compact field to rule it out.
    row(event('web.5', { reason: 'Started', object: 'web' }), new TextEncoder().encode(JSON.stringify(event('web.5', { reason: 'Started', object: 'web' }), null, 1))),
    // A reason as Go's encoder writes it (etcd API again): escaped, so checked after decoding.
    row(event('web.6', { reason: '<odd>', object: 'web' }), new TextEncoder().encode(JSON.stringify(event('web.6', { reason: '<odd>', object: 'web' })).replace('<', '\\u003c').replace('>', '\\u003e'))),
  ]
  const naive = (f: EventFilter): string[] => rows.map(decodeObject).filter(e => {
    const ev = e as Json
    return (f.reason === undefined || ev.reason === f.reason) && (f.type === undefined || ev.type === f.type) &&
      (f.kind === undefined || ev.involvedObject.kind === f.kind) && (f.name === undefined || ev.involvedObject.name === f.name) &&
      (f.namespace === undefined || e.metadata.namespace === f.namespace)
  }).map(e => e.metadata.name!)

  const filters: Array<[string, EventFilter]> = [
    ['no filter', {}],
    ['a reason', { reason: 'Started' }],
    ['an object', { name: 'web' }],
    ['an object whose name prefixes others', { name: 'web-0' }],
    ['a kind', { kind: 'ReplicaSet' }],
    ['a type', { type: 'Warning' }],
    ['reason and object', { reason: 'Started', name: 'db' }],
    ['a namespace', { namespace: 'data' }],
    ['a value Go escapes', { reason: '<odd>' }],
    ['nothing matches', { reason: 'Nope' }],
  ]
  for (const [name, f] of filters) {
    it(`${name}: as decoding every row`, () => {
      const got = filterEvents(rows, f, decodeObject).map(e => e.metadata.name!)
      assert.deepEqual(got, naive(f), JSON.stringify(f))
    })
  }

  it('decodes only the rows the bytes cannot rule out', () => {
    let decoded = 0
    const got = filterEvents(rows, { reason: 'Killing' }, kv => { decoded++; return decodeObject(kv) })
    assert.deepEqual(got.map(e => e.metadata.name), ['web-0.4'])
    assert.equal(decoded, 2, 'the Killing event and the row written with spaces')
  })
})
