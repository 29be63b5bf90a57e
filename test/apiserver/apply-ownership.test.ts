// Server-side apply's shared ownership: a manager applying a field another manager set to the same
// value co-owns it (no conflict). That is a write even though the object's body does not change
// (only managedFields do), and the field then survives the first manager dropping it.
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('server-side apply: shared ownership', () => {
  it('co-owning a field with the same value is recorded, and keeps the field when the first owner drops it', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const cm = (data: Json): any => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data })
    const apply = (data: Json, manager: string): Promise<Json> => c.patch('v1', 'ConfigMap', 'default', 'x', cm(data), { type: 'apply', fieldManager: manager } as never) as Promise<Json>
    await apply({ a: '1', b: '2' }, 'A')
    const before = await apply({ c: '3' }, 'B')
    const shared = await apply({ a: '1', c: '3' }, 'B')
    assert.notEqual(shared.metadata.resourceVersion, before.metadata.resourceVersion, 'ownership changed: a write')
    const owners = Object.fromEntries((shared.metadata.managedFields as Json[]).map(e => [e.manager, Object.keys(e.fieldsV1['f:data']).sort()]))
    assert.deepEqual(owners, { A: ['f:a', 'f:b'], B: ['f:a', 'f:c'] })
    const last = await apply({ b: '2' }, 'A')
    assert.deepEqual(last.data, { a: '1', b: '2', c: '3' })
  })

  it('conflicts name each manager as upstream prints it, managers in the order of their identifiers', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const cm = (data: Json): any => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data })
    await c.patch('v1', 'ConfigMap', 'default', 'x', cm({ a: '1' }), { type: 'apply', fieldManager: 'zeta' } as never)
    await c.patch('v1', 'ConfigMap', 'default', 'x', { data: { b: '1' } }, { type: 'merge', fieldManager: 'alpha' })
    await c.patch('v1', 'ConfigMap', 'default', 'x', cm({ a: '2', b: '2' }), { type: 'apply', fieldManager: 'mine' } as never).then(() => assert.fail('no conflict'), (err: any) => {
      assert.equal(err.code, 409)
      // {"manager":"alpha","operation":"Update",…} sorts before {"manager":"zeta",…}; an applier has no "using".
      assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "alpha" using v1:\n- .data.b\nconflicts with "zeta":\n- .data.a')
      assert.deepEqual(err.status.details.causes.map((x: Json) => x.message).sort(), ['conflict with "alpha" using v1', 'conflict with "zeta"'])
    })
  })
})
