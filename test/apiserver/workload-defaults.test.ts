// SetDefaults_Deployment, _DaemonSet and _StatefulSet (pkg/apis/apps/v1/defaults.go) on create,
// through the in-process Client: an empty strategy gets its type and rolling-update parameters,
// a partial one is completed field by field, and OnDelete/Recreate stay as given.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

type Json = Record<string, any>

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }
const workload = (kind: string, name: string, extra: Json): Json => ({
  apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'x' } }, template, ...extra },
})

const cases: Array<{ name: string, kind: string, field: string, given: Json, stored: Json }> = [
  { name: 'a Deployment with strategy {} (kubectl create deployment) rolls 25%/25%', kind: 'Deployment', field: 'strategy', given: {}, stored: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
  { name: 'a Deployment without a strategy rolls 25%/25%', kind: 'Deployment', field: 'strategy', given: undefined as any, stored: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
  { name: 'a Deployment\'s rollingUpdate is completed field by field', kind: 'Deployment', field: 'strategy', given: { rollingUpdate: { maxSurge: 2 } }, stored: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 2 } } },
  { name: 'a Recreate Deployment gets no rollingUpdate', kind: 'Deployment', field: 'strategy', given: { type: 'Recreate' }, stored: { type: 'Recreate' } },
  { name: 'a DaemonSet with updateStrategy {} rolls one at a time without surge', kind: 'DaemonSet', field: 'updateStrategy', given: {}, stored: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
  { name: 'a DaemonSet of type RollingUpdate gets both parameters', kind: 'DaemonSet', field: 'updateStrategy', given: { type: 'RollingUpdate' }, stored: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
  { name: 'an OnDelete DaemonSet gets no rollingUpdate', kind: 'DaemonSet', field: 'updateStrategy', given: { type: 'OnDelete' }, stored: { type: 'OnDelete' } },
  { name: 'a StatefulSet with updateStrategy {} rolls from partition 0', kind: 'StatefulSet', field: 'updateStrategy', given: {}, stored: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
  { name: 'a StatefulSet of type RollingUpdate without rollingUpdate is left without one, as upstream', kind: 'StatefulSet', field: 'updateStrategy', given: { type: 'RollingUpdate' }, stored: { type: 'RollingUpdate' } },
  { name: 'a StatefulSet\'s empty rollingUpdate gets partition 0', kind: 'StatefulSet', field: 'updateStrategy', given: { type: 'RollingUpdate', rollingUpdate: {} }, stored: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
]

describe('apps/v1 and batch/v1 strategy defaults', () => {
  let backend: MemoryBackend
  let client: InProcessClient
  before(async () => {
    const clock = new VirtualClock()
    backend = new MemoryBackend({ clock })
    const core = new ApiServerCore({ backend, clock, ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await createDefaultServiceAccounts(client)
  })
  after(() => backend.close())

  cases.forEach((c, i) => {
    it(c.name, async () => {
      const extra = c.given === undefined ? {} : { [c.field]: c.given }
      const created = await client.create<any>(workload(c.kind, `w${i}`, extra) as any)
      assert.deepEqual(created.spec[c.field], c.stored)
    })
  })

  it('batch/v1: a Job without labels takes its template\'s; backoffLimit 6, or MaxInt32 with backoffLimitPerIndex', async () => {
    const job = (name: string, extra: Json, labels?: Json): any => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', ...(labels === undefined ? {} : { labels }) }, spec: { template: { metadata: { labels: { app: 'batch' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...extra } })
    const plain = await client.create<any>(job('j1', {}))
    assert.deepEqual(plain.metadata.labels, { app: 'batch' })
    assert.equal(plain.spec.backoffLimit, 6)
    const own = await client.create<any>(job('j2', {}, { team: 'a' }))
    assert.deepEqual(own.metadata.labels, { team: 'a' })
    const perIndex = await client.create<any>(job('j3', { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 }))
    assert.equal(perIndex.spec.backoffLimit, 2147483647)
  })

  it('batch/v1: a CronJob\'s jobTemplate keeps its own fields undefaulted (only the pod template is)', async () => {
    const cj = await client.create<any>({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'default' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } })
    assert.deepEqual(Object.keys(cj.spec.jobTemplate.spec), ['template'])
    assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst')
    assert.deepEqual([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1])
  })

  it('a StatefulSet\'s partial persistentVolumeClaimRetentionPolicy is completed', async () => {
    const created = await client.create<any>(workload('StatefulSet', 'pvc', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } }) as any)
    assert.deepEqual(created.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' })
  })
})
