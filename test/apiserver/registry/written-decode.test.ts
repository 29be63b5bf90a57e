// The decoded object of a row just written is copied from the object written instead of parsed
// from its JSON. Readers must not be able to tell: the same object as decoding the stored bytes,
// frozen, and unaffected by what the writer's caller does with its object afterwards.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { ApiServerCore } from '../../../src/apiserver/core.ts'
import { decodeObject } from '../../../src/apiserver/registry/storage.ts'
import { InProcessClient } from '../../../src/client/in-process.ts'
import { SqliteBackend } from '../../../src/store/sqlite/sqlite-backend.ts'
import type { Backend, WatchEvent } from '../../../src/store/backend.ts'
import { VirtualClock } from '../../../src/util/clock.ts'
import { Ids } from '../../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../../support/service-accounts.ts'

describe('decoding a row just written (copied from the written object)', () => {
  let backend: Backend
  let core: ApiServerCore
  let client: InProcessClient
  let events: WatchEvent[]
  let decoded: KubeObject[]
  beforeEach(async () => {
    const clock = new VirtualClock()
    backend = await SqliteBackend.open({ path: ':memory:', clock })
    core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 3 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await createDefaultServiceAccounts(client, ['default'])
    events = []
    decoded = []
    // Decoded as the store delivers the events, before the write returns (as the mirrors do).
    backend.watch({ key: '/registry/configmaps/', rangeEnd: '/registry/configmaps0', deliver: es => { for (const e of es) { events.push(e); decoded.push(core.ctx.storage.decode(e.kv)) } } })
  })
  afterEach(async () => { core.stop(); await backend.close() })

  const configMap = (data: Record<string, unknown>): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', labels: { a: 'b' } }, data }) as unknown as KubeObject

  it('is what decoding the stored bytes gives, resourceVersion last, frozen all the way down', async () => {
    await client.create(configMap({ k: 'v', empty: '' }))
    await client.patch('v1', 'ConfigMap', 'default', 'cm', { data: { k2: 'v2' } })
    assert.equal(events.length, 2)
    for (let i = 0; i < events.length; i++) {
      assert.deepStrictEqual(decoded[i], decodeObject(events[i].kv))
      assert.equal(JSON.stringify(decoded[i]), JSON.stringify(decodeObject(events[i].kv)), 'the same key order')
      assert.equal(Object.keys(decoded[i].metadata).at(-1), 'resourceVersion')
      assert.ok(Object.isFrozen(decoded[i]) && Object.isFrozen(decoded[i].metadata.labels) && Object.isFrozen(decoded[i].metadata.managedFields![0]))
    }
  })

  it('does not change when the writer\'s caller changes the object it got back', async () => {
    const created = await client.create(configMap({ k: 'v' })) as KubeObject & { data: Record<string, string> }
    created.data.k = 'changed by the caller'
    created.metadata.labels!.a = 'changed'
    assert.equal((decoded[0] as KubeObject & { data: Record<string, string> }).data.k, 'v')
    const read = await client.get<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'default', 'cm')
    assert.equal(read.data.k, 'v')
    assert.equal(read.metadata.labels!.a, 'b')
  })

  it('an update that carries over the parts of the object it replaces (frozen) decodes as the stored bytes', async () => {
    await client.create(configMap({ k: 'v' }))
    // A label change through the status-less main resource: data and managedFields entries carried over.
    await client.patch('v1', 'ConfigMap', 'default', 'cm', { metadata: { labels: { c: 'd' } } })
    await client.patch('v1', 'ConfigMap', 'default', 'cm', { metadata: { labels: { c: 'e' } } }, { fieldManager: 'other' })
    assert.equal(events.length, 3)
    for (let i = 0; i < events.length; i++) assert.deepStrictEqual(decoded[i], decodeObject(events[i].kv))
    assert.equal(decoded[2].metadata.managedFields!.length, 2)
  })
})
