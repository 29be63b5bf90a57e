// The Informer (src/client/informer.ts) over both Clients: it lists, watches from the list's
// resourceVersion, calls add/update/delete handlers, keeps a lister cache, and — when it has to
// re-watch from a resourceVersion the server compacted away (410) — relists and reports the
// difference. The watch is dropped and re-opened through a GatedClient, never by waiting.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import type { Client } from '../../src/client/client.ts'
import { HttpClient } from '../../src/client/http.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { Informer } from '../../src/client/informer.ts'
import { GatedClient } from '../support/gated-client.ts'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { credentialsOf } from '../support/raw-https.ts'
import { Recorder } from '../support/recorder.ts'

interface Seen { verb: 'add' | 'update' | 'delete', name: string, rv: string, oldRv?: string, data?: unknown }

const cm = (namespace: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(labels === undefined ? {} : { labels }) }, data })

function record (informer: Informer): Recorder<Seen> {
  const seen = new Recorder<Seen>()
  informer.addHandlers({
    add: o => seen.push({ verb: 'add', name: o.metadata.name!, rv: o.metadata.resourceVersion!, data: o.data }),
    update: (old, o) => seen.push({ verb: 'update', name: o.metadata.name!, rv: o.metadata.resourceVersion!, oldRv: old.metadata.resourceVersion, data: o.data }),
    delete: o => seen.push({ verb: 'delete', name: o.metadata.name!, rv: o.metadata.resourceVersion!, data: o.data }),
  })
  return seen
}

const summary = (seen: Seen[]): string[] => seen.map(e => `${e.verb} ${e.name}`)

const factories: Array<{ name: string, make: (s: TestServer) => Client }> = [
  { name: 'InProcessClient', make: s => new InProcessClient({ core: s.cp.core }) },
  { name: 'HttpClient', make: s => { const c = credentialsOf(s.cp.kubeconfig()); return new HttpClient({ server: c.server, ca: c.ca, token: s.cp.token }) } },
]

