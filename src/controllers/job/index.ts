// The Job controller (kube-controller-manager's job-controller, v1.32): runs a Job's pods to
// completion. Pods carry the `batch.kubernetes.io/job-tracking` finalizer until counted in
// status (through status.uncountedTerminatedPods, as upstream); failures count against
// backoffLimit, and replacements wait a pod-failure back-off (10s doubling, max 6m) on the clock.
// Terminal conditions come in two steps as in v1.31+: SuccessCriteriaMet or FailureTarget first,
// then Complete or Failed once no pod is still running or terminating.
// Reads are fresh (client.get / client.list): the informers only drive the event table.
import { objectKey, type KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../types.ts'
import { removeFinalizer } from './pods.ts'
import { syncJob, type BackoffRecord } from './sync.ts'
import { TRACKING_FINALIZER, type Pod } from './status.ts'

/** The Job controller's own name: a Job whose spec.managedBy names another is left to it. */
const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller'

export interface JobControllerOptions {
  /** Upstream's --concurrent-job-syncs (default 5). */
  workers?: number
}

function ownerKey (event: InformerEvent): string[] {
  const ref = event.obj.metadata.ownerReferences?.find(r => r.controller === true && r.kind === 'Job' && r.apiVersion.startsWith('batch/'))
  return ref === undefined ? [] : [`${event.obj.metadata.namespace}/${ref.name}`]
}

export function jobController (options: JobControllerOptions = {}): ControllerDefinition {
  const backoff = new Map<string, BackoffRecord>()
  return {
    name: 'job-controller',
    workers: options.workers ?? 5,
    informers: {
      jobs: { apiVersion: 'batch/v1', kind: 'Job' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      { informer: 'jobs', on: ['add', 'update', 'delete'], keys: e => [objectKey(e.obj)] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: ownerKey },
    ],
    async sync (key, ctx) {
      const recorder = ctx.recorder('job-controller')
      const [namespace, name] = key.split('/')
      let job: KubeObject
      try {
        job = await ctx.client.get('batch/v1', 'Job', namespace, name)
      } catch (err) {
        if (!isStatusError(err, 404)) throw err
        await releaseOrphans(ctx, namespace, name)
        return
      }
      // A Job another controller manages (spec.managedBy, beta and on in v1.32) is left alone.
      const managedBy = (job.spec as { managedBy?: string } | undefined)?.managedBy
      if (managedBy !== undefined && managedBy !== null && managedBy !== JOB_CONTROLLER_NAME) return
      const uid = job.metadata.uid!
      for (const k of backoff.keys()) if (k.startsWith(`${key}/`) && k !== `${key}/${uid}`) backoff.delete(k)
      const recordKey = `${key}/${uid}`
      const record = backoff.get(recordKey) ?? { failures: 0, lastFailure: 0 }
      await syncJob({ ctx, recorder, job: job as never, record })
      backoff.set(recordKey, record)
    },
  }
}

/** Pods of a deleted Job keep no finalizer: the garbage collector must be able to remove them. */
async function releaseOrphans (ctx: ControllerContext, namespace: string, name: string): Promise<void> {
  const pods = await ctx.client.list<Pod>('v1', 'Pod', { namespace })
  for (const pod of pods.items) {
    const owned = pod.metadata.ownerReferences?.some(r => r.controller === true && r.kind === 'Job' && r.name === name)
    if (owned === true && pod.metadata.finalizers?.includes(TRACKING_FINALIZER) === true) await removeFinalizer(ctx.client, pod)
  }
}

export { TRACKING_FINALIZER, COMPLETION_INDEX, formatIndexes, parseIndexes, podFailureBackoff } from './status.ts'
