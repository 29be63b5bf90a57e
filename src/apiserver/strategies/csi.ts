// storage.k8s.io/v1 CSI kinds (pkg/registry/storage, v1.32): SetDefaults_CSIDriver (with the
// SELinuxMountReadWriteOncePod gate on, as in v1.32), a CSIDriver's generation moving when its
// mutable fields change (none is set at create), and a VolumeAttachment's status cleared on create
// (its status subresource is how an attacher reports). CSINodes and CSIStorageCapacities are
// stored as sent. Validation beyond object metadata is not emulated for these kinds.
import type { Strategy } from './strategy.ts'
import { isObject, unset, type Json } from './admission-rules.ts'

/** The CSIDriver fields an update may change; changing one bumps the generation. */
const MUTABLE = ['tokenRequests', 'requiresRepublish', 'seLinuxMount'] as const

export const csiDriverStrategy: Strategy = {
  generation: false,
  status: false,
  defaults (obj) {
    const o = obj as Json
    if (!isObject(o.spec)) o.spec = {}
    const spec = o.spec as Json
    if (unset(spec.attachRequired)) spec.attachRequired = true
    if (unset(spec.podInfoOnMount)) spec.podInfoOnMount = false
    if (unset(spec.storageCapacity)) spec.storageCapacity = false
    if (unset(spec.fsGroupPolicy)) spec.fsGroupPolicy = 'ReadWriteOnceWithFSType'
    if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0) spec.volumeLifecycleModes = ['Persistent']
    if (unset(spec.requiresRepublish)) spec.requiresRepublish = false
    if (unset(spec.seLinuxMount)) spec.seLinuxMount = false
  },
  prepareForUpdate (obj, old) {
    const [spec, was] = [(obj as Json).spec ?? {}, (old as Json).spec ?? {}]
    if (MUTABLE.some(k => JSON.stringify(spec[k]) !== JSON.stringify(was[k]))) obj.metadata.generation = (old.metadata.generation ?? 0) + 1
  },
}

export const volumeAttachmentStrategy: Strategy = {
  generation: false,
  status: true,
  // VolumeAttachmentStatus{}: `attached` has no omitempty.
  prepareForCreate (obj) { (obj as Json).status = { attached: false } },
}
