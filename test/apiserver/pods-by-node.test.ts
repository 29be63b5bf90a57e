// Lists of one node's pods (the kubelets' `fieldSelector=spec.nodeName=<node>`) come from an index
// kept from a store watch. They must equal what filtering every pod gives, right after any write:
// creates, bindings, deletes, other namespaces, label selectors, and a watch that ended.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { PodsByNode } from '../../src/apiserver/registry/pods-by-node.ts'
import { ObjectStorage } from '../../src/apiserver/registry/storage.ts'
import * as ops from '../../src/store/ops.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import type { Backend, Watcher } from '../../src/store/backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

describe('pods by node (the kubelets\' lists)', () => {
  let backend: Backend
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => {
    const clock = new VirtualClock()
    backend = await SqliteBackend.open({ path: ':memory:', clock })
    core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 3 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } } as KubeObject)
    await createDefaultServiceAccounts(client, ['default', 'other'])
  })
  afterEach(async () => { core.stop(); await backend.close() })

  const pod = (name: string, ns = 'default', labels: Record<string, string> = {}, nodeName?: string): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { ...(nodeName === undefined ? {} : { nodeName }), containers: [{ name: 'c', image: 'nginx' }] } }) as unknown as KubeObject
  const names = (items: KubeObject[]): string[] => items.map(p => `${p.metadata.namespace}/${p.metadata.name}`)

  /** The list as served, and what filtering every pod at the same revision gives. */
  async function both (fieldSelector: string, options: { namespace?: string, labelSelector?: string } = {}): Promise<{ served: string[], scanned: string[], rv: string }> {
    const served = await client.list('v1', 'Pod', { fieldSelector, ...options })
    const all = await client.list('v1', 'Pod', { namespace: options.namespace, resourceVersion: served.metadata.resourceVersion, resourceVersionMatch: 'Exact' } as any)
    const node = /spec\.nodeName==?([^,]*)/.exec(fieldSelector)![1]
    const labelOk = (p: KubeObject): boolean => options.labelSelector === undefined || p.metadata.labels?.[options.labelSelector.split('=')[0]] === options.labelSelector.split('=')[1]
    const scanned = all.items.filter(p => ((p.spec as Json).nodeName ?? '') === node && labelOk(p))
    return { served: names(served.items), scanned: names(scanned), rv: served.metadata.resourceVersion! }
  }

  it('serves exactly the node\'s pods, in list order, right after each write', async () => {
    await client.create(pod('b', 'default', { app: 'web' }, 'n1'))
    await client.create(pod('a', 'default', { app: 'db' }, 'n1'))
    await client.create(pod('c', 'other', { app: 'web' }, 'n1'))
    await client.create(pod('d', 'default', {}, 'n2'))
    await client.create(pod('pending'))
    let r = await both('spec.nodeName=n1')
    assert.deepEqual(r.served, ['default/a', 'default/b', 'other/c'])
    assert.deepEqual(r.served, r.scanned)
    assert.equal(r.rv, String(backend.revision))
    assert.deepEqual((await both('spec.nodeName=n1', { namespace: 'other' })).served, ['other/c'])
    r = await both('spec.nodeName=n1', { labelSelector: 'app=web' })
    assert.deepEqual(r.served, ['default/b', 'other/c'])
    assert.deepEqual(r.served, r.scanned)
    assert.deepEqual((await both('spec.nodeName=')).served, ['default/pending'], 'unbound pods')
    // A binding moves the pod into its node's list at once.
    await client.post('v1', 'Pod', 'default', 'pending', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending' }, target: { kind: 'Node', name: 'n2' } })
    r = await both('spec.nodeName=n2')
    assert.deepEqual(r.served, ['default/d', 'default/pending'])
    assert.deepEqual((await both('spec.nodeName=')).served, [])
    // A deletion (graceful for bound pods: still listed while terminating, gone once removed).
    await client.delete('v1', 'Pod', 'default', 'a', { gracePeriodSeconds: 0 })
    r = await both('spec.nodeName=n1')
    assert.deepEqual(r.served, r.scanned)
    assert.deepEqual((await both('spec.nodeName=nope')).served, [])
  })

  it('follows writes as they commit, and rebuilds itself after its watch ended', async () => {
    const storage = new ObjectStorage(backend)
    const index = new PodsByNode(storage)
    await index.start()
    const even = async (): Promise<string[]> => (await client.list('v1', 'Pod', { namespace: 'default' })).items
      .filter(p => (p.spec as Json).nodeName === 'even').map(p => `/registry/pods/default/${p.metadata.name}`).sort()
    for (let i = 0; i < 10; i++) await client.create(pod(`p${i}`, 'default', {}, i % 2 === 0 ? 'even' : 'odd'))
    assert.deepEqual((await index.keysOn('even'))!.sort(), ['p0', 'p2', 'p4', 'p6', 'p8'].map(n => `/registry/pods/default/${n}`))
    // A value the index cannot read ends its watch; the next lookup lists again (and fails while
    // the value is there), and after it is gone the index is whole again.
    const bad = '/registry/pods/default/zz-not-json'
    await ops.create(backend, bad, new TextEncoder().encode('not json'))
    await client.delete('v1', 'Pod', 'default', 'p0', { gracePeriodSeconds: 0 })
    await client.create(pod('p10', 'default', {}, 'even'))
    await assert.rejects(index.keysOn('even'))
    await ops.remove(backend, bad)
    assert.deepEqual((await index.keysOn('even'))!.sort(), await even())
    assert.ok((await even()).includes('/registry/pods/default/p10'))
    index.stop()
    assert.equal(await index.keysOn('even'), undefined, 'stopped: the list reads every pod again')
  })

  it('answers the registry\'s reads of a pod with its newest object, and leaves them to the store when it cannot tell', async () => {
    const storage = new ObjectStorage(backend)
    const index = new PodsByNode(storage)
    const podsInfo = core.index.lookup('', 'v1', 'pods')!
    const read = async (name: string): Promise<string | undefined> => {
      const p = await storage.tryGet(podsInfo, 'default', name)
      return p === undefined ? undefined : `${p.metadata.resourceVersion} ${(p.spec as Json).nodeName ?? ''}`
    }
    const stored = async (name: string): Promise<string | undefined> => {
      const { kv } = await ops.get(backend, `/registry/pods/default/${name}`)
      if (kv === undefined) return undefined
      return `${kv.modRevision} ${(JSON.parse(new TextDecoder().decode(kv.value)) as Json).spec.nodeName ?? ''}`
    }
    await index.start()
    await client.create(pod('p'))
    assert.equal(index.current('/registry/pods/default/p')?.metadata.name, 'p', 'known to the index, unbound')
    assert.equal(await read('p'), await stored('p'))
    await client.post('v1', 'Pod', 'default', 'p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } })
    assert.equal(await read('p'), await stored('p'))
    assert.match((await read('p'))!, / n1$/)
    await client.delete('v1', 'Pod', 'default', 'p', { gracePeriodSeconds: 0 })
    assert.equal(index.current('/registry/pods/default/p'), null, 'known to be gone')
    assert.equal(await read('p'), undefined)
    // Its watch ended (an unreadable value): it cannot tell, and the store answers.
    await client.create(pod('q', 'default', {}, 'n2'))
    await ops.create(backend, '/registry/pods/default/zz-not-json', new TextEncoder().encode('not json'))
    assert.equal(index.current('/registry/pods/default/q'), undefined)
    assert.equal(await read('q'), await stored('q'))
    index.stop()
  })

  it('restarts once when lookups find its watch gone together, and leaves no watch open once stopped', async () => {
    const opened: Watcher[] = []
    const watch = backend.watch.bind(backend)
    backend.watch = options => { const w = watch(options); opened.push(w); return w }
    const index = new PodsByNode(new ObjectStorage(backend))
    await index.start()
    const bad = '/registry/pods/default/zz-not-json'
    await ops.create(backend, bad, new TextEncoder().encode('not json'))
    await ops.remove(backend, bad)
    assert.equal(opened.filter(w => !w.closed).length, 0, 'the unreadable value ended the watch')
    await client.create(pod('p1', 'default', {}, 'n1'))
    const [a, b] = await Promise.all([index.keysOn('n1'), index.keysOn('n1')])
    assert.deepEqual([a, b], [['/registry/pods/default/p1'], ['/registry/pods/default/p1']])
    assert.equal(opened.filter(w => !w.closed).length, 1)
    index.stop()
    assert.equal(opened.filter(w => !w.closed).length, 0)
  })
})
