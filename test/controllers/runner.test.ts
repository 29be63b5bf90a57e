import assert from 'node:assert/strict'
import { objectKey } from '../../src/api/object.ts'
import type { ControllerError } from '../../src/controllers/controller.ts'
import { ControllerRunner } from '../../src/controllers/runner.ts'
import type { ControllerContext, ControllerDefinition } from '../../src/controllers/types.ts'
import { configMap, settle, startApi, type Api } from './support.ts'

/** A controller over ConfigMaps whose sync is supplied by the test; it records every call. */
function recorder (name: string, sync: (key: string, ctx: ControllerContext) => Promise<void> = async () => {}): ControllerDefinition & { calls: string[] } {
  const calls: string[] = []
  return {
    name,
    calls,
    informers: { configmaps: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' } },
    events: [{ informer: 'configmaps', on: ['add', 'update', 'delete'], keys: ({ obj }) => [objectKey(obj)] }],
    async sync (key, ctx) { calls.push(key); await sync(key, ctx) },
  }
}

describe('controllers/runner', () => {
  let api: Api
  let runner: ControllerRunner | undefined
  const errors: ControllerError[] = []
  beforeEach(async () => { api = await startApi(); errors.length = 0 })
  afterEach(async () => { await runner?.stop(); runner = undefined })

  const start = async (...controllers: ControllerDefinition[]): Promise<ControllerRunner> => {
    runner = new ControllerRunner({ client: api.client, clock: api.clock, controllers, onError: e => errors.push(e) })
    await runner.start()
    return runner
  }

  it('syncs the key of an object that existed before start and of one created after', async () => {
    await api.client.create(configMap('before'))
    const c = recorder('rec')
    const r = await start(c)
    await api.client.create(configMap('after'))
    await r.idle()
    assert.deepEqual(c.calls.sort(), ['default/after', 'default/before'])
    assert.equal(r.busy(), false)
  })

  it('retries a failing sync after its backoff on the injected clock, then forgets it', async () => {
    let failures = 1
    const c = recorder('flaky', async () => { if (failures-- > 0) throw new Error('boom') })
    const r = await start(c)
    await api.client.create(configMap('a'))
    await r.idle()
    assert.deepEqual(c.calls, ['default/a'])
    assert.equal(r.pendingRetries(), 1, 'the retry waits for the clock')
    assert.equal(errors.length, 1)
    await api.clock.advance('5ms', () => r.idle())
    await r.idle()
    assert.deepEqual(c.calls, ['default/a', 'default/a'])
    assert.equal(r.pendingRetries(), 0)
    assert.equal(r.controller('flaky').queue.numRequeues('default/a'), 0)
  })

  it('ends a key quietly when sync meets NotFound', async () => {
    const c = recorder('reader', async (key, ctx) => { await ctx.client.get('v1', 'ConfigMap', 'default', `${key.split('/')[1]}-missing`) })
    const r = await start(c)
    await api.client.create(configMap('a'))
    await settle(r, api.clock)
    assert.deepEqual(c.calls, ['default/a'])
    assert.deepEqual(errors, [])
  })

  it('idle() waits for the work that a sync\'s own writes cause', async () => {
    // Each sync of cm-N creates cm-(N+1) up to 5: idle must see the whole chain.
    const c = recorder('chain', async (key, ctx) => {
      const n = Number(key.split('-')[1])
      if (n < 5) await ctx.client.create(configMap(`cm-${n + 1}`)).catch(() => {})
    })
    const r = await start(c)
    await api.client.create(configMap('cm-1'))
    await r.idle()
    assert.deepEqual(c.calls, ['default/cm-1', 'default/cm-2', 'default/cm-3', 'default/cm-4', 'default/cm-5'])
  })

  it('shares one informer between controllers that ask for the same list+watch', async () => {
    const a = recorder('a')
    const b = recorder('b')
    const r = await start(a, b)
    assert.equal(r.informers.size, 1)
    await api.client.create(configMap('x'))
    await r.idle()
    assert.deepEqual([a.calls, b.calls], [['default/x'], ['default/x']])
  })

  it('is not busy once stopped, and refuses a duplicate controller name', async () => {
    const r = await start(recorder('a'))
    await r.stop()
    assert.equal(r.busy(), false)
    await r.idle()
    assert.throws(() => new ControllerRunner({ client: api.client, controllers: [recorder('x'), recorder('x')] }), /listed twice/)
  })
})
