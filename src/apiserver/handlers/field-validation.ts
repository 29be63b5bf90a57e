// Decoding a body as upstream decodes it into typed structs: a value of the wrong type is a 400
// (create/update) or 422 (patch) with Go's wording; unknown fields are dropped, and with
// fieldValidation=Strict refused, with Warn (the default) reported as warnings. Custom resources
// are checked against their CRD schema instead.
import { clone, type KubeObject } from '../../api/object.ts'
import { StatusError } from '../errors.ts'
import type { ApiRequest } from '../request.ts'
import { normalizeSecret } from '../schemas/secret.ts'
import { strictDecodingBadRequest, strictErrorMessage, unknownFieldError } from '../schemas/strict.ts'
import { decodeTyped, jsonPatchValue, patchDecodeInvalid, smpPatchValue, typeErrorBadRequest } from '../schemas/typed.ts'
import type { ApiContext } from './context.ts'

export interface Decoded { object: KubeObject, warnings: string[] }

/**
 * A create or update body. The result shares nothing with `obj` below its top level and
 * metadata (a typed decode builds new objects; anything else is copied), so a body needs only a
 * shallow copy before it gets here.
 */
export function decodeBody (ctx: ApiContext, req: ApiRequest, obj: KubeObject): Decoded {
  const { info } = req
  const mode = req.options.fieldValidation ?? 'Warn'
  if (info.custom === true) return custom(ctx, req, clone(obj), fields => new StatusError(400, 'BadRequest', strictDecodingBadRequest(info.kind, info.version, fields)))
  const r = decodeTyped(obj, info.group, info.version, info.kind)
  if (r.typeError !== undefined) throw typeErrorBadRequest(info.kind, info.version, r.typeError)
  if (r.object === obj) r.object = clone(obj) // a kind without a model: passed through as it was
  if (r.unknownFields.length > 0 && mode === 'Strict') throw new StatusError(400, 'BadRequest', strictDecodingBadRequest(info.kind, info.version, r.unknownFields))
  return { object: finish(req, r.object as KubeObject), warnings: mode === 'Warn' ? r.unknownFields.map(unknownFieldError) : [] }
}

/** The result of a JSON, merge or strategic merge patch. */
export function decodePatched (ctx: ApiContext, req: ApiRequest, next: KubeObject): Decoded {
  const { info } = req
  const mode = req.options.fieldValidation ?? 'Warn'
  const smp = req.patchType === 'strategic'
  const value = (): string => (smp ? smpPatchValue(req.body) : jsonPatchValue(next))
  if (info.custom === true) return custom(ctx, req, next, fields => patchDecodeInvalid(value(), strictErrorMessage(fields)))
  const r = decodeTyped(next, info.group, info.version, info.kind, smp ? 'unstructured' : 'json')
  if (r.typeError !== undefined) throw patchDecodeInvalid(value(), r.typeError)
  if (r.unknownFields.length > 0 && mode === 'Strict') throw patchDecodeInvalid(value(), strictErrorMessage(r.unknownFields))
  return { object: finish(req, r.object as KubeObject), warnings: mode === 'Warn' ? r.unknownFields.map(unknownFieldError) : [] }
}

function custom (ctx: ApiContext, req: ApiRequest, obj: KubeObject, strictError: (fields: string[]) => StatusError): Decoded {
  const mode = req.options.fieldValidation ?? 'Warn'
  if (mode === 'Ignore') return { object: obj, warnings: [] }
  const fields = ctx.strategyFor(req.info).unknownFields?.(obj) ?? []
  if (fields.length > 0 && mode === 'Strict') throw strictError(fields)
  return { object: obj, warnings: mode === 'Warn' ? fields.map(unknownFieldError) : [] }
}

function finish (req: ApiRequest, obj: KubeObject): KubeObject {
  const { info } = req
  return info.group === '' && info.kind === 'Secret' ? normalizeSecret(obj) as KubeObject : obj
}
