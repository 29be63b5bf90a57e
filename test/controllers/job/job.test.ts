// The Job controller end to end on fake kubelets, in virtual time: parallelism and completions,
// backoffLimit with the crash-loop profile, Indexed Jobs, activeDeadlineSeconds and suspend.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { getJob as jobGet, jobPods, makeJob, startCluster } from './support.ts'

type Json = Record<string, any>

describe('job controller', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const getJob = (name: string): Promise<Json> => jobGet(cluster, name)
  const podsOf = (name: string): Promise<Json[]> => jobPods(cluster, name)

  it('completes 3 completions at parallelism 2 with SuccessCriteriaMet then Complete', async () => {
    await cluster.client.create(makeJob('pi', { completions: 3, parallelism: 2 }))
    await cluster.settle()
    const job = await getJob('pi')
    const now = new Date(cluster.clock.now()).toISOString().replace('.000Z', 'Z')
    assert.deepEqual(job.status, {
      startTime: job.status.startTime,
      completionTime: job.status.completionTime,
      succeeded: 3,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now },
      ],
    })
    assert.equal(job.status.startTime, now)
    assert.equal(job.status.completionTime, now)
    const pods = await podsOf('pi')
    assert.equal(pods.length, 3)
    for (const p of pods) {
      assert.match(p.metadata.name, /^pi-[a-z0-9]{5}$/)
      assert.deepEqual(p.metadata.finalizers ?? [], [], 'tracking finalizer removed once counted')
      assert.deepEqual(p.metadata.ownerReferences.map((r: Json) => [r.kind, r.name, r.controller]), [['Job', 'pi', true]])
      assert.equal(p.status.phase, 'Succeeded')
    }
    const created = cluster.events({ name: 'pi', reason: 'SuccessfulCreate' }).map((e: Json) => e.message).sort()
    assert.deepEqual(created, pods.map(p => `Created pod: ${p.metadata.name}`).sort())
    assert.deepEqual(cluster.events({ name: 'pi', reason: 'Completed' }).map((e: Json) => [e.type, e.message, e.source.component]), [['Normal', 'Job completed', 'job-controller']])
  })

  it('fails with BackoffLimitExceeded after backoffLimit + 1 failed pods, backing off 10s then 20s', async () => {
    await cluster.client.create(makeJob('crash', { backoffLimit: 2 }, { 'k3sim.io/profile': 'crash-loop' }))
    await cluster.settle()
    await cluster.clock.advance('12s') // first pod dies at 2s; its replacement waits 10s
    assert.equal((await podsOf('crash')).length, 2)
    assert.equal((await getJob('crash')).status.failed, 1)
    await cluster.clock.advance('2m')
    const job = await getJob('crash')
    assert.equal(job.status.failed, 3)
    assert.equal(job.status.active, undefined)
    assert.deepEqual(job.status.conditions.map((c: Json) => [c.type, c.reason, c.message]), [
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ])
    assert.equal(job.status.completionTime, undefined)
    assert.deepEqual(cluster.events({ name: 'crash', reason: 'BackoffLimitExceeded' }).map((e: Json) => [e.type, e.message]),
      [['Warning', 'Job has reached the specified backoff limit']])
    const starts = (await podsOf('crash')).map(p => Date.parse(p.metadata.creationTimestamp) - Date.parse(job.status.startTime)).sort((a, b) => a - b)
    assert.deepEqual(starts, [0, 12_000, 34_000])
  })

  it('runs an Indexed Job: one pod per index, completedIndexes', async () => {
    await cluster.client.create(makeJob('idx', { completions: 4, parallelism: 2, completionMode: 'Indexed' }))
    await cluster.settle()
    const job = await getJob('idx')
    assert.equal(job.status.succeeded, 4)
    assert.equal(job.status.completedIndexes, '0-3')
    assert.ok(job.status.conditions.some((c: Json) => c.type === 'Complete'))
    const pods = await podsOf('idx')
    const indexes = pods.map(p => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()
    assert.deepEqual(indexes, ['0', '1', '2', '3'])
    for (const p of pods) {
      const i = p.metadata.annotations['batch.kubernetes.io/job-completion-index']
      assert.match(p.metadata.name, new RegExp(`^idx-${i}-[a-z0-9]{5}$`))
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], i)
      assert.equal(p.spec.hostname, `idx-${i}`)
    }
  })

  it('fails with DeadlineExceeded once active longer than activeDeadlineSeconds', async () => {
    await cluster.client.create(makeJob('slow', { activeDeadlineSeconds: 5 }, { 'k3sim.io/profile': 'batch-10s' }))
    await cluster.settle()
    assert.equal((await getJob('slow')).status.active, 1)
    await cluster.clock.advance('1m')
    const job = await getJob('slow')
    assert.deepEqual(job.status.conditions.map((c: Json) => [c.type, c.reason, c.message]), [
      ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ])
    assert.equal(job.status.failed, 1)
  })

  it('creates no pods while suspended and starts them on resume', async () => {
    await cluster.client.create(makeJob('later', { suspend: true }))
    await cluster.settle()
    let job = await getJob('later')
    assert.equal((await podsOf('later')).length, 0)
    assert.equal(job.status.startTime, undefined)
    assert.deepEqual(job.status.conditions.map((c: Json) => [c.type, c.status, c.reason]), [['Suspended', 'True', 'JobSuspended']])
    await cluster.client.patch('batch/v1', 'Job', 'default', 'later', { spec: { suspend: false } }, { type: 'merge' })
    await cluster.settle()
    job = await getJob('later')
    assert.deepEqual(job.status.conditions.map((c: Json) => [c.type, c.status, c.reason]),
      [['Suspended', 'False', 'JobResumed'], ['SuccessCriteriaMet', 'True', 'CompletionsReached'], ['Complete', 'True', 'CompletionsReached']])
    assert.equal(job.status.succeeded, 1)
  })

  it('releases the tracking finalizer so a deleted Job\'s pods are collected', async () => {
    await cluster.client.create(makeJob('gone', {}, { 'k3sim.io/profile': 'batch-10s' }))
    await cluster.settle()
    assert.equal((await podsOf('gone')).length, 1)
    await cluster.client.delete('batch/v1', 'Job', 'default', 'gone', { propagationPolicy: 'Background' })
    await cluster.settle()
    await cluster.clock.advance('1m')
    assert.equal((await podsOf('gone')).length, 0)
  })
})
