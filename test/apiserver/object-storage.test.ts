// What ObjectStorage hands watchers and readers of a written object is exactly what its row
// decodes to (JSON's rules), frozen, and nothing the writer still holds may change it; trim()
// forgets the decoded objects. A watch without selectors does not decode an event's previous
// version at all.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ObjectStorage, decodeObject, encodeObject } from '../../src/apiserver/registry/storage.ts'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import type { Backend, KeyValue } from '../../src/store/backend.ts'
import * as ops from '../../src/store/ops.ts'
import { BUILTIN_RESOURCES } from '../../src/api/resources.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { startCore } from '../support/api-core.ts'

const CONFIG_MAPS = BUILTIN_RESOURCES.find(r => r.group === '' && r.resource === 'configmaps')!
const KEY = '/registry/configmaps/default/c'

describe('apiserver/registry ObjectStorage: written objects as readers get them', () => {
  let backend: Backend
  let storage: ObjectStorage
  beforeEach(async () => {
    backend = await SqliteBackend.open({ path: ':memory:', clock: new VirtualClock() })
    storage = new ObjectStorage(backend)
  })
  afterEach(async () => { await backend.close() })

  /** Decode every put event of the watch, as the API server's watch does (the row's decoding). */
  function decodeOnCommit (): KubeObject[] {
    const seen: KubeObject[] = []
    backend.watch({ key: '/registry/', rangeEnd: '/registry0', deliver: events => { for (const e of events) if (e.type === 'put') seen.push(storage.decode(e.kv)) } })
    return seen
  }

  const row = async (): Promise<KeyValue> => (await ops.get(backend, KEY)).kv!

  it('a watched write is decoded as JSON gives it back: undefined and functions left out, NaN null, resourceVersion last', async () => {
    const seen = decodeOnCommit()
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', resourceVersion: '7', labels: { a: 'b', gone: undefined } }, data: { x: 'y' }, extra: [1, undefined, Number.NaN, () => 1], f: () => 1 } as unknown as KubeObject
    const created = await storage.create(CONFIG_MAPS, obj)
    const fromRow = decodeObject(await row())
    assert.deepEqual(seen, [fromRow])
    assert.deepEqual(Object.keys(fromRow.metadata), ['name', 'namespace', 'labels', 'resourceVersion'])
    assert.deepEqual(Object.keys(seen[0].metadata), Object.keys(fromRow.metadata))
    assert.deepEqual(Object.keys(seen[0].metadata.labels!), ['a'])
    assert.ok(Object.isFrozen(seen[0].metadata.labels) && Object.isFrozen(seen[0]))
    assert.equal(created.metadata.resourceVersion, fromRow.metadata.resourceVersion)
  })

  it('stores no resourceVersion (the revision of its row is the object’s), whether it has one, an empty one or none', () => {
    for (const metadata of [{ name: 'c', resourceVersion: '42' }, { name: 'c', resourceVersion: '' }, { name: 'c' }]) {
      const json = new TextDecoder().decode(encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { a: 'b' } }))
      assert.equal(json, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}', JSON.stringify(metadata))
    }
  })

  it('a watched write leaves the writer its object: changing it, or the result, changes nothing watchers or readers see', async () => {
    const seen = decodeOnCommit()
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { x: 'y' } } as unknown as KubeObject
    const created = await storage.create(CONFIG_MAPS, obj);
    (obj.data as Record<string, string>).x = 'changed';
    (created.metadata as Record<string, unknown>).labels = { changed: 'too' }
    assert.deepEqual(seen[0].data, { x: 'y' })
    assert.equal(seen[0].metadata.labels, undefined)
    assert.deepEqual(await storage.get(CONFIG_MAPS, 'default', 'c'), seen[0])
  })

  it('a write nobody decoded leaves the writer its object: changing it changes nothing stored', async () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { x: 'y' } } as unknown as KubeObject
    const created = await storage.create(CONFIG_MAPS, obj);
    (obj.data as Record<string, string>).x = 'changed';
    (created.data as Record<string, string>).x = 'changed too'
    assert.deepEqual((await storage.get(CONFIG_MAPS, 'default', 'c')).data, { x: 'y' })
  })

  it('an object JSON would change otherwise (a Date) is decoded from its row', async () => {
    const seen = decodeOnCommit()
    const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5))
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { when } } as unknown as KubeObject
    await storage.create(CONFIG_MAPS, obj)
    assert.deepEqual(seen[0].data, { when: '2026-01-02T03:04:05.000Z' })
    assert.deepEqual(seen, [decodeObject(await row())])
  })

  it('an update keeping parts of the frozen old object reads back as its row', async () => {
    const seen = decodeOnCommit()
    await storage.create(CONFIG_MAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', labels: { a: 'b' } }, data: { x: 'y' } } as unknown as KubeObject)
    const old = seen[0]
    await storage.update(CONFIG_MAPS, { ...old, metadata: { ...old.metadata, annotations: { n: '1' } }, data: { x: 'z' } }, Number(old.metadata.resourceVersion))
    assert.deepEqual(seen[1], decodeObject(await row()))
    assert.deepEqual(Object.keys(seen[1].metadata), ['name', 'namespace', 'labels', 'annotations', 'resourceVersion'])
  })
  it('trim() forgets the decoded objects: the next read decodes the row anew, equal', async () => {
    await storage.create(CONFIG_MAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { x: 'y' } } as unknown as KubeObject)
    const first = await storage.get(CONFIG_MAPS, 'default', 'c')
    assert.equal(await storage.get(CONFIG_MAPS, 'default', 'c'), first, 'cached')
    storage.trim()
    const again = await storage.get(CONFIG_MAPS, 'default', 'c')
    assert.notEqual(again, first)
    assert.deepEqual(again, first)
  })
})

describe('apiserver watch: an event\'s previous version', () => {
  let api: Awaited<ReturnType<typeof startCore>>
  let backend: Backend
  beforeEach(async () => {
    backend = new MemoryBackend({ clock: new VirtualClock() })
    api = await startCore({ backend })
  })
  afterEach(async () => { api.core.stop(); await backend.close() })

  it('is not decoded without selectors (an undecodable one does not end the watch); with a selector it is', async () => {
    await ops.create(backend, KEY, new TextEncoder().encode('not json'), {})
    const plain = await api.client.watch('v1', 'ConfigMap', { namespace: 'default', resourceVersion: String(backend.revision) })
    const selective = await api.client.watch('v1', 'ConfigMap', { namespace: 'default', labelSelector: 'a=b', resourceVersion: String(backend.revision) })
    const { kv } = await ops.get(backend, KEY)
    await ops.update(backend, KEY, new TextEncoder().encode(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', labels: { a: 'b' } } })), { modRevision: kv!.modRevision })
    assert.deepEqual((await plain.next())?.map(e => `${e.type} ${(e.object as KubeObject).metadata?.name}`), ['MODIFIED c'])
    assert.deepEqual((await selective.next())?.map(e => `${e.type} ${(e.object as { code?: number }).code}`), ['ERROR 500'])
    plain.close()
    selective.close()
  })
})
