// The pod garbage collector's unscheduled-terminating pass (kube-controller-manager's
// pod-garbage-collector, gcUnscheduledTerminating): a pod deleted before any node took it never
// meets a kubelet, so nothing else ends it. When a finalizer (a Job's tracking finalizer) keeps
// it, PodGC marks it Failed and deletes it with grace 0, so its owner sees how it ended. Upstream
// finds these pods on a 20 s scan; here the pod's own events bring it at once.
import { objectKey, type KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { ControllerDefinition } from '../types.ts'

type Pod = KubeObject & { spec?: { nodeName?: string }, status?: { phase?: string } }

const unscheduledTerminating = (pod: Pod): boolean =>
  pod.metadata.deletionTimestamp !== undefined && (pod.spec?.nodeName ?? '') === ''

export function podGarbageCollector (): ControllerDefinition {
  return {
    name: 'pod-garbage-collector',
    informers: { pods: { apiVersion: 'v1', kind: 'Pod' } },
    events: [{ informer: 'pods', on: ['add', 'update'], keys: e => (unscheduledTerminating(e.obj as Pod) ? [objectKey(e.obj)] : []) }],
    async sync (key, ctx) {
      const pod = ctx.lister('pods').get(key) as Pod | undefined
      if (pod === undefined || !unscheduledTerminating(pod)) return
      const { namespace, name } = pod.metadata
      const phase = pod.status?.phase
      try {
        if (phase !== 'Failed' && phase !== 'Succeeded') {
          await ctx.client.patch('v1', 'Pod', namespace, name!, { status: { phase: 'Failed' } }, { type: 'merge', subresource: 'status', fieldManager: 'PodGC' })
        }
        await ctx.client.delete('v1', 'Pod', namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
      } catch (err) {
        if (isStatusError(err, 404) || isStatusError(err, 409)) return
        throw err
      }
    },
  }
}