describe('Informer', function () {
  let s: TestServer
  let admin: InProcessClient
  let nsCount = 0

  before(async () => {
    s = await startTestServer()
    admin = new InProcessClient({ core: s.cp.core })
  })
  after(async () => { await s.stop() })

  async function freshNamespace (): Promise<string> {
    const name = `informer-${++nsCount}`
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
    return name
  }

  for (const factory of factories) {
    describe(`over the ${factory.name}`, () => {
      let client: GatedClient
      let informer: Informer | undefined
      let ns: string
      beforeEach(async () => {
        client = new GatedClient(factory.make(s))
        ns = await freshNamespace()
      })
      afterEach(() => {
        informer?.stop()
        client.reopen()
        informer = undefined
      })

      it('start() lists, reports what exists as added, and resolves synced', async () => {
        await admin.create(cm(ns, 'a'))
        await admin.create(cm(ns, 'b'))
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        assert.equal(informer.hasSynced, false)
        await informer.start()
        assert.equal(informer.hasSynced, true)
        assert.deepEqual(summary(seen.items), ['add a', 'add b'])
        assert.deepEqual(informer.list().map(o => o.metadata.name), ['a', 'b'])
        assert.equal(informer.get(`${ns}/a`)?.kind, 'ConfigMap', 'cached objects carry apiVersion and kind')
        assert.equal(client.lists, 1)
      })

      it('calls add, update and delete handlers for live changes, with old and new objects', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        const created = await admin.create(cm(ns, 'a', { v: '1' }))
        const patched = await admin.patch('v1', 'ConfigMap', ns, 'a', { data: { v: '2' } })
        await admin.delete('v1', 'ConfigMap', ns, 'a')
        await seen.until(e => e.length >= 3, 'add, update, delete')
        assert.deepEqual(summary(seen.items), ['add a', 'update a', 'delete a'])
        assert.equal(seen.items[1].oldRv, created.metadata.resourceVersion)
        assert.equal(seen.items[1].rv, patched.metadata.resourceVersion)
        assert.deepEqual(seen.items[2].data, { v: '2' }, 'delete hands over the last state')
        assert.deepEqual(informer.list(), [])
      })

      it('its namespace and controller indexes follow updates, adoption, orphaning and deletion', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        // Owners that exist, so that the garbage collector leaves their dependents alone.
        const owners = await Promise.all(['o1', 'o2'].map(name => admin.create(cm(ns, name))))
        const owner = (i: number): Record<string, unknown> => ({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owners[i].metadata.name, uid: owners[i].metadata.uid, controller: true }] })
        await admin.create(cm(ns, 'a', { v: '1' }))
        await admin.create(cm(ns, 'b', { v: '1' }))
        await admin.patch('v1', 'ConfigMap', ns, 'a', { data: { v: '2' } })
        await admin.patch('v1', 'ConfigMap', ns, 'b', { metadata: owner(0) })
        await admin.patch('v1', 'ConfigMap', ns, 'a', { metadata: owner(0) })
        await admin.patch('v1', 'ConfigMap', ns, 'a', { metadata: owner(1) })
        await seen.until(e => e.length >= 8, 'four adds, four updates')
        const names = (items: KubeObject[]): string[] => items.map(o => o.metadata.name!).sort()
        assert.deepEqual(names(informer.inNamespace(ns)), ['a', 'b', 'o1', 'o2'])
        assert.deepEqual(names(informer.controlledBy(owners[0].metadata.uid!)), ['b'])
        assert.deepEqual(names(informer.controlledBy(owners[1].metadata.uid!)), ['a'])
        assert.deepEqual(names(informer.orphans(ns)), ['o1', 'o2'])
        assert.equal((informer.inNamespace(ns).find(o => o.metadata.name === 'a') as { data?: Record<string, string> } | undefined)?.data?.v, '2', 'the index holds the newest object')

        await admin.patch('v1', 'ConfigMap', ns, 'b', { metadata: { ownerReferences: null } })
        await admin.delete('v1', 'ConfigMap', ns, 'a')
        await seen.until(e => e.length >= 10, 'orphaning and deletion')
        assert.deepEqual(names(informer.controlledBy(owners[0].metadata.uid!)), [])
        assert.deepEqual(names(informer.controlledBy(owners[1].metadata.uid!)), [])
        assert.deepEqual(names(informer.orphans(ns)), ['b', 'o1', 'o2'])
        assert.deepEqual(names(informer.inNamespace(ns)), ['b', 'o1', 'o2'])
      })

      it('a no-op write produces no update', async () => {
        await admin.create(cm(ns, 'a', { v: '1' }))
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        await admin.patch('v1', 'ConfigMap', ns, 'a', { data: { v: '1' } })
        await admin.create(cm(ns, 'marker'))
        await seen.next(e => e.name === 'marker')
        assert.deepEqual(summary(seen.items), ['add a', 'add marker'])
      })

      it('with a label selector, an object relabelled out of it is deleted from the cache', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, labelSelector: 'team=a' })
        const seen = record(informer)
        await informer.start()
        await admin.create(cm(ns, 'b', {}, { team: 'b' }))
        await admin.create(cm(ns, 'a', {}, { team: 'a' }))
        await admin.patch('v1', 'ConfigMap', ns, 'a', { metadata: { labels: { team: 'b' } } })
        await seen.next(e => e.verb === 'delete')
        assert.deepEqual(summary(seen.items), ['add a', 'delete a'])
        assert.deepEqual(informer.list(), [])
      })

      it('re-watches from its resourceVersion when the stream ends, without relisting or missing events', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        await admin.create(cm(ns, 'a'))
        await seen.next(e => e.name === 'a')
        client.hold()
        const arrived = client.waitingAtGate()
        client.dropWatches()
        await arrived
        await admin.create(cm(ns, 'while-away'))
        client.reopen()
        await seen.next(e => e.name === 'while-away', 'the event written while the watch was down')
        assert.equal(client.lists, 1, 'no relist: history still held the resourceVersion')
        const rvs = client.watchCalls.map(w => Number(w.resourceVersion))
        assert.ok(rvs[1] > rvs[0], `the second watch resumes from a later resourceVersion: ${rvs.join(', ')}`)
      })

      it('after a 410 on re-watch (history compacted) relists, reports the difference and keeps watching', async () => {
        await admin.create(cm(ns, 'stays', { v: '1' }))
        await admin.create(cm(ns, 'goes'))
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        assert.deepEqual(summary(seen.items), ['add goes', 'add stays'])
        // Make sure the watch is up (start() resolves after the list), then drop it.
        await admin.create(cm(ns, 'marker'))
        await seen.next(e => e.name === 'marker')
        seen.clear()

        // Drop the watch and hold the re-watch while the store changes and compacts.
        client.hold()
        const arrived = client.waitingAtGate()
        client.dropWatches()
        await arrived
        await admin.patch('v1', 'ConfigMap', ns, 'stays', { data: { v: '2' } })
        await admin.delete('v1', 'ConfigMap', ns, 'goes')
        await admin.create(cm(ns, 'new'))
        await s.cp.backend.compact(s.cp.backend.revision)
        client.reopen()

        await seen.until(e => e.length >= 3, 'the relist differences')
        assert.equal(client.lists, 2, 'the 410 made it relist')
        assert.deepEqual(summary(seen.items).sort(), ['add new', 'delete goes', 'update stays'])
        assert.deepEqual(seen.items.find(e => e.name === 'stays')?.data, { v: '2' })
        assert.deepEqual(informer.list().map(o => o.metadata.name).sort(), ['marker', 'new', 'stays'])

        // The watch after the relist delivers live events again.
        await admin.delete('v1', 'ConfigMap', ns, 'new')
        await seen.next(e => e.verb === 'delete' && e.name === 'new', 'a live delete after the relist')
      })

      it('keeps working when the server compacts under a live watch', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        await admin.create(cm(ns, 'before'))
        await seen.next(e => e.name === 'before')
        await s.cp.backend.compact(s.cp.backend.revision)
        await admin.create(cm(ns, 'after'))
        await seen.next(e => e.name === 'after')
        assert.equal(client.lists, 1)
      })

      it('stop() ends the watch and no handler runs afterwards', async () => {
        informer = new Informer({ client, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const seen = record(informer)
        await informer.start()
        await admin.create(cm(ns, 'a'))
        await seen.next(e => e.name === 'a')
        informer.stop()
        await admin.create(cm(ns, 'b'))
        // A second informer proves 'b' was delivered to watchers; the stopped one must not see it.
        const other = new Informer({ client: admin, apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })
        const otherSeen = record(other)
        await other.start()
        await admin.create(cm(ns, 'c'))
        await otherSeen.next(e => e.name === 'c')
        other.stop()
        assert.deepEqual(summary(seen.items), ['add a'])
      })
    })
  }
})
