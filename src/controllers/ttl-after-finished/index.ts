// The TTL-after-finished controller (kube-controller-manager's ttl-after-finished-controller,
// v1.32): a Job with spec.ttlSecondsAfterFinished is deleted that many seconds after it
// finished, the finish being the lastTransitionTime of its Complete or Failed condition. The
// delete is Foreground (its pods go first) with the Job's uid as precondition, after a fresh
// read confirms the TTL (it may have been changed). A Job not yet expired is requeued for the
// moment it expires, on the cluster clock: a virtual clock's advance() cleans it up in order.
// No events, as upstream.
import { objectKey, type KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'

interface Condition { type: string, status: string, lastTransitionTime?: string }
type Job = KubeObject & { spec?: { ttlSecondsAfterFinished?: number }, status?: { conditions?: Condition[] } }

/** The Complete or Failed condition that is True, if the Job finished. */
function finished (job: Job): Condition | undefined {
  return job.status?.conditions?.find(c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
}

/** Upstream's needsCleanup: a TTL and finished (deleting Jobs are left alone). */
function needsCleanup (job: Job): boolean {
  return job.metadata.deletionTimestamp === undefined && typeof job.spec?.ttlSecondsAfterFinished === 'number' && finished(job) !== undefined
}

/** Milliseconds until the Job expires (<= 0: expired). */
function timeLeft (job: Job, now: number): number {
  const at = finished(job)!.lastTransitionTime
  const finishAt = at === undefined ? NaN : Date.parse(at)
  if (Number.isNaN(finishAt)) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`)
  return finishAt + job.spec!.ttlSecondsAfterFinished! * 1000 - now
}

export function ttlAfterFinishedController (): ControllerDefinition {
  /** Whether the Job expired; if not yet, its key is requeued for when it does. */
  const expired = (job: Job, ctx: ControllerContext): boolean => {
    if (!needsCleanup(job)) return false
    const left = timeLeft(job, ctx.clock.now())
    if (left <= 0) return true
    ctx.enqueueAfter(objectKey(job), left)
    return false
  }
  return {
    name: 'ttl-after-finished-controller',
    workers: 5,
    informers: { jobs: { apiVersion: 'batch/v1', kind: 'Job' } },
    events: [{ informer: 'jobs', on: ['add', 'update'], keys: e => (needsCleanup(e.obj as Job) ? [objectKey(e.obj)] : []) }],
    async sync (key, ctx) {
      const cached = ctx.lister('jobs').get(key) as Job | undefined
      if (cached === undefined || !expired(cached, ctx)) return
      // The cache may be stale (the TTL changed): decide again on a fresh read.
      const [namespace, name] = key.split('/')
      let fresh: Job
      try {
        fresh = await ctx.client.get('batch/v1', 'Job', namespace, name)
      } catch (err) {
        if (isStatusError(err, 404)) return
        throw err
      }
      if (!expired(fresh, ctx)) return
      try {
        await ctx.client.delete('batch/v1', 'Job', namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } })
      } catch (err) {
        // Gone, or a new Job of that name (uid precondition: 409): its own events bring it back.
        if (isStatusError(err, 404) || isStatusError(err, 409)) return
        throw err
      }
    },
  }
}
