// kube-controller-manager's pvc-protection and pv-protection controllers (v1.32): the finalizers
// StorageObjectInUseProtection admission puts on every claim and volume are removed only when
// nothing uses them any more — a deleted claim stays Terminating while a scheduled pod still
// names it, a deleted volume while it is Bound — and put back on those that lack them.
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'

import { PV_PROTECTION, PVC_PROTECTION } from '../../api/storage.ts'
import { podClaims } from '../../api/pod-volumes.ts'

type Json = Record<string, any>

const hasFinalizer = (o: KubeObject, f: string): boolean => (o.metadata.finalizers ?? []).includes(f)
const deleting = (o: KubeObject): boolean => o.metadata.deletionTimestamp !== undefined

/** The pod's terminal phase (podIsShutDown). */
const shutDown = (pod: Json): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'

/** podUsesPVC: only scheduled pods count (the kubelet will not start one whose claim is being deleted). */
function podUses (pod: Json, claim: string): boolean {
  if ((pod.spec?.nodeName ?? '') === '') return false
  return podClaims(pod as KubeObject).some(c => c.claim === claim && (!c.ephemeral || !shutDown(pod)))
}

/** Add or remove a finalizer on the stored object; a 409 (our cache was behind) retries the key, a 404 ends it. */
async function setFinalizer (ctx: ControllerContext, o: KubeObject, finalizer: string, present: boolean): Promise<void> {
  const current = await ctx.client.get(o.apiVersion!, o.kind!, o.metadata.namespace, o.metadata.name!)
  const finalizers = (current.metadata.finalizers ?? []).filter(f => f !== finalizer)
  if (present) finalizers.push(finalizer)
  await ctx.client.update({ ...current, metadata: { ...current.metadata, finalizers } })
}

export function pvcProtectionController (): ControllerDefinition {
  return {
    name: 'pvc-protection-controller',
    informers: {
      claims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      {
        informer: 'claims',
        on: ['add', 'update'],
        keys: ({ obj }) => (deleting(obj) || !hasFinalizer(obj, PVC_PROTECTION) ? [`${obj.metadata.namespace}/${obj.metadata.name}`] : []),
      },
      // A pod going away, finishing or being scheduled can free (or hold) the claims it names.
      { informer: 'pods', on: ['update', 'delete'], keys: ({ obj }) => podClaims(obj).map(c => `${obj.metadata.namespace}/${c.claim}`) },
    ],
    async sync (key, ctx) {
      const claim = ctx.lister('claims').get(key)
      if (claim === undefined) return
      if (!deleting(claim)) {
        if (!hasFinalizer(claim, PVC_PROTECTION)) await setFinalizer(ctx, claim, PVC_PROTECTION, true)
        return
      }
      if (!hasFinalizer(claim, PVC_PROTECTION)) return
      const name = claim.metadata.name!
      if (ctx.lister('pods').inNamespace(claim.metadata.namespace!).some(p => podUses(p as Json, name))) return
      // isBeingUsed asks the API server too: a pod created after the informer's last event still counts.
      const live = await ctx.client.list('v1', 'Pod', { namespace: claim.metadata.namespace })
      if (live.items.some(p => podUses(p as Json, name))) return
      await setFinalizer(ctx, claim, PVC_PROTECTION, false).catch(err => { if (!isStatusError(err, 404)) throw err })
    },
  }
}

export function pvProtectionController (): ControllerDefinition {
  return {
    name: 'pv-protection-controller',
    informers: { volumes: { apiVersion: 'v1', kind: 'PersistentVolume' } },
    events: [{
      informer: 'volumes',
      on: ['add', 'update'],
      keys: ({ obj }) => (deleting(obj) || !hasFinalizer(obj, PV_PROTECTION) ? [obj.metadata.name!] : []),
    }],
    async sync (key, ctx) {
      const pv = ctx.lister('volumes').get(key)
      if (pv === undefined) return
      if (!deleting(pv)) {
        if (!hasFinalizer(pv, PV_PROTECTION)) await setFinalizer(ctx, pv, PV_PROTECTION, true)
        return
      }
      // isBeingUsed: a volume is in use while Bound.
      if (!hasFinalizer(pv, PV_PROTECTION) || (pv as Json).status?.phase === 'Bound') return
      await setFinalizer(ctx, pv, PV_PROTECTION, false).catch(err => { if (!isStatusError(err, 404)) throw err })
    },
  }
}
