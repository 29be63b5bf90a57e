// One Job's sync (upstream syncJob + trackJobStatusAndRemoveFinalizers + manageJob), simplified:
//  1. finished pods still holding the tracking finalizer go into status.uncountedTerminatedPods
//     (written first, so a failed finalizer removal cannot lose a count), lose the finalizer, and
//     are then moved into succeeded/failed (and completedIndexes);
//  2. the terminal decision: BackoffLimitExceeded, DeadlineExceeded or success criteria met;
//  3. otherwise pods are created or deleted towards wantActive, after the failure back-off.
import { clone, rfc3339 } from '../../api/object.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import { createPod, deletePod, listJobPods, removeFinalizer } from './pods.ts'
import { failJobMessage, matchPodFailurePolicy, onlyReplaceFailedPods } from './failure-policy.ts'
import {
  COMPLETIONS_REACHED, FAILED_MESSAGES, TRACKING_FINALIZER, condition, formatIndexes, hasCondition, isFinished, isReady,
  parseIndexes, pastBackoffLimitOnFailure, pendingIndexes, podFailureBackoff, podIndex, podOutcome, setCondition,
  successCriteriaMet, wantActive, type Job, type JobStatus, type Pod,
} from './status.ts'

/** Consecutive pod failures since the last success, kept in memory as upstream's backoff store. */
export interface BackoffRecord { failures: number, lastFailure: number }

export interface SyncJobInput { ctx: ControllerContext, recorder: EventRecorder, job: Job, record: BackoffRecord }

