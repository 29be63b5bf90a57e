// APIServices (kube-aggregator's registry, pkg/apis/apiregistration/validation): names are path
// segments that must read `<version>.<group>` (`v1.` for the core group), with upstream's
// priority ranges; status through /status.
import type { Strategy } from './strategy.ts'
import { invalid, required, type FieldError } from '../../api/field-errors.ts'
import { statusCauses } from '../validate-meta.ts'

type Json = Record<string, any>

export function validateApiService (obj: Json): FieldError[] {
  const errs: FieldError[] = []
  const spec = obj.spec ?? {}
  const wanted = `${spec.version ?? ''}.${spec.group ?? ''}`
  if (obj.metadata?.name !== wanted) errs.push(invalid('metadata.name', obj.metadata?.name, `must be \`spec.version+"."+spec.group\`: "${wanted}"`))
  if (spec.version === undefined || spec.version === '') errs.push(required('spec.version'))
  const g = spec.groupPriorityMinimum ?? 0
  if (g <= 0 || g > 20000) errs.push(invalid('spec.groupPriorityMinimum', g, 'must be positive and less than 20000'))
  const v = spec.versionPriority ?? 0
  if (v <= 0 || v > 1000) errs.push(invalid('spec.versionPriority', v, 'must be positive and less than 1000'))
  return errs
}

export const apiServiceStrategy: Strategy = {
  generation: false,
  status: true,
  nameIsPathSegment: true,
  validate: obj => statusCauses(validateApiService(obj as Json)),
}
