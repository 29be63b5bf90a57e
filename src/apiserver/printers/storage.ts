// Storage printers: core/v1 persistentvolumes and persistentvolumeclaims, storage.k8s.io
// storageclasses, csidrivers, csinodes, csistoragecapacities, volumeattachments. Quantities
// print as stored.
import { isDefaultStorageClass } from '../../api/storage.ts'
import { type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { quantityOrZero } from './format.ts'
import { translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)
const deleted = (obj: any): boolean => obj.metadata?.deletionTimestamp != null
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class'

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, de-duplicated. */
export function accessModes (modes: string[] | undefined): string {
  const set = new Set(modes ?? [])
  const out: string[] = []
  if (set.has('ReadWriteOnce')) out.push('RWO')
  if (set.has('ReadOnlyMany')) out.push('ROX')
  if (set.has('ReadWriteMany')) out.push('RWX')
  if (set.has('ReadWriteOncePod')) out.push('RWOP')
  return out.join(',')
}

/** The beta annotation wins over spec.storageClassName (GetPersistentVolume[Claim]Class). */
function storageClass (obj: any): string {
  const annotations = obj.metadata?.annotations ?? {}
  if (BETA_CLASS in annotations) return annotations[BETA_CLASS]
  return obj.spec?.storageClassName ?? ''
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    column('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn,
    wide('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.')
  ],
  // v1 defaulting: reclaim policy Retain, phase Pending, volumeMode Filesystem.
  row: (obj, now) => {
    const spec = obj.spec ?? {}
    const claim = spec.claimRef != null ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''
    return [
      name(obj), quantityOrZero(spec.capacity?.storage), accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? 'Retain', deleted(obj) ? 'Terminating' : (obj.status?.phase ?? 'Pending'),
      claim, storageClass(obj), spec.volumeAttributesClassName ?? '<unset>', obj.status?.reason ?? '', age(obj, now),
      spec.volumeMode ?? 'Filesystem'
    ]
  }
}

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.')
  ],
  // Capacity and access modes show only once bound (spec.volumeName set).
  row: (obj, now) => {
    const spec = obj.spec ?? {}
    const bound = Boolean(spec.volumeName)
    const annotations = obj.metadata?.annotations ?? {}
    const cls = BETA_CLASS in annotations ? annotations[BETA_CLASS] : (spec.storageClassName ?? '')
    return [
      name(obj), deleted(obj) ? 'Terminating' : (obj.status?.phase ?? 'Pending'), spec.volumeName ?? '',
      bound ? quantityOrZero(obj.status?.capacity?.storage) : '', bound ? accessModes(obj.status?.accessModes) : '',
      cls, spec.volumeAttributesClassName ?? '<unset>', age(obj, now), spec.volumeMode ?? 'Filesystem'
    ]
  }
}


export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    column('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn
  ],
  row: (obj, now) => [
    isDefaultStorageClass(obj) ? `${name(obj)} (default)` : name(obj), obj.provisioner ?? '', obj.reclaimPolicy ?? 'Delete',
    obj.volumeBindingMode ?? 'Immediate', obj.allowVolumeExpansion ?? false, age(obj, now)
  ]
}

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn,
    column('AttachRequired', 'attachRequired indicates this CSI volume driver requires an attach operation.', { type: 'boolean' }),
    column('PodInfoOnMount', 'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.', { type: 'boolean' }),
    column('StorageCapacity', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.', { type: 'boolean' }),
    column('TokenRequests', 'tokenRequests indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.'),
    column('RequiresRepublish', 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.', { type: 'boolean' }),
    column('Modes', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.'),
    ageColumn
  ],
  // v1 defaulting: attachRequired true, podInfoOnMount/storageCapacity/requiresRepublish false, modes [Persistent].
  row: (obj, now) => {
    const spec = obj.spec ?? {}
    const tokens = spec.tokenRequests == null ? '<unset>' : spec.tokenRequests.map((t: any) => t.audience ?? '').join(',')
    const modes: string[] = spec.volumeLifecycleModes ?? ['Persistent']
    return [
      name(obj), spec.attachRequired ?? true, spec.podInfoOnMount ?? false, spec.storageCapacity ?? false,
      tokens, spec.requiresRepublish ?? false, modes.join(',') || '<none>', age(obj, now)
    ]
  }
}

export const csiNodePrinter: Printer = {
  columns: [nameColumn, column('Drivers', 'Drivers indicates the number of CSI drivers registered on the node', { type: 'integer' }), ageColumn],
  row: (obj, now) => [name(obj), (obj.spec?.drivers ?? []).length, age(obj, now)]
}

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Attacher', 'attacher indicates the name of the volume driver that MUST handle this request.', { format: 'name' }),
    column('PV', 'persistentVolumeName represents the name of the persistent volume to attach.'),
    column('Node', 'nodeName represents the node that the volume should be attached to.'),
    column('Attached', 'attached indicates the volume is successfully attached.', { type: 'boolean' }),
    ageColumn
  ],
  row: (obj, now) => [
    name(obj), obj.spec?.attacher ?? '', obj.spec?.source?.persistentVolumeName ?? '', obj.spec?.nodeName ?? '',
    obj.status?.attached ?? false, age(obj, now)
  ]
}

/** printCSIStorageCapacity: no Age column upstream. */
export const csiStorageCapacityPrinter: Printer = {
  columns: [
    nameColumn,
    column('StorageClassName', 'storageClassName represents the name of the StorageClass that the reported capacity applies to.'),
    column('Capacity', 'capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.')
  ],
  row: obj => [name(obj), obj.storageClassName ?? '', obj.capacity ?? '<unset>']
}
