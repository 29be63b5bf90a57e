// Decoded objects share equal managedFields sets (frozen, so readers cannot tell), never unequal
// ones, even when two sets' digests collide; they are frozen all the way down (their short
// strings pooled on the way); what clients get stays their own.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { FieldsInterner } from '../../src/apiserver/registry/fields-interner.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

const withFields = (name: string, fieldsV1: Json): KubeObject =>
  ({ metadata: { name, managedFields: [{ manager: 'm', operation: 'Update', time: `2026-01-01T00:00:0${name.length}Z`, fieldsType: 'FieldsV1', fieldsV1 }] } })
const fieldsOf = (o: KubeObject): unknown => (o.metadata.managedFields![0] as Json).fieldsV1
const freezeAll = (v: unknown): void => { if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) { Object.freeze(v); Object.values(v).forEach(freezeAll) } }

describe('managedFields sets shared between decoded objects', () => {
  it('shares equal sets (frozen) and keeps unequal ones apart', () => {
    const interner = new FieldsInterner()
    const a = withFields('a', { 'f:data': { 'f:k': {} } })
    const b = withFields('bb', { 'f:data': { 'f:k': {} } })
    const c = withFields('ccc', { 'f:data': { 'f:other': {} } })
    for (const o of [a, b, c]) interner.intern(o, freezeAll)
    assert.equal(fieldsOf(a), fieldsOf(b))
    assert.notEqual(fieldsOf(a), fieldsOf(c))
    assert.deepEqual(fieldsOf(c), { 'f:data': { 'f:other': {} } })
    assert.ok(Object.isFrozen(fieldsOf(a)) && Object.isFrozen((fieldsOf(a) as Json)['f:data']))
  })

  it('shares the equal parts of sets that differ (a running pod\'s status set names its own IP)', () => {
    const interner = new FieldsInterner()
    const status = (ip: string): Json => ({ 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } }, 'f:phase': {}, 'f:podIPs': { '.': {}, [`k:{"ip":"${ip}"}`]: { '.': {}, 'f:ip': {} } } } })
    const a = withFields('a', status('10.42.0.5'))
    const b = withFields('bb', status('10.42.0.6'))
    for (const o of [a, b]) interner.intern(o, freezeAll)
    const [fa, fb] = [fieldsOf(a), fieldsOf(b)] as Json[]
    assert.notEqual(fa, fb)
    assert.deepEqual([fa, fb], [status('10.42.0.5'), status('10.42.0.6')], 'each keeps its own content')
    assert.equal(fa['f:status']['f:conditions'], fb['f:status']['f:conditions'])
    assert.equal(fa['f:status']['f:podIPs']['k:{"ip":"10.42.0.5"}'], fb['f:status']['f:podIPs']['k:{"ip":"10.42.0.6"}'], 'equal parts under different keys')
    assert.equal(fa['f:status']['f:phase'], fb['f:status']['f:podIPs']['.'], 'one {} leaf for all')
    assert.notEqual(fa['f:status']['f:podIPs'], fb['f:status']['f:podIPs'])
    assert.ok(Object.isFrozen(fb) && Object.isFrozen(fb['f:status']['f:podIPs']))
    // 20,000 distinct sets: the parts kept stay bounded, and the shared ones are still shared.
    for (let i = 0; i < 20_000; i++) interner.intern(withFields('x', status(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)), freezeAll)
    const c = withFields('ccc', status('10.43.0.1'))
    interner.intern(c, freezeAll)
    assert.equal((fieldsOf(c) as Json)['f:status']['f:conditions'], fa['f:status']['f:conditions'])
    assert.ok(interner.size <= 4 * 2 ** 20, `kept ${interner.size}`)
  })

  it('clear() forgets every set: the next equal set is shared anew', () => {
    const interner = new FieldsInterner()
    const a = withFields('a', { 'f:data': { 'f:k': {} } })
    interner.intern(a, freezeAll)
    assert.ok(interner.size > 0)
    interner.clear()
    assert.equal(interner.size, 0)
    const b = withFields('bb', { 'f:data': { 'f:k': {} } })
    const c = withFields('ccc', { 'f:data': { 'f:k': {} } })
    for (const o of [b, c]) interner.intern(o, freezeAll)
    assert.notEqual(fieldsOf(b), fieldsOf(a))
    assert.equal(fieldsOf(c), fieldsOf(b))
  })

  it('never swaps a set for another whose digest is the same', () => {
    const interner = new FieldsInterner({ digest: () => 42 })
    const a = withFields('a', { 'f:spec': {} })
    const b = withFields('bb', { 'f:status': {} })
    const c = withFields('ccc', { 'f:status': {} })
    for (const o of [a, b, c]) interner.intern(o, freezeAll)
    assert.deepEqual([fieldsOf(a), fieldsOf(b), fieldsOf(c)], [{ 'f:spec': {} }, { 'f:status': {} }, { 'f:status': {} }])
    assert.equal(fieldsOf(b), fieldsOf(c), 'the newest set under a digest is the one shared')
  })

  it('keeps at most 4 MiB of sets, and none bigger than 16 KiB (a Service with thousands of IPs)', () => {
    const interner = new FieldsInterner()
    const big: Json = {}
    for (let i = 0; i < 2000; i++) big[`k:{"ip":"10.0.${i >> 8}.${i & 255}"}`] = { '.': {} }
    const a = withFields('a', big)
    interner.intern(a, freezeAll)
    assert.equal(interner.size, 0, 'a big set is not kept')
    // 20,000 distinct sets of ~500 characters: 10 MB of JSON offered.
    const fields = (i: number): Json => Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f:field-${i}-${j}`, {}]))
    for (let i = 0; i < 20_000; i++) interner.intern(withFields('x', fields(i)), freezeAll)
    assert.ok(interner.size <= 4 * 2 ** 20 && interner.size > 3 * 2 ** 20, `kept ${interner.size}`)
  })

  it('through the API server: pods of one shape share their sets; clients still get their own copies', async () => {
    const clock = new VirtualClock()
    const backend = await SqliteBackend.open({ path: ':memory:', clock })
    const core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 3 }) })
    await core.bootstrap()
    const client = new InProcessClient({ core })
    await createDefaultServiceAccounts(client)
    const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject)
    await client.create(pod('p1'))
    await client.create(pod('p2'))
    const { items } = await client.list('v1', 'Pod', { namespace: 'default' })
    assert.equal(fieldsOf(items[0]), fieldsOf(items[1]), 'listed (shared, frozen) objects share the set')
    const p1 = items[0] as Json
    // (The item itself is the list's shallow copy without apiVersion and kind; what it holds is shared.)
    for (const [i, part] of [p1.metadata, p1.metadata.labels, p1.spec, p1.spec.containers, p1.spec.containers[0], p1.status].entries()) assert.ok(Object.isFrozen(part), `part ${i}`)
    assert.deepEqual([p1.metadata.labels, p1.spec.containers[0].image, p1.status.phase], [{ app: 'web' }, 'nginx', 'Pending'])
    const own = await client.get('v1', 'Pod', 'default', 'p1')
    // The shared {} leaves are separate objects in the caller's copy.
    const spec = (fieldsOf(own) as Json)['f:spec']
    spec['f:restartPolicy'].changed = {}
    assert.deepEqual(spec['f:dnsPolicy'], {})
    ;(fieldsOf(own) as Json)['f:spec'] = {}
    assert.notDeepEqual(fieldsOf((await client.get('v1', 'Pod', 'default', 'p2'))), fieldsOf(own), 'a get is the caller\'s copy')
    core.stop()
    await backend.close()
  })
})
