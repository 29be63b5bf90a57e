// The CronJob controller (kube-controller-manager's cronjob-controller, the v2 controller of
// v1.32): at each scheduled time create a Job named `<cronjob>-<minutes since epoch>`, honour
// concurrencyPolicy, startingDeadlineSeconds and suspend, keep status.active /
// lastScheduleTime / lastSuccessfulTime, and trim finished Jobs to the history limits.
// Each sync requeues itself at the next scheduled time on the cluster clock, so a virtual
// clock's advance('1d') runs a day of schedules in order. Reads are fresh (client.get/list).
import { objectKey, rfc3339, type KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import { EventRecorder } from '../../client/events.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../types.ts'
import { beyondLimit, finishedType, jobFromTemplate, jobName, ref, type BatchJob, type CronJob, type ObjectRef } from './jobs.ts'
import { parseSchedule, type Schedule } from './schedule.ts'

export interface CronJobControllerOptions {
  /** Upstream's --concurrent-cron-job-syncs (default 5). */
  workers?: number
}

/** Upstream gives up counting missed schedules past 100 and says so with an event. */
const TOO_MANY_MISSED = 100

function ownerKey (event: InformerEvent): string[] {
  const r = event.obj.metadata.ownerReferences?.find(o => o.controller === true && o.kind === 'CronJob')
  return r === undefined ? [] : [`${event.obj.metadata.namespace}/${r.name}`]
}

export function cronJobController (options: CronJobControllerOptions = {}): ControllerDefinition {
  return {
    name: 'cronjob-controller',
    workers: options.workers ?? 5,
    informers: {
      cronjobs: { apiVersion: 'batch/v1', kind: 'CronJob' },
      jobs: { apiVersion: 'batch/v1', kind: 'Job' },
    },
    events: [
      { informer: 'cronjobs', on: ['add', 'update'], keys: e => [objectKey(e.obj)] },
      { informer: 'jobs', on: ['add', 'update', 'delete'], keys: ownerKey },
    ],
    async sync (key, ctx) {
      const recorder = ctx.recorder('cronjob-controller')
      const [namespace, name] = key.split('/')
      const cronJob = await ctx.client.get<CronJob>('batch/v1', 'CronJob', namespace, name)
      await syncCronJob(ctx, recorder, key, cronJob)
    },
  }
}

async function syncCronJob (ctx: ControllerContext, recorder: EventRecorder, key: string, cj: CronJob): Promise<void> {
  const { client } = ctx
  const now = ctx.clock.now()
  const all = (await client.list<BatchJob>('batch/v1', 'Job', { namespace: cj.metadata.namespace })).items
  const jobs = all.filter(j => j.metadata.ownerReferences?.some(r => r.controller === true && r.uid === cj.metadata.uid))
  const status: ScheduleInput['status'] = { ...cj.status, active: [] }
  const before = JSON.stringify(cj.status ?? {})
  const event = (type: 'Normal' | 'Warning', reason: string, message: string): Promise<unknown> => recorder.record(cj, { type, reason, message })

  // Reconcile status.active with the Jobs that exist.
  let active: ObjectRef[] = [...(cj.status?.active ?? [])]
  const byUid = new Map(jobs.map(j => [j.metadata.uid!, j]))
  for (const j of jobs) {
    const finished = finishedType(j)
    const listed = active.some(a => a.uid === j.metadata.uid)
    if (finished === undefined && !listed) {
      active.push(ref(j))
      await event('Normal', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`)
    } else if (finished !== undefined && listed) {
      active = active.filter(a => a.uid !== j.metadata.uid)
      await event('Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`)
    }
    if (finished === 'Complete' && j.status?.completionTime !== undefined &&
      (status.lastSuccessfulTime === undefined || j.status.completionTime > status.lastSuccessfulTime)) {
      status.lastSuccessfulTime = j.status.completionTime
    }
  }
  for (const a of active.filter(x => !byUid.has(x.uid))) {
    await event('Normal', 'MissingJob', `Active job went missing: ${a.name}`)
  }
  active = active.filter(a => byUid.has(a.uid))
  status.active = active

  if (cj.metadata.deletionTimestamp === undefined) await schedule(ctx, cj, { status, active, jobs, now, event, key })
  const written: CronJob['status'] = { ...status }
  if (status.active.length === 0) delete written.active
  if (JSON.stringify(written) !== before) {
    const { resourceVersion: _rv, ...metadata } = cj.metadata
    await client.update({ ...cj, metadata, status: written } as KubeObject, { subresource: 'status' })
  }
  await cleanupFinished(ctx, cj, jobs, event)
}

interface ScheduleInput {
  status: NonNullable<CronJob['status']> & { active: ObjectRef[] }
  active: ObjectRef[]
  jobs: BatchJob[]
  now: number
  key: string
  event: (type: 'Normal' | 'Warning', reason: string, message: string) => Promise<unknown>
}

async function schedule (ctx: ControllerContext, cj: CronJob, { status, active, jobs, now, key, event }: ScheduleInput): Promise<void> {
  let sched: Schedule
  try {
    sched = parseSchedule(cj.spec.schedule, cj.spec.timeZone)
  } catch (err) {
    const msg = (err as Error).message
    if (msg.startsWith('unknown time zone')) await event('Warning', 'UnknownTimeZone', `invalid timeZone: "${cj.spec.timeZone ?? cj.spec.schedule}": ${msg}`)
    else await event('Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${msg}`)
    return // not requeued: only a spec change can fix it
  }
  if (cj.spec.suspend === true) return
  const requeue = (): void => {
    const next = sched.next(now)
    if (next !== undefined) ctx.enqueueAfter(key, next - now)
  }

  // The most recent scheduled time in (earliest, now].
  const sds = cj.spec.startingDeadlineSeconds
  let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp!)
  if (sds !== undefined) earliest = Math.max(earliest, now - sds * 1000)
  let scheduled: number | undefined
  let missed = 0
  for (let t = sched.next(earliest); t !== undefined && t <= now; t = sched.next(t)) { scheduled = t; missed++ }
  if (missed > TOO_MANY_MISSED) {
    await event('Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`)
  }
  if (scheduled === undefined) { requeue(); return }
  if (sds !== undefined && scheduled + sds * 1000 < now) {
    await event('Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace("GMT", "+0000")}`)
    requeue()
    return
  }
  const name = jobName(cj, scheduled)
  if (jobs.some(j => j.metadata.name === name)) { requeue(); return }
  const policy = cj.spec.concurrencyPolicy ?? 'Allow'
  if (policy === 'Forbid' && active.length > 0) {
    await event('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid')
    requeue()
    return
  }
  if (policy === 'Replace') {
    for (const a of [...active]) {
      await ctx.client.delete('batch/v1', 'Job', a.namespace, a.name, { propagationPolicy: 'Background' })
        .catch(err => { if (!isStatusError(err, 404)) throw err })
      await event('Normal', 'SuccessfulDelete', `Deleted job ${a.name}`)
      status.active = status.active.filter(x => x.uid !== a.uid)
    }
  }
  try {
    const created = await ctx.client.create(jobFromTemplate(cj, scheduled, sched.timeZone))
    await event('Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`)
    status.active = [...status.active, ref(created)]
  } catch (err) {
    if (!isStatusError(err, 409)) throw err
  }
  status.lastScheduleTime = rfc3339(scheduled)
  requeue()
}

/** Upstream cleanupFinishedJobs: delete the oldest finished Jobs beyond each history limit. */
async function cleanupFinished (ctx: ControllerContext, cj: CronJob, jobs: BatchJob[], event: ScheduleInput['event']): Promise<void> {
  const victims = [
    ...beyondLimit(jobs.filter(j => finishedType(j) === 'Complete'), cj.spec.successfulJobsHistoryLimit),
    ...beyondLimit(jobs.filter(j => finishedType(j) === 'Failed'), cj.spec.failedJobsHistoryLimit),
  ]
  for (const j of victims) {
    if (j.metadata.deletionTimestamp !== undefined) continue
    try {
      await ctx.client.delete('batch/v1', 'Job', j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' })
    } catch (err) {
      if (isStatusError(err, 404)) continue
      throw err
    }
    await event('Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`)
  }
}

export { parseSchedule, type Schedule } from './schedule.ts'
export { SCHEDULED_TIMESTAMP, jobName } from './jobs.ts'
