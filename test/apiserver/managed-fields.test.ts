// managedFields bookkeeping: which fields a write changed, keyed list items included, so the
// manager that wrote them owns them and earlier owners lose exactly those.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { changedFields, fieldSetOf, recordManager } from '../../src/apiserver/managed-fields.ts'

const svc = (ingress: Array<Record<string, unknown>>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, status: { loadBalancer: { ingress } } }) as unknown as KubeObject

describe('managedFields', () => {
  it('finds the changed and added items of a keyed list, not the unchanged ones', () => {
    const prev = { ingress: [{ ip: '10.0.0.1', ipMode: 'VIP' }, { ip: '10.0.0.2', ipMode: 'VIP' }] }
    const next = { ingress: [{ ip: '10.0.0.1', ipMode: 'VIP' }, { ip: '10.0.0.2', ipMode: 'Proxy' }, { ip: '10.0.0.3', ipMode: 'VIP' }] }
    const changed = changedFields(fieldSetOf(next), next, prev)
    assert.deepEqual(Object.keys(changed['f:ingress']), ['k:{"ip":"10.0.0.2"}', 'k:{"ip":"10.0.0.3"}'])
    assert.deepEqual(changed['f:ingress']['k:{"ip":"10.0.0.2"}'], { 'f:ipMode': {} })
  })

  it('moves only the changed item of a 5,000-item list to the new manager', () => {
    const ips = Array.from({ length: 5000 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}`, ipMode: 'VIP' }))
    const first = svc(ips)
    recordManager(first, undefined, { manager: 'klipper', operation: 'Update', apiVersion: 'v1', time: 't0', subresource: 'status' })
    const next = svc([...ips.slice(0, 4999), { ip: ips[4999].ip, ipMode: 'Proxy' }])
    next.metadata.managedFields = first.metadata.managedFields
    recordManager(next, first, { manager: 'other', operation: 'Update', apiVersion: 'v1', time: 't1', subresource: 'status' })
    const [klipper, other] = next.metadata.managedFields!
    const lastKey = `k:{"ip":"${ips[4999].ip}"}`
    const owned = (e: typeof klipper): Record<string, unknown> => ((e.fieldsV1 as any)['f:status']['f:loadBalancer']['f:ingress'])
    assert.equal(Object.keys(owned(klipper)).length, 5000, 'klipper keeps every item (the ip of the last one too)')
    assert.deepEqual(owned(klipper)[lastKey], { '.': {}, 'f:ip': {} }, 'but not the changed ipMode')
    assert.deepEqual(Object.keys(owned(other)), [lastKey])
  })
})
