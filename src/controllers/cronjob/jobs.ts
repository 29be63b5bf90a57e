// The CronJob controller's view of Jobs: building one from the jobTemplate (upstream
// getJobFromTemplate2), whether one has finished, and the history cleanup.
import { clone, type KubeObject } from '../../api/object.ts'
import { zoneOffsetMinutes } from './schedule.ts'

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp'

export interface CronJob extends KubeObject {
  spec: {
    schedule: string
    timeZone?: string
    startingDeadlineSeconds?: number
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace'
    suspend?: boolean
    successfulJobsHistoryLimit?: number
    failedJobsHistoryLimit?: number
    jobTemplate: { metadata?: KubeObject['metadata'], spec: Record<string, unknown> }
  }
  status?: { active?: ObjectRef[], lastScheduleTime?: string, lastSuccessfulTime?: string }
}

export interface ObjectRef { apiVersion: string, kind: string, name: string, namespace: string, uid: string, resourceVersion?: string }

export interface BatchJob extends KubeObject {
  status?: { conditions?: Array<{ type: string, status: string }>, completionTime?: string, startTime?: string }
}

/** `<cronjob>-<minutes since the epoch of the scheduled time>`, as upstream's getJobName. */
export function jobName (cronJob: CronJob, scheduled: number): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduled / 60_000)}`
}

/** RFC 3339 in the schedule's zone: 2025-01-01T09:00:00+09:00 (UTC prints Z, as Go's time.Format). */
export function formatInZone (ms: number, zone: string): string {
  const offset = zoneOffsetMinutes(ms, zone)
  const local = new Date(ms + offset * 60_000).toISOString().replace(/\.\d{3}Z$/, '')
  if (offset === 0) return `${local}Z`
  const sign = offset > 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

export function jobFromTemplate (cronJob: CronJob, scheduled: number, zone: string): KubeObject {
  const template = clone(cronJob.spec.jobTemplate)
  const meta = template.metadata ?? {}
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cronJob, scheduled),
      namespace: cronJob.metadata.namespace,
      labels: { ...meta.labels },
      annotations: { ...meta.annotations, [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, zone) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name!, uid: cronJob.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  }
}

/** 'Complete' or 'Failed' once the Job has finished, else undefined (upstream IsJobFinished). */
export function finishedType (job: BatchJob): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find(x => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True')
  return c?.type as 'Complete' | 'Failed' | undefined
}

export function ref (job: KubeObject): ObjectRef {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, namespace: job.metadata.namespace!, uid: job.metadata.uid!, resourceVersion: job.metadata.resourceVersion }
}

/** Finished Jobs of one outcome beyond `limit`, oldest first (by start time, then name). */
export function beyondLimit (jobs: readonly BatchJob[], limit: number | undefined): BatchJob[] {
  if (limit === undefined || jobs.length <= limit) return []
  const sorted = [...jobs].sort((a, b) =>
    (a.status?.startTime ?? a.metadata.creationTimestamp ?? '').localeCompare(b.status?.startTime ?? b.metadata.creationTimestamp ?? '') ||
    a.metadata.name!.localeCompare(b.metadata.name!, 'en', { numeric: true }))
  return sorted.slice(0, sorted.length - limit)
}
