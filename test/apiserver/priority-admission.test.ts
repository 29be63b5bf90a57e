// The Priority admission plugin on pod create: spec.priority from the named class or the
// globalDefault one (kept from a store watch, so it must see every acknowledged write at once).
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import type { Backend } from '../../src/store/backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

const backends: Record<string, (clock: VirtualClock) => Promise<Backend>> = {
  memory: async clock => new MemoryBackend({ clock }),
  sqlite: async clock => SqliteBackend.open({ path: ':memory:', clock }),
}

for (const [kind, open] of Object.entries(backends)) {
  describe(`Priority admission (${kind} store)`, () => {
    let backend: Backend
    let client: InProcessClient
    let core: ApiServerCore
    beforeEach(async () => {
      const clock = new VirtualClock()
      backend = await open(clock)
      core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 1 }) })
      await core.bootstrap()
      client = new InProcessClient({ core })
      await createDefaultServiceAccounts(client)
    })
    afterEach(async () => { core.stop(); await backend.close() })

    const pc = (name: string, value: number, globalDefault = false, preemptionPolicy?: string): Json =>
      ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault, ...(preemptionPolicy === undefined ? {} : { preemptionPolicy }) })
    const pod = async (name: string, spec: Json = {}): Promise<Json> =>
      client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } } as any) as Promise<Json>

    it('gives priority 0 and no class when there is no global default', async () => {
      const p = await pod('a')
      assert.equal(p.spec.priority, 0)
      assert.equal(p.spec.priorityClassName, undefined)
    })

    it('applies a global default created just before the pod, and stops when it is deleted or no longer default', async () => {
      await client.create(pc('everyone', 7, true, 'Never') as any)
      const a = await pod('a')
      assert.deepEqual([a.spec.priorityClassName, a.spec.priority, a.spec.preemptionPolicy], ['everyone', 7, 'Never'])
      const cur = await client.get('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'everyone')
      await client.update({ ...cur, globalDefault: false } as any)
      const b = await pod('b')
      assert.deepEqual([b.spec.priorityClassName, b.spec.priority], [undefined, 0])
      await client.update({ ...(await client.get('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'everyone')), globalDefault: true } as any)
      await client.delete('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'everyone')
      const c = await pod('c')
      assert.deepEqual([c.spec.priorityClassName, c.spec.priority], [undefined, 0])
    })

    it('has the two system classes as stored objects, and gives their value to pods naming them', async () => {
      const node = await client.get<any>('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'system-node-critical')
      assert.deepEqual([node.value, node.description, node.preemptionPolicy, node.globalDefault, node.metadata.generation],
        [2000001000, 'Used for system critical pods that must not be moved from their current node.', 'PreemptLowerPriority', undefined, 1])
      const cluster = await client.get<any>('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'system-cluster-critical')
      assert.deepEqual([cluster.value, cluster.description], [2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'])
      const p = await pod('critical', { priorityClassName: 'system-node-critical' })
      assert.deepEqual([p.spec.priority, p.spec.preemptionPolicy], [2000001000, 'PreemptLowerPriority'])
    })

    it('refuses to delete a system class, or to change its value, as upstream\'s storage and validation do', async () => {
      await assert.rejects(client.delete('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'system-node-critical'),
        (e: any) => e.code === 403 && e.message === 'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted')
      const cur = await client.get<any>('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'system-node-critical')
      await assert.rejects(client.update({ ...cur, value: 5 }),
        (e: any) => e.code === 422 && e.message === 'PriorityClass.scheduling.k8s.io "system-node-critical" is invalid: value: Forbidden: may not be changed in an update.')
      const described = await client.update<any>({ ...cur, description: 'mine now' })
      assert.deepEqual([described.description, described.metadata.generation], ['mine now', 1])
    })

    it('reserves the system- prefix and values above one billion for the system classes', async () => {
      await assert.rejects(client.create(pc('system-mine', 5) as any),
        (e: any) => e.code === 422 && e.message === 'PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-mine is not a known system priority class')
      await assert.rejects(client.create(pc('huge', 1_000_000_001) as any),
        (e: any) => e.code === 422 && /value: Forbidden: maximum allowed value of a user defined priority is 1000000000$/.test(e.message))
      const made = await client.create<any>(pc('plain', 1_000_000_000) as any)
      assert.deepEqual([made.preemptionPolicy, made.metadata.generation], ['PreemptLowerPriority', 1])
    })

    it('picks the lowest value of several global defaults, as upstream does after a race', async () => {
      await client.create(pc('high', 100, true) as any)
      await client.create(pc('low', 5, true) as any)
      const p = await pod('a')
      assert.deepEqual([p.spec.priorityClassName, p.spec.priority], ['low', 5])
    })

    it('uses a named class over the default, and refuses an unknown one with 403', async () => {
      await client.create(pc('default-one', 1, true) as any)
      await client.create(pc('named', 50) as any)
      const p = await pod('a', { priorityClassName: 'named' })
      assert.equal(p.spec.priority, 50)
      await assert.rejects(pod('b', { priorityClassName: 'missing' }), (e: any) => e.code === 403 && /no PriorityClass with name missing was found/.test(e.message))
    })
  })
}
