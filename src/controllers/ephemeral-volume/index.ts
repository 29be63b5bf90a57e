// kube-controller-manager's ephemeral-volume controller (v1.32), keyed by "<namespace>/<pod>":
// for each generic ephemeral volume of a pod not being deleted, the claim `<pod>-<volume>` is
// created from the volume's claim template, owned by the pod (controller, blockOwnerDeletion) so
// the garbage collector removes it with the pod. A claim of that name the pod does not own is a
// `FailedBinding` event: the scheduler keeps the pod pending with the same reason.
import { ephemeralClaimMismatch, podClaims } from '../../api/pod-volumes.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { ControllerDefinition } from '../types.ts'

type Json = Record<string, any>

const hasEphemeral = (pod: KubeObject): boolean => podClaims(pod).some(c => c.ephemeral)

export function ephemeralVolumeController (): ControllerDefinition {
  return {
    name: 'ephemeral-volume-controller',
    informers: {
      pods: { apiVersion: 'v1', kind: 'Pod' },
      claims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    },
    events: [
      { informer: 'pods', on: ['add', 'update'], keys: ({ obj }) => (hasEphemeral(obj) ? [`${obj.metadata.namespace}/${obj.metadata.name}`] : []) },
      // A claim deleted under a pod that still needs it is made again (upstream: the owner's key).
      {
        informer: 'claims',
        on: ['delete'],
        keys: ({ obj }) => (obj.metadata.ownerReferences ?? []).filter(r => r.kind === 'Pod' && r.controller === true).map(r => `${obj.metadata.namespace}/${r.name}`),
      },
    ],
    async sync (key, ctx) {
      const pod = ctx.lister('pods').get(key)
      if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return
      const volumes = ((pod as Json).spec?.volumes ?? []) as Json[]
      for (const c of podClaims(pod)) {
        if (!c.ephemeral) continue
        const existing = ctx.lister('claims').get(`${pod.metadata.namespace}/${c.claim}`)
        const problem = existing === undefined ? undefined : ephemeralClaimMismatch(pod, existing)
        if (existing !== undefined && problem === undefined) continue
        try {
          if (problem !== undefined) throw new Error(problem)
          const template: Json = volumes.find(v => v?.name === c.volume)?.ephemeral?.volumeClaimTemplate ?? {}
          await ctx.client.create({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {
              name: c.claim,
              namespace: pod.metadata.namespace,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true }],
              ...(template.metadata?.labels === undefined ? {} : { labels: template.metadata.labels }),
              ...(template.metadata?.annotations === undefined ? {} : { annotations: template.metadata.annotations }),
            },
            spec: template.spec ?? {},
          } as KubeObject)
        } catch (err) {
          // Our cache was behind: the claim's own event brings the key back.
          if (isStatusError(err, 409) && problem === undefined) continue
          const message = problem ?? (isStatusError(err) ? `create PVC ${c.claim}: ${err.message}` : String((err as Error).message))
          await ctx.recorder('ephemeral_volume').record(pod, { type: 'Warning', reason: 'FailedBinding', message: `ephemeral volume ${c.volume}: ${message}` })
          if (problem !== undefined) return
          throw err
        }
      }
    },
  }
}
