// The CronJob controller end to end in virtual time: schedules run as the clock advances,
// history limits, concurrencyPolicy Forbid and Replace, and a time-zoned schedule.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { startCluster } from '../job/support.ts'

type Json = Record<string, any>

function makeCronJob (name: string, spec: Json, annotations?: Record<string, string>): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      jobTemplate: { spec: { template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36' }] } } } },
    },
  }
}

describe('cronjob controller', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const jobs = async (): Promise<Json[]> => (await cluster.client.list('batch/v1', 'Job', { namespace: 'default' })).items as Json[]
  const getCronJob = (name: string): Promise<Json> => cluster.client.get('batch/v1', 'CronJob', 'default', name) as Promise<Json>
  const messages = (reason: string): string[] => cluster.events({ reason, kind: 'CronJob' }).map((e: Json) => e.message)

  it('"*/5 * * * *" advanced 1h creates 12 Jobs and keeps the 3 newest successful ones', async () => {
    const start = cluster.clock.now() // 2025-01-01T00:00:00Z
    await cluster.client.create(makeCronJob('tick', { schedule: '*/5 * * * *' }))
    await cluster.settle()
    await cluster.clock.advance('1h')
    const minutes = Array.from({ length: 12 }, (_, i) => start / 60_000 + 5 * (i + 1))
    // client-go's event correlator: from the 10th similar message within 10 minutes of the
    // previous one, the events are combined into one, counted up.
    assert.deepEqual(messages('SuccessfulCreate'), [...minutes.slice(0, 9).map(m => `Created job tick-${m}`), `(combined from similar events): Created job tick-${minutes[11]}`])
    assert.equal((cluster.events({ reason: 'SuccessfulCreate', kind: 'CronJob' }).at(-1) as Json).count, 3)
    const left = (await jobs()).map(j => j.metadata.name).sort()
    assert.deepEqual(left, minutes.slice(-3).map(m => `tick-${m}`))
    assert.deepEqual(messages('SuccessfulDelete'), minutes.slice(0, 9).map(m => `Deleted job tick-${m}`))
    assert.equal(messages('SawCompletedJob')[0], `Saw completed job: tick-${minutes[0]}, condition: Complete`)
    const last = (await jobs()).find(j => j.metadata.name === `tick-${minutes[11]}`)!
    assert.equal(last.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-01-01T01:00:00Z')
    assert.deepEqual(last.metadata.ownerReferences.map((r: Json) => [r.kind, r.name, r.controller]), [['CronJob', 'tick', true]])
    const cj = await getCronJob('tick')
    assert.equal(cj.status.lastScheduleTime, '2025-01-01T01:00:00Z')
    assert.equal(cj.status.lastSuccessfulTime, '2025-01-01T01:00:00Z')
    assert.equal(cj.status.active, undefined)
  })

  it('a day of an hourly CronJob whose runs fail every 6th hour: 24 Jobs, history limits of 2 successful and 1 failed kept', async () => {
    await cluster.client.create(makeCronJob('hourly', { schedule: '0 * * * *', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }))
    await cluster.settle()
    // Events live 1 h (as upstream's --event-ttl), so the Jobs seen after each hour are counted.
    const seen = new Set<string>()
    for (let hour = 1; hour <= 24; hour++) {
      if (hour % 6 === 0) {
        // Make the next run fail: its pods exit 1 after 2 s (the crash-loop profile), no retries.
        const cj = await getCronJob('hourly') as any
        cj.spec.jobTemplate.spec.backoffLimit = 0
        cj.spec.jobTemplate.spec.template.metadata = { annotations: { 'k3sim.io/profile': 'crash-loop' } }
        await cluster.client.update(cj)
      } else if (hour % 6 === 1 && hour > 1) {
        const cj = await getCronJob('hourly') as any
        delete cj.spec.jobTemplate.spec.template.metadata
        await cluster.client.update(cj)
      }
      await cluster.clock.advance('1h')
      for (const j of await jobs()) seen.add(j.metadata.name)
      assert.ok((await jobs()).length <= 4, 'history limits hold all day: 2 successful, 1 failed, the running one')
    }
    assert.equal(seen.size, 24)
    await cluster.clock.advance('10s') // the 24:00 run fails 2 s in
    assert.deepEqual(messages('SuccessfulDelete').length > 0, true)
    const left = await jobs()
    const state = (j: Json): string => (j.status.conditions ?? []).find((c: Json) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))?.type ?? 'Running'
    assert.deepEqual(left.map(state).sort(), ['Complete', 'Complete', 'Failed'])
    const failed = left.find(j => state(j) === 'Failed')!
    assert.equal(failed.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-01-02T00:00:00Z', 'the newest failure, 24:00')
  })

  it('Forbid skips a run while the previous Job is still active', async () => {
    // crash-loop pods fail every 2s; a high backoffLimit keeps the Job active for minutes.
    const cj = makeCronJob('solo', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }, { 'k3sim.io/profile': 'crash-loop' })
    cj.spec.jobTemplate.spec.backoffLimit = 100
    await cluster.client.create(cj)
    await cluster.settle()
    await cluster.clock.advance('3m')
    assert.equal((await jobs()).length, 1)
    assert.ok(messages('JobAlreadyActive').length >= 1)
    assert.equal(messages('JobAlreadyActive')[0], 'Not starting job because prior execution is running and concurrency policy is Forbid')
    const status = (await getCronJob('solo')).status
    assert.equal(status.active.length, 1)
    assert.equal(status.lastScheduleTime, '2025-01-01T00:01:00Z')
  })

  it('Replace deletes the active Job and starts the new one', async () => {
    const cj = makeCronJob('swap', { schedule: '* * * * *', concurrencyPolicy: 'Replace' }, { 'k3sim.io/profile': 'crash-loop' })
    cj.spec.jobTemplate.spec.backoffLimit = 100
    await cluster.client.create(cj)
    await cluster.settle()
    await cluster.clock.advance('2m')
    const first = cluster.clock.now() / 60_000 - 1
    assert.deepEqual(messages('SuccessfulCreate'), [`Created job swap-${first}`, `Created job swap-${first + 1}`])
    assert.deepEqual(messages('SuccessfulDelete'), [`Deleted job swap-${first}`])
    await cluster.settle()
    assert.deepEqual((await jobs()).filter(j => j.metadata.deletionTimestamp === undefined).map(j => j.metadata.name), [`swap-${first + 1}`])
    assert.deepEqual((await getCronJob('swap')).status.active.map((a: Json) => a.name), [`swap-${first + 1}`])
  })

  it('runs a spec.timeZone schedule at local time and stamps the local time', async () => {
    await cluster.client.create(makeCronJob('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }))
    await cluster.settle()
    await cluster.clock.advance('1d') // 09:00 JST on Jan 2 is 00:00 UTC on Jan 2
    const made = await jobs()
    assert.deepEqual(made.map(j => j.metadata.name), [`tokyo-${Date.parse('2025-01-02T00:00:00Z') / 60_000}`])
    assert.equal(made[0].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-01-02T09:00:00+09:00')
  })

  it('creates nothing while suspended', async () => {
    await cluster.client.create(makeCronJob('paused', { schedule: '*/5 * * * *', suspend: true }))
    await cluster.settle()
    await cluster.clock.advance('30m')
    assert.equal((await jobs()).length, 0)
  })
})