export async function syncJob ({ ctx, recorder, job, record }: SyncJobInput): Promise<void> {
  const { client, clock } = ctx
  const now = clock.now()
  const nowText = rfc3339(now)
  const status: JobStatus = clone(job.status ?? {})
  let pods = await listJobPods(client, job)

  // 1. Count finished pods through uncountedTerminatedPods.
  const tracked = pods.filter(p => podOutcome(p, job) !== undefined && p.metadata.finalizers?.includes(TRACKING_FINALIZER) === true)
  const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) }
  // A failure the podFailurePolicy ignores is not counted (its finalizer still goes).
  const fresh = tracked.filter(p => !uncounted.succeeded.has(p.metadata.uid!) && !uncounted.failed.has(p.metadata.uid!) &&
    (podOutcome(p, job) === 'succeeded' || matchPodFailurePolicy(job, p).count))
  for (const p of fresh) uncounted[podOutcome(p, job)!].add(p.metadata.uid!)
  if (fresh.length > 0) {
    status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] }
    job = await writeStatus(ctx, job, status)
  }
  for (const p of tracked) await removeFinalizer(client, p)
  const completed = parseIndexes(status.completedIndexes)
  const byUid = new Map(pods.map(p => [p.metadata.uid!, p]))
  for (const uid of uncounted.succeeded) {
    const index = byUid.get(uid) === undefined ? undefined : podIndex(byUid.get(uid)!)
    if (index !== undefined) completed.add(index)
  }
  const newFailed = uncounted.failed.size
  const newSucceeded = uncounted.succeeded.size
  if (newFailed > 0) { record.failures += newFailed; record.lastFailure = now } else if (newSucceeded > 0) record.failures = 0
  status.failed = (status.failed ?? 0) + newFailed
  if (job.spec.completionMode === 'Indexed') {
    const completions = job.spec.completions ?? 0
    for (const i of [...completed]) if (i >= completions) completed.delete(i)
    status.completedIndexes = formatIndexes(completed)
    status.succeeded = completed.size
  } else {
    status.succeeded = (status.succeeded ?? 0) + newSucceeded
  }
  status.uncountedTerminatedPods = {}

  let active = pods.filter(p => podOutcome(p, job) === undefined && p.metadata.deletionTimestamp === undefined)
  const terminatingPod = (p: Pod): boolean => p.metadata.deletionTimestamp !== undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'
  const terminating = (): number => pods.filter(terminatingPod).length
  // Pods being deleted that are replaced only once they have failed still hold their place.
  const replacing = (): number => (onlyReplaceFailedPods(job) ? terminating() : 0)

  // Already finished: only make sure nothing runs.
  if (isFinished(job)) {
    for (const p of active) await deletePod(client, p)
    status.active = 0
    await writeStatus(ctx, job, status)
    return
  }

  // 2. Suspend and resume.
  const suspended = job.spec.suspend === true
  const wasSuspended = hasCondition(job, 'Suspended') !== undefined
  if (suspended && !wasSuspended) {
    status.conditions = setCondition(status.conditions, condition('Suspended', 'JobSuspended', 'Job suspended', nowText))
    await recorder.record(job, { type: 'Normal', reason: 'Suspended', message: 'Job suspended' })
  } else if (!suspended && wasSuspended) {
    status.conditions = setCondition(status.conditions, { ...condition('Suspended', 'JobResumed', 'Job resumed', nowText), status: 'False' })
    // Resuming restarts the activeDeadlineSeconds clock, as upstream.
    status.startTime = nowText
    await recorder.record(job, { type: 'Normal', reason: 'Resumed', message: 'Job resumed' })
  }
  if (status.startTime === undefined && !suspended) status.startTime = nowText

  // 3. The terminal decision.
  const interim = hasCondition(job, 'FailureTarget') ?? hasCondition(job, 'SuccessCriteriaMet')
  let target = interim
  if (target === undefined) {
    const limit = job.spec.backoffLimit ?? 6
    const deadline = job.spec.activeDeadlineSeconds
    const started = status.startTime === undefined ? undefined : Date.parse(status.startTime)
    const failJob = failJobMessage(job, pods)
    if (failJob !== undefined) {
      target = condition('FailureTarget', 'PodFailurePolicy', failJob, nowText)
    } else if ((status.failed ?? 0) > limit || pastBackoffLimitOnFailure(job, active)) {
      target = condition('FailureTarget', 'BackoffLimitExceeded', FAILED_MESSAGES.BackoffLimitExceeded, nowText)
    } else if (deadline !== undefined && started !== undefined && !suspended && now >= started + deadline * 1000) {
      target = condition('FailureTarget', 'DeadlineExceeded', FAILED_MESSAGES.DeadlineExceeded, nowText)
    } else if (successCriteriaMet(job, status.succeeded ?? 0, completed, active.length)) {
      target = condition('SuccessCriteriaMet', 'CompletionsReached', COMPLETIONS_REACHED, nowText)
    } else if (deadline !== undefined && started !== undefined && !suspended) {
      ctx.enqueueAfter(`${job.metadata.namespace}/${job.metadata.name}`, started + deadline * 1000 - now)
    }
    if (target !== undefined) status.conditions = setCondition(status.conditions, target)
  }
  if (target !== undefined) {
    for (const p of active) await deletePod(client, p)
    if (active.length > 0) pods = await listJobPods(client, job)
    active = []
    status.active = 0
    status.ready = 0
    status.terminating = terminating()
    if (status.terminating === 0) {
      if (target.type === 'SuccessCriteriaMet') {
        status.conditions = setCondition(status.conditions, condition('Complete', target.reason!, target.message!, nowText))
        status.completionTime = nowText
        await writeStatus(ctx, job, status)
        await recorder.record(job, { type: 'Normal', reason: 'Completed', message: 'Job completed' })
      } else {
        status.conditions = setCondition(status.conditions, condition('Failed', target.reason!, target.message!, nowText))
        await writeStatus(ctx, job, status)
        await recorder.record(job, { type: 'Warning', reason: target.reason!, message: target.message! })
      }
      return
    }
    await writeStatus(ctx, job, status)
    return
  }

  // 4. Converge the active pods.
  const want = wantActive(job, status.succeeded ?? 0, active.length)
  if (active.length > want) {
    // Upstream deletes not-ready pods first, then the newest.
    const victims = [...active].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) ||
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, active.length - want)
    for (const p of victims) {
      await deletePod(client, p)
      await recorder.record(job, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` })
    }
    active = active.filter(p => !victims.includes(p))
  } else if (active.length + replacing() < want) {
    const wait = record.lastFailure + podFailureBackoff(record.failures) - now
    if (wait > 0) {
      ctx.enqueueAfter(`${job.metadata.namespace}/${job.metadata.name}`, wait)
    } else {
      const missing = want - active.length - replacing()
      const indexed = job.spec.completionMode === 'Indexed'
      const indexes: Array<number | undefined> = indexed
        // A terminating pod holds its index only when it is replaced once failed (upstream's
        // firstPendingIndexes with onlyReplaceFailedPods).
        ? pendingIndexes(job.spec.completions ?? 0, completed, onlyReplaceFailedPods(job) ? [...active, ...pods.filter(terminatingPod)] : active).slice(0, missing)
        : Array.from({ length: missing }, () => undefined)
      for (const index of indexes) {
        const pod = await createPod(client, job, index) as Pod
        active.push(pod)
        await recorder.record(job, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` })
      }
    }
  }
  status.active = active.length
  status.ready = active.filter(isReady).length
  status.terminating = terminating()
  await writeStatus(ctx, job, status)
}

/** Write status if it changed (zero counts omitted as upstream's omitempty); returns the Job as written. */
async function writeStatus (ctx: ControllerContext, job: Job, status: JobStatus): Promise<Job> {
  const next: JobStatus = { ...status }
  for (const k of ['active', 'succeeded', 'failed'] as const) if (next[k] === 0) delete next[k]
  if (next.completedIndexes === '') delete next.completedIndexes
  next.ready ??= 0
  next.terminating ??= 0
  next.uncountedTerminatedPods ??= {}
  if (JSON.stringify(next) === JSON.stringify(job.status ?? {})) return job
  const { resourceVersion: _rv, ...metadata } = job.metadata
  return await ctx.client.update<Job>({ ...job, metadata, status: next }, { subresource: 'status' })
}
