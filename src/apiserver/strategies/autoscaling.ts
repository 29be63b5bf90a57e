// HorizontalPodAutoscalers (stored as autoscaling/v2): defaulted as SetDefaults_HorizontalPodAutoscaler,
// validated as ValidateHorizontalPodAutoscaler; status through /status.
import type { Strategy } from './strategy.ts'
import { defaultHpa, validateHpaSpec, validateHpaStatus } from '../../api/autoscaling/hpa.ts'
import { statusCauses } from '../validate-meta.ts'

type Json = Record<string, any>

export const horizontalPodAutoscalerStrategy: Strategy = {
  generation: false,
  status: true,
  defaults: obj => defaultHpa(obj as Json),
  validate: obj => statusCauses([...validateHpaSpec((obj as Json).spec), ...validateHpaStatus((obj as Json).status)]),
}
