// The legacy bindings resource (POST /api/v1/namespaces/<ns>/bindings, a Binding named after its
// pod): in discovery as upstream lists it, and the same write as pods/<name>/binding.
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('bindings (core/v1, create only)', () => {
  it('is listed in discovery and binds the pod it names', async () => {
    const { core, client: c } = await startCore()
    const info = core.index.lookup('', 'v1', 'bindings')!
    assert.deepEqual([info.kind, info.namespaced, info.verbs], ['Binding', true, ['create']])
    await c.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any)
    await c.create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } } as any)
    const pod = await c.get('v1', 'Pod', 'default', 'p') as Json
    assert.equal(pod.spec.nodeName, 'n1')
    assert.equal(pod.status.conditions.find((x: Json) => x.type === 'PodScheduled')?.status, 'True')
    const again = await c.create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { kind: 'Node', name: 'n2' } } as any).then(() => undefined, (e: any) => e)
    assert.equal(again?.code, 409)
    assert.match(again.message, /pod p is already assigned to node "n1"/)
    const missing = await c.create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'nope', namespace: 'default' }, target: { kind: 'Node', name: 'n1' } } as any).then(() => undefined, (e: any) => e)
    assert.equal(missing?.code, 404)
  })
})
