/** The finalizers StorageObjectInUseProtection puts on claims and volumes (volumeutil). */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection'
export const PV_PROTECTION = 'kubernetes.io/pv-protection'
