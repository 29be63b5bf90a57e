// The namespace controller's on-demand watches of what is left in a terminating namespace.
import assert from 'node:assert/strict'
import type { Client, WatchStream } from '../../../src/client/client.ts'
import { ContentWatches } from '../../../src/controllers/namespace/content-watch.ts'
import type { ResourceKind } from '../../../src/controllers/resources.ts'
import { configMap, startApi, type Api } from '../support.ts'

/** The client, counting the namespaced watches still open. */
function countingWatches (client: Client): { client: Client, open: () => number } {
  let open = 0
  const counting: Client = Object.create(client)
  counting.watch = async (apiVersion, kind, options) => {
    const stream = await client.watch(apiVersion, kind, options)
    if (options?.namespace === undefined) return stream
    open++
    let ended = false
    const end = (): void => { if (!ended) { ended = true; open-- } }
    const counted: WatchStream = {
      async next () { const b = await stream.next(); if (b === null) end(); return b },
      close () { end(); stream.close() },
    }
    return counted
  }
  return { client: counting, open: () => open }
}

const turns = async (n = 5): Promise<void> => { for (let i = 0; i < n; i++) await new Promise(resolve => setImmediate(resolve)) }

describe('controllers/namespace content watches', () => {
  let api: Api
  let configMaps: ResourceKind
  let secrets: ResourceKind
  beforeEach(async () => {
    api = await startApi()
    for (const name of ['team', 'elsewhere']) await api.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
    configMaps = api.resources.find(r => r.kind === 'ConfigMap')!
    secrets = api.resources.find(r => r.kind === 'Secret')!
  })

  it('watches from the revision of the list that found the content: a deletion in between still requeues', async () => {
    await api.client.create(configMap('held', 'team', { finalizers: ['example.com/hold'] }))
    await api.client.delete('v1', 'ConfigMap', 'team', 'held')
    const listed = await api.client.list('v1', 'ConfigMap', { namespace: 'team' })
    await api.client.patch('v1', 'ConfigMap', 'team', 'held', { metadata: { finalizers: null } })
    const watches = new ContentWatches(api.client)
    let requeued = 0
    await watches.follow('team', [{ kind: configMaps, resourceVersion: listed.metadata.resourceVersion }], () => { requeued++ })
    await turns()
    assert.equal(requeued, 1)
    watches.stop()
  })

  it('requeues on deletions in its namespace only, not on other changes', async () => {
    await api.client.create(configMap('held', 'team', { finalizers: ['example.com/hold'] }))
    await api.client.delete('v1', 'ConfigMap', 'team', 'held')
    await api.client.create(configMap('other', 'elsewhere'))
    const { metadata } = await api.client.list('v1', 'ConfigMap', { namespace: 'team' })
    const watches = new ContentWatches(api.client)
    let requeued = 0
    await watches.follow('team', [{ kind: configMaps, resourceVersion: metadata.resourceVersion }], () => { requeued++ })
    await api.client.patch('v1', 'ConfigMap', 'team', 'held', { metadata: { labels: { a: 'b' } } })
    await api.client.delete('v1', 'ConfigMap', 'elsewhere', 'other')
    await turns()
    assert.equal(requeued, 0)
    await api.client.patch('v1', 'ConfigMap', 'team', 'held', { metadata: { finalizers: null } })
    await turns()
    assert.equal(requeued, 1)
    watches.stop()
  })

  it('keeps one watch per kind left, closes those no longer left, and closes all on close() and stop()', async () => {
    const { client, open } = countingWatches(api.client)
    const watches = new ContentWatches(client)
    const rv = String(api.core.ctx.storage.backend.revision)
    await watches.follow('team', [{ kind: configMaps, resourceVersion: rv }, { kind: secrets, resourceVersion: rv }], () => {})
    await watches.follow('team', [{ kind: configMaps, resourceVersion: rv }, { kind: secrets, resourceVersion: rv }], () => {})
    await watches.follow('other', [{ kind: secrets, resourceVersion: rv }], () => {})
    assert.deepEqual(watches.watched(), { team: ['configmaps.', 'secrets.'], other: ['secrets.'] })
    assert.equal(open(), 3)
    await watches.follow('team', [{ kind: secrets, resourceVersion: rv }], () => {})
    assert.deepEqual(watches.watched(), { team: ['secrets.'], other: ['secrets.'] })
    assert.equal(open(), 2)
    watches.close('team')
    assert.deepEqual(watches.watched(), { other: ['secrets.'] })
    watches.stop()
    await watches.follow('late', [{ kind: secrets, resourceVersion: rv }], () => {})
    assert.deepEqual(watches.watched(), {})
    assert.equal(open(), 0)
  })

  it('a watch ending while another of the namespace is being opened leaves no watch behind', async () => {
    // The ConfigMap watch ends (a slow watcher cut off, say) while the Secret one is still opening.
    const { client, open } = countingWatches(api.client)
    let release!: () => void
    let endConfigMaps!: () => void
    const gated: Client = Object.create(client)
    gated.watch = async (apiVersion, kind, options) => {
      if (kind === 'Secret') await new Promise<void>(resolve => { release = resolve })
      const stream = await client.watch(apiVersion, kind, options)
      if (kind !== 'ConfigMap') return stream
      const ended = new Promise<null>(resolve => { endConfigMaps = () => resolve(null) })
      return { next: () => Promise.race([stream.next(), ended]).then(b => { if (b === null) stream.close(); return b }), close: () => stream.close() }
    }
    const watches = new ContentWatches(gated)
    const rv = String(api.core.ctx.storage.backend.revision)
    let requeued = 0
    const following = watches.follow('team', [{ kind: configMaps, resourceVersion: rv }, { kind: secrets, resourceVersion: rv }], () => { requeued++ })
    await turns()
    endConfigMaps()
    await turns()
    release()
    await following
    assert.equal(requeued, 1)
    assert.deepEqual(watches.watched(), { team: ['secrets.'] })
    watches.close('team')
    assert.equal(open(), 0)
  })

  it('requeues when a watch ends by itself, so the next sync opens it again', async () => {
    const watches = new ContentWatches(api.client)
    let requeued = 0
    await watches.follow('team', [{ kind: configMaps, resourceVersion: String(api.core.ctx.storage.backend.revision) }], () => { requeued++ })
    await api.core.ctx.storage.backend.close()
    await turns()
    assert.equal(requeued, 1)
    assert.deepEqual(watches.watched(), {})
  })
})
