// Go writes a non-pointer metav1.Time even when it is zero, as null (omitempty never skips a
// struct): a pod condition always reads back with lastProbeTime, even when it was written through
// a patch, where `lastProbeTime: null` means "remove the key" (the scheduler's PodScheduled=False).
import assert from 'node:assert/strict'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

describe('zero metav1.Time fields of pod conditions', () => {
  let client: InProcessClient
  before(async () => { ({ client } = await startCore()) })

  it('reads back lastProbeTime: null after a strategic patch that sent it as null', async () => {
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any)
    const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }
    const patched = await client.patch<any>('v1', 'Pod', 'default', 'big', { status: { conditions: [condition] } }, { subresource: 'status', type: 'strategic' })
    assert.deepEqual(patched.status.conditions, [{ ...condition }])
    assert.ok(Object.hasOwn(patched.status.conditions[0], 'lastProbeTime'))
    const merged = await client.patch<any>('v1', 'Pod', 'default', 'big', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status', type: 'strategic' })
    assert.deepEqual(merged.status.conditions.find((c: any) => c.type === 'Ready'), { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: null })
  })
})
