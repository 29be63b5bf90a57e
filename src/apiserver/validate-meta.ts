// ObjectMeta validation with upstream's messages (src/api/validation.ts), as Status causes.
import { toCause, type FieldError } from '../api/field-errors.ts'
import type { KubeObject } from '../api/object.ts'
import { nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta, validatePathSegmentName } from '../api/validation.ts'
import type { StatusCause } from './errors.ts'

export function validateMetadata (obj: KubeObject, options: { namespaced: boolean, nameIsLabel: boolean, nameIsPathSegment?: boolean }): StatusCause[] {
  const errors = validateObjectMeta(obj.metadata as Parameters<typeof validateObjectMeta>[0], {
    namespaced: options.namespaced,
    nameValidator: options.nameIsPathSegment === true ? validatePathSegmentName : options.nameIsLabel ? nameIsDNSLabel : nameIsDNSSubdomain,
  })
  return statusCauses(errors)
}

/** Field errors (src/api/field-errors.ts) as a Status's causes. */
export function statusCauses (errors: readonly FieldError[]): StatusCause[] {
  return errors.map(e => {
    const c = toCause(e)
    return { reason: c.type, message: c.message, field: c.field }
  })
}
