// PersistentVolumes and PersistentVolumeClaims (pkg/registry/core/persistentvolume(claim), v1.32):
// the v1 defaults (volume-defaults.ts), with the phase Pending that every read of a new object
// shows. Validation beyond object metadata is not emulated for these kinds.
import type { Strategy } from './strategy.ts'
import { defaultClaimSpec, defaultPendingPhase, defaultPersistentVolumeSpec } from './volume-defaults.ts'

type Json = Record<string, any>

export const persistentVolumeStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) { defaultPersistentVolumeSpec(obj as Json) },
  prepareForCreate (obj) { defaultPendingPhase(obj as Json) },
}

export const persistentVolumeClaimStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) { defaultClaimSpec((obj as Json).spec) },
  prepareForCreate (obj) { defaultPendingPhase(obj as Json) },
}
