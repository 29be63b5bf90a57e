// kube-apiserver's kubernetesservice controller on a virtual clock: every 10 s the `kubernetes`
// Service is created again if it is missing, and an existing one is left as it is.
import assert from 'node:assert/strict'
import type { ApiServerCore } from '../../src/apiserver/core.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import type { VirtualClock } from '../../src/util/clock.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('the kubernetes Service reconciler', () => {
  let core: ApiServerCore
  let client: InProcessClient
  let clock: VirtualClock
  beforeEach(async () => {
    ({ core, client } = await startCore())
    clock = core.clock as VirtualClock
    core.startLoops()
  })
  afterEach(() => { core.stop() })

  const advance = async (duration: string): Promise<void> => {
    await clock.advance(duration)
    while (core.busy()) await new Promise(resolve => setImmediate(resolve))
  }
  const service = (): Promise<Json> => client.get('v1', 'Service', 'default', 'kubernetes') as Promise<Json>

  it('creates a deleted Service again at the next 10 s tick, not before', async () => {
    const first = await service()
    await client.delete('v1', 'Service', 'default', 'kubernetes')
    await advance('9999ms')
    await assert.rejects(service(), /not found/)
    await advance('1ms')
    const again = await service()
    assert.notEqual(again.metadata.uid, first.metadata.uid)
    assert.deepEqual([again.spec.clusterIP, again.spec.ports, again.spec.sessionAffinity, again.spec.type],
      ['10.43.0.1', [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], 'None', 'ClusterIP'])
  })

  it('leaves an existing Service as it is (reconcile=false)', async () => {
    await client.patch('v1', 'Service', 'default', 'kubernetes', { metadata: { labels: { mine: 'yes' } } })
    await advance('30s')
    assert.equal((await service()).metadata.labels.mine, 'yes')
  })

  it('stops with the API server: no timer of its own is left on the clock', async () => {
    const before = clock.pending()
    core.stop()
    assert.equal(clock.pending(), before - 1)
    await client.delete('v1', 'Service', 'default', 'kubernetes')
    await advance('1m')
    await assert.rejects(service(), /not found/)
  })
})
