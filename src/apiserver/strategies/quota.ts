// LimitRanges (defaulted as SetDefaults_LimitRangeItem, validated as ValidateLimitRange) and
// ResourceQuotas (spec and status validated; scopes immutable; status only through /status).
import type { Strategy } from './strategy.ts'
import { defaultLimitRange, validateLimitRange, validateQuotaScopesUnchanged, validateQuotaSpec, validateQuotaStatus } from '../../api/quota/validation.ts'
import { statusCauses } from '../validate-meta.ts'

type Json = Record<string, any>

export const limitRangeStrategy: Strategy = {
  generation: false,
  status: false,
  defaults: obj => defaultLimitRange(obj as Json),
  validate: obj => statusCauses(validateLimitRange(obj as Json)),
}

export const resourceQuotaStrategy: Strategy = {
  generation: false,
  status: true,
  validate: obj => statusCauses([...validateQuotaSpec((obj as Json).spec), ...validateQuotaStatus((obj as Json).status)]),
  validateUpdate: (obj, old) => statusCauses(validateQuotaScopesUnchanged((obj as Json).spec, (old as Json).spec)),
}
