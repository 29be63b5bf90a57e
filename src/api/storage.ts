/** Storage names shared by admission, controllers and printers. Pure. */

/** The finalizers StorageObjectInUseProtection puts on claims and volumes (volumeutil). */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection'
export const PV_PROTECTION = 'kubernetes.io/pv-protection'

/** storageutil.IsDefaultAnnotation: the GA or beta is-default-class annotation equal to "true". */
export function isDefaultStorageClass (obj: { metadata?: { annotations?: Record<string, string> } }): boolean {
  const a = obj.metadata?.annotations ?? {}
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
}
