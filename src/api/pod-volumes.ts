/**
 * The claims a pod's volumes use (k8s.io/component-helpers/storage/ephemeral, v1.32): a
 * persistentVolumeClaim volume names its claim; a generic ephemeral volume's claim is
 * `<pod>-<volume>`, made for the pod by the ephemeral-volume controller and owned by it. Pure.
 */
import type { KubeObject } from './object.ts'

type Json = Record<string, any>

export interface PodClaim {
  /** The pod's volume. */
  volume: string
  claim: string
  ephemeral: boolean
}

export function podClaims (pod: KubeObject): PodClaim[] {
  const out: PodClaim[] = []
  for (const v of ((pod as Json).spec?.volumes ?? []) as Json[]) {
    if (v === null || typeof v !== 'object') continue
    if (typeof v.persistentVolumeClaim?.claimName === 'string') out.push({ volume: v.name, claim: v.persistentVolumeClaim.claimName, ephemeral: false })
    else if (v.ephemeral !== undefined && v.ephemeral !== null) out.push({ volume: v.name, claim: `${pod.metadata.name}-${v.name}`, ephemeral: true })
  }
  return out
}

/** VolumeIsForPod: why an ephemeral volume's claim is not the pod's own (undefined: it is). */
export function ephemeralClaimMismatch (pod: KubeObject, pvc: KubeObject): string | undefined {
  const owner = pvc.metadata.ownerReferences?.find(r => r.controller === true)
  if (owner?.uid === pod.metadata.uid) return undefined
  return `PVC ${pvc.metadata.namespace}/${pvc.metadata.name} was not created for pod ${pod.metadata.namespace}/${pod.metadata.name} (pod is not owner)`
}
