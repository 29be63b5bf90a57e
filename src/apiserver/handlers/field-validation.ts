// fieldValidation=Strict|Warn|Ignore: unknown fields are refused (400, upstream's "strict
// decoding error"), reported as warnings, or dropped. Built-in kinds are checked against the
// OpenAPI models, custom resources against their CRD schema.
import type { KubeObject } from '../../api/object.ts'
import { StatusError } from '../errors.ts'
import type { ApiRequest } from '../request.ts'
import { strictDecodingBadRequest, unknownFieldError, unknownFields } from '../schemas/strict.ts'
import type { ApiContext } from './context.ts'

/** Warnings to send (Warn), after throwing for Strict; [] for Ignore or nothing unknown. */
export function checkFields (ctx: ApiContext, req: ApiRequest, obj: KubeObject): string[] {
  const mode = req.options.fieldValidation
  if (mode === undefined || mode === 'Ignore') return []
  const { info } = req
  const fields = info.custom === true
    ? ctx.strategyFor(info).unknownFields?.(obj) ?? []
    : unknownFields(obj, info.group, info.version, info.kind)
  if (fields.length === 0) return []
  if (mode === 'Strict') throw new StatusError(400, 'BadRequest', strictDecodingBadRequest(info.kind, info.version, fields))
  return fields.map(unknownFieldError)
}
