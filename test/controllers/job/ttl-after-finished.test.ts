// The TTL-after-finished controller in virtual time: a finished Job is deleted, pods first
// (Foreground), ttlSecondsAfterFinished after its Complete or Failed condition; not before, not
// without a TTL, and a TTL changed before expiry is the one that counts.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { jobPods, makeJob, startCluster } from './support.ts'

type Json = Record<string, any>

describe('ttl-after-finished controller', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const exists = (name: string): Promise<boolean> => cluster.client.get('batch/v1', 'Job', 'default', name).then(() => true, () => false)
  const podsOf = (name: string): Promise<Json[]> => jobPods(cluster, name)
  const finishedAt = async (name: string): Promise<number> => {
    const job = await cluster.client.get('batch/v1', 'Job', 'default', name) as Json
    const c = (job.status.conditions as Json[]).find(c => ['Complete', 'Failed'].includes(c.type) && c.status === 'True')!
    return Date.parse(c.lastTransitionTime)
  }

  it('deletes a completed Job and its pods ttlSecondsAfterFinished after it completed, not before', async () => {
    await cluster.client.create(makeJob('done', { ttlSecondsAfterFinished: 100 }))
    await cluster.client.create(makeJob('kept'))
    await cluster.settle()
    const at = await finishedAt('done')
    assert.equal((await podsOf('done')).length, 1)
    await cluster.clock.advance(at + 99_000 - cluster.clock.now())
    assert.ok(await exists('done'), 'deleted before its TTL')
    await cluster.clock.advance('2s')
    assert.equal(await exists('done'), false)
    assert.deepEqual(await podsOf('done'), [])
    // No TTL: kept.
    await cluster.clock.advance('1h')
    assert.ok(await exists('kept'))
    assert.equal((await podsOf('kept')).length, 1)
  })

  it('deletes a failed Job too, and at once with a TTL of 0', async () => {
    await cluster.client.create(makeJob('crash', { backoffLimit: 0, ttlSecondsAfterFinished: 0 }, { 'k3sim.io/profile': 'crash-loop' }))
    await cluster.settle()
    await cluster.clock.advance('5s')
    assert.equal(await exists('crash'), false)
    assert.deepEqual(await podsOf('crash'), [])
  })

  it('uses the TTL as it is when it expires: a longer one set after the Job finished wins', async () => {
    await cluster.client.create(makeJob('later', { ttlSecondsAfterFinished: 60 }))
    await cluster.settle()
    const at = await finishedAt('later')
    await cluster.client.patch('batch/v1', 'Job', 'default', 'later', { spec: { ttlSecondsAfterFinished: 600 } }, { type: 'merge' })
    await cluster.clock.advance(at + 120_000 - cluster.clock.now())
    assert.ok(await exists('later'), 'deleted at the old TTL')
    await cluster.clock.advance(at + 601_000 - cluster.clock.now())
    assert.equal(await exists('later'), false)
  })

  it('leaves a running Job alone whatever its TTL', async () => {
    await cluster.client.create(makeJob('long', { ttlSecondsAfterFinished: 1 }, { 'k3sim.io/profile': 'slow-start' }))
    await cluster.clock.advance('1s')
    const job = await cluster.client.get('batch/v1', 'Job', 'default', 'long') as Json
    assert.ok(!(job.status.conditions ?? []).some((c: Json) => c.type === 'Complete'), JSON.stringify(job.status))
    assert.ok(await exists('long'))
  })
})
