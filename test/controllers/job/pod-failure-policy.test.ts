// A Job's podFailurePolicy in virtual time, on fake kubelets whose containers exit with chosen
// codes: FailJob ends the Job with upstream's message, Ignore does not count the failure, an
// unmatched failure counts; with the policy a deleted pod is replaced only once it has failed.
// And the API's defaulting and validation of the policy, with upstream's messages.
import assert from 'node:assert/strict'
import type { Cluster } from '../../../src/index.ts'
import { getJob as jobGet, jobPods, makeJob, startCluster } from './support.ts'

type Json = Record<string, any>

const exits = (code: number, after = '2s'): Record<string, string> => ({ 'k3sim.io/profile-inline': `{exitAfter: ${after}, exitCode: ${code}}` })
const onExit = (action: string, values: number[], operator = 'In'): Json => ({ action, onExitCodes: { containerName: 'work', operator, values } })

describe('job controller: podFailurePolicy', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await startCluster() })
  afterEach(async () => { await cluster.stop() })

  const getJob = (name: string): Promise<Json> => jobGet(cluster, name)
  const podsOf = (name: string): Promise<Json[]> => jobPods(cluster, name)

  it('FailJob: the first matching exit code fails the Job at once, with the rule\'s message', async () => {
    await cluster.client.create(makeJob('fj', { backoffLimit: 6, podFailurePolicy: { rules: [onExit('Ignore', [3]), onExit('FailJob', [42])] } }, exits(42)))
    await cluster.settle()
    await cluster.clock.advance('3s')
    const job = await getJob('fj')
    const [pod] = await podsOf('fj')
    const message = `Container work for pod default/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 1`
    assert.deepEqual(job.status.conditions.map((c: Json) => [c.type, c.status, c.reason, c.message]), [
      ['FailureTarget', 'True', 'PodFailurePolicy', message],
      ['Failed', 'True', 'PodFailurePolicy', message],
    ])
    assert.equal(job.status.failed, 1)
    assert.equal((await podsOf('fj')).length, 1, 'no replacement')
    assert.deepEqual(cluster.events({ name: 'fj', reason: 'PodFailurePolicy' }).map((e: Json) => [e.type, e.message]), [['Warning', message]])
  })

  it('Ignore: matching failures do not count towards backoffLimit, and are replaced', async () => {
    await cluster.client.create(makeJob('ig', { backoffLimit: 0, podFailurePolicy: { rules: [onExit('Ignore', [3])] } }, exits(3)))
    await cluster.settle()
    await cluster.clock.advance('7s')
    const job = await getJob('ig')
    assert.equal(job.status.failed, undefined)
    assert.ok(!(job.status.conditions ?? []).some((c: Json) => c.type === 'Failed'), JSON.stringify(job.status))
    const pods = await podsOf('ig')
    assert.ok(pods.length >= 3, `${pods.length} pods`)
    assert.ok(pods.every(p => (p.metadata.finalizers ?? []).length === 0 || p.status.phase !== 'Failed'), 'ignored pods lose the tracking finalizer')
  })

  it('a failure no rule matches counts as usual (BackoffLimitExceeded); NotIn matches the codes not listed', async () => {
    await cluster.client.create(makeJob('count', { backoffLimit: 0, podFailurePolicy: { rules: [onExit('FailJob', [42])] } }, exits(1)))
    await cluster.client.create(makeJob('notin', { podFailurePolicy: { rules: [onExit('FailJob', [1, 2], 'NotIn')] } }, exits(7)))
    await cluster.settle()
    await cluster.clock.advance('3s')
    assert.deepEqual((await getJob('count')).status.conditions.map((c: Json) => c.reason), ['BackoffLimitExceeded', 'BackoffLimitExceeded'])
    assert.match((await getJob('notin')).status.conditions[0].message, /failed with exit code 7 matching FailJob rule at index 0$/)
  })

  it('with a policy a deleted pod is replaced only once it has failed (podReplacementPolicy Failed)', async () => {
    const profile = { 'k3sim.io/profile-inline': '{exitAfter: 1h, stopDelay: 20s, stopExitCode: 143}' }
    await cluster.client.create(makeJob('slow', { podFailurePolicy: { rules: [onExit('FailJob', [42])] } }, profile))
    await cluster.settle()
    const job = await getJob('slow')
    assert.equal(job.spec.podReplacementPolicy, 'Failed')
    const [first] = await podsOf('slow')
    await cluster.client.delete('v1', 'Pod', 'default', first.metadata.name)
    await cluster.clock.advance('10s')
    assert.deepEqual((await podsOf('slow')).map(p => p.metadata.name), [first.metadata.name], 'replaced while still terminating')
    assert.equal((await getJob('slow')).status.terminating, 1)
    await cluster.clock.advance('12s')
    assert.equal((await getJob('slow')).status.failed, 1, 'counted once it failed (exit 143)')
    await cluster.clock.advance('10s') // the pod-failure back-off
    const now = await podsOf('slow')
    assert.equal(now.filter(p => p.metadata.name !== first.metadata.name).length, 1, 'replaced once failed')
  })

  it('Ignore on DisruptionTarget: the kubelet keeps that condition in its final status, and the failure is not counted', async () => {
    const profile = { 'k3sim.io/profile-inline': '{exitAfter: 1h, stopDelay: 1s, stopExitCode: 143}' }
    await cluster.client.create(makeJob('dj', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }, profile))
    await cluster.settle()
    const [pod] = await podsOf('dj')
    const conditions = [...pod.status.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'preempted', lastTransitionTime: pod.status.conditions[0].lastTransitionTime }]
    await cluster.client.update({ apiVersion: 'v1', kind: 'Pod', ...pod, status: { ...pod.status, conditions } } as never, { subresource: 'status' })
    await cluster.client.delete('v1', 'Pod', 'default', pod.metadata.name)
    await cluster.clock.advance('5s')
    const job = await getJob('dj')
    assert.equal(job.status.failed, undefined)
    assert.ok(!(job.status.conditions ?? []).some((c: Json) => c.type === 'Failed'), JSON.stringify(job.status))
    assert.equal((await podsOf('dj')).length, 1, 'replaced')
  })

  it('a pod deleted before any node took it (no kubelet ends it) is marked Failed by PodGC: the Job\'s deadline still ends it', async () => {
    const job = makeJob('unsched', { activeDeadlineSeconds: 10, podFailurePolicy: { rules: [onExit('FailJob', [42])] } })
    job.spec.template.spec.containers[0].resources = { requests: { cpu: '1000' } }
    await cluster.client.create(job)
    await cluster.settle()
    await cluster.clock.advance('12s')
    const j = await getJob('unsched')
    assert.deepEqual(j.status.conditions.map((c: Json) => [c.type, c.reason]), [['FailureTarget', 'DeadlineExceeded'], ['Failed', 'DeadlineExceeded']])
    assert.deepEqual(await podsOf('unsched'), [])
  })

  it('an Indexed Job under the default podReplacementPolicy replaces a terminating pod\'s index at once', async () => {
    const profile = { 'k3sim.io/profile-inline': '{exitAfter: 1h, stopDelay: 20s, stopExitCode: 143}' }
    await cluster.client.create(makeJob('ix', { completionMode: 'Indexed', completions: 2, parallelism: 2 }, profile))
    await cluster.settle()
    const first = (await podsOf('ix')).find(p => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '0')!
    await cluster.client.delete('v1', 'Pod', 'default', first.metadata.name)
    await cluster.clock.advance('11s') // past the 10 s pod-failure back-off, still terminating
    const index0 = (await podsOf('ix')).filter(p => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '0')
    assert.deepEqual(index0.map(p => p.metadata.deletionTimestamp !== undefined).sort(), [false, true])
  })

  it('leaves a Job managed by another controller (spec.managedBy) alone; managedBy is immutable', async () => {
    await cluster.client.create(makeJob('ext', { managedBy: 'example.com/batch' }))
    await cluster.settle()
    await cluster.clock.advance('10s')
    assert.deepEqual(await podsOf('ext'), [])
    assert.equal((await getJob('ext')).status?.startTime, undefined)
    await assert.rejects(cluster.client.patch('batch/v1', 'Job', 'default', 'ext', { spec: { managedBy: 'kubernetes.io/job-controller' } }),
      /Job\.batch "ext" is invalid: spec\.managedBy: Invalid value: "kubernetes\.io\/job-controller": field is immutable/)
    await cluster.client.create(makeJob('own', { managedBy: 'kubernetes.io/job-controller' }))
    await cluster.settle()
    assert.equal((await podsOf('own')).length, 1)
  })

  describe('API defaulting and validation', () => {
    it('defaults podReplacementPolicy to Failed and a pattern\'s status to True', async () => {
      const created = await cluster.client.create(makeJob('d', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })) as Json
      assert.equal(created.spec.podReplacementPolicy, 'Failed')
      assert.deepEqual(created.spec.podFailurePolicy.rules[0].onPodConditions, [{ type: 'DisruptionTarget', status: 'True' }])
      const plain = await cluster.client.create(makeJob('p')) as Json
      assert.equal(plain.spec.podReplacementPolicy, 'TerminatingOrFailed')
    })

    const refused: Array<{ name: string, spec: Json, restartPolicy?: string, message: string }> = [
      {
        name: 'restartPolicy OnFailure',
        spec: { podFailurePolicy: { rules: [onExit('FailJob', [1])] } },
        restartPolicy: 'OnFailure',
        message: 'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      },
      {
        name: 'a rule with neither or both requirements',
        spec: { podFailurePolicy: { rules: [{ action: 'Ignore' }, { ...onExit('Ignore', [1]), onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } },
        message: '[spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required, spec.podFailurePolicy.rules[1]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported]',
      },
      {
        name: 'exit codes: 0 with In, unordered, duplicated; an unknown container and action',
        spec: { podFailurePolicy: { rules: [{ action: 'Retry', onExitCodes: { containerName: 'nope', operator: 'In', values: [5, 0, 5] } }] } },
        message: '[spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore", ' +
          'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template, ' +
          'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator, ' +
          'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 5, ' +
          'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{5, 0, 5}: must be ordered]',
      },
      {
        name: 'a missing operator and an empty list',
        spec: { podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { values: [] } }] } },
        message: '[spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: ["In" "NotIn"], spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{}: at least one value is required]',
      },
      {
        name: 'a managedBy that is not a domain-prefixed path, or too long',
        spec: { managedBy: 'x'.repeat(64) },
        message: '[spec.managedBy: Invalid value: "' + 'x'.repeat(64) + '": must be a domain-prefixed path (such as "acme.io/foo"), spec.managedBy: Too long: may not be more than 63 bytes]',
      },
      {
        name: 'podReplacementPolicy TerminatingOrFailed with a policy',
        spec: { podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [onExit('FailJob', [1])] } },
        message: 'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
      },
    ]
    for (const c of refused) {
      it(`refuses ${c.name}`, async () => {
        const job = makeJob('bad', c.spec)
        if (c.restartPolicy !== undefined) job.spec.template.spec.restartPolicy = c.restartPolicy
        await assert.rejects(cluster.client.create(job), (err: Error & { status?: { code: number } }) => {
          assert.equal(err.status?.code, 422)
          assert.equal(err.message, `Job.batch "bad" is invalid: ${c.message}`)
          return true
        })
      })
    }
  })
})
