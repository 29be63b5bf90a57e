// PersistentVolumes and PersistentVolumeClaims (pkg/registry/core/persistentvolume(claim), v1.32):
// the v1 defaults (volume-defaults.ts), with the phase Pending that every read of a new object
// shows. Of their validation only the volumeMode check is emulated.
import { rfc3339 } from '../../api/object.ts'
import type { StatusCause } from '../errors.ts'
import { type Strategy, unsupported } from './strategy.ts'
import { defaultClaimSpec, defaultPendingPhase, defaultPersistentVolumeSpec } from './volume-defaults.ts'

type Json = Record<string, any>

const VOLUME_MODES = ['Block', 'Filesystem']

/** ValidatePersistentVolume(Claim)Spec's volumeMode check, the one field these defaults set. */
function validateVolumeMode (obj: Json): StatusCause[] {
  const mode = obj.spec?.volumeMode
  return mode === undefined || VOLUME_MODES.includes(mode) ? [] : [unsupported('spec.volumeMode', mode, VOLUME_MODES)]
}

export const persistentVolumeStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) { defaultPersistentVolumeSpec(obj as Json) },
  validate: obj => validateVolumeMode(obj as Json),
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
  validate: obj => validateVolumeMode(obj as Json),
  prepareForCreate (obj) { defaultPendingPhase(obj as Json) },
}
