// PersistentVolumes and PersistentVolumeClaims (pkg/registry/core/persistentvolume(claim), v1.32):
// the v1 defaults (volume-defaults.ts), with the phase Pending that every read of a new object
// shows. Validation beyond object metadata is not emulated for these kinds.
import { rfc3339 } from '../../api/object.ts'
import type { Strategy } from './strategy.ts'
import { defaultClaimSpec, defaultPendingPhase, defaultPersistentVolumeSpec } from './volume-defaults.ts'

type Json = Record<string, any>

export const persistentVolumeStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) { defaultPersistentVolumeSpec(obj as Json) },
  // PersistentVolumeLastPhaseTransitionTime (GA in 1.31): a new volume's phase dates from its creation.
  prepareForCreate (obj, ctx) {
    defaultPendingPhase(obj as Json)
    ;(obj as Json).status.lastPhaseTransitionTime = rfc3339(ctx.clock.now())
  },
}

export const persistentVolumeClaimStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) { defaultClaimSpec((obj as Json).spec) },
  prepareForCreate (obj) { defaultPendingPhase(obj as Json) },
}
