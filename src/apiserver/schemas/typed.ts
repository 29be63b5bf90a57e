// Typed decoding of built-in kinds, as the apiserver decodes request bodies into k8s.io/api
// structs. Two decoders, two error vocabularies:
// - 'json' (create, update, JSON and merge patches): sigs.k8s.io/json, a fork of encoding/json.
//   A value of the wrong JSON type is an UnmarshalTypeError naming the innermost struct and the
//   struct fields from the top (no map keys, no list indexes):
//   `json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`.
//   Go records the first such error and keeps decoding; an error from a custom UnmarshalJSON
//   (Quantity, IntOrString, Time) ends decoding at once and wins. Strict (unknown field) errors
//   only count when there is no other error.
// - 'unstructured' (strategic merge patches): runtime.DefaultUnstructuredConverter.FromUnstructured
//   over the patched map, struct fields in declaration order (approximated by the models' order),
//   first error wins: `cannot restore map from string`, `cannot convert int64 to string`,
//   `unrecognized type: int32`; unknown fields are reported sorted.
// Either way the result is the object as Go would re-encode it: unknown fields dropped, null
// fields dropped, base64, times and quantities in canonical form.
import { clone } from '../../api/object.ts'
import { formatQuantity, parseQuantity } from '../../api/quantity.ts'
import { goQuote } from '../../api/field-errors.ts'
import { StatusError } from '../errors.ts'
import { attributesOf, modelNameFor } from './models.ts'
import { elementSlot, fieldSlot, goStructName, modelSlot, type Slot } from './go-types.ts'
import { goBase64Decode, goFormat, goJSON, goNormalizeTime } from './go-values.ts'

export type DecodeMode = 'json' | 'unstructured'

export interface TypedDecode {
  /** The decoded object: unknown and null fields dropped, values canonical. Meaningless when typeError is set. */
  object: unknown
  /** Paths of the dropped unknown fields, as strict.ts names them (`spec.template.spec.containers[0].foo`). */
  unknownFields: string[]
  /** The decoding error's text as Go prints it, when the body does not fit the types. */
  typeError?: string
}

/**
 * Go's error context: the struct whose field is being decoded and the field names from the top,
 * kept as a chain (this field, then its parent's) and joined only when an error names them:
 * decoding makes one per field of every body.
 */
interface Where { struct: string, field: string | undefined, parent: Where | undefined }

const TOP: Where = { struct: '', field: undefined, parent: undefined }

function fieldNames (where: Where): string[] {
  const names: string[] = []
  for (let w: Where | undefined = where; w !== undefined; w = w.parent) if (w.field !== undefined) names.push(w.field)
  return names.reverse()
}

interface Ctx { mode: DecodeMode, unknown: string[], saved?: string }

class Fatal extends Error {}

const OMIT = Symbol('omit')
const MAX_STRICT_ERRORS = 100

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)

/** How encoding/json names a JSON value in an UnmarshalTypeError. */
function jsonKind (v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'boolean') return 'bool'
  return typeof v === 'object' ? 'object' : typeof v
}

/** The reflect.Kind of a value in an unstructured map (integers are int64, sigs.k8s.io/json PreserveInts). */
function goKind (v: unknown): string {
  if (Array.isArray(v)) return 'slice'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (typeof v === 'boolean') return 'bool'
  return typeof v === 'object' ? 'map' : typeof v
}

function typeError (value: string, go: string, where: Where): string {
  const fields = fieldNames(where)
  return where.struct === '' && fields.length === 0
    ? `json: cannot unmarshal ${value} into Go value of type ${go}`
    : `json: cannot unmarshal ${value} into Go struct field ${where.struct}.${fields.join('.')} of type ${go}`
}

/** d.saveError: the first one is kept, decoding goes on. */
function save (ctx: Ctx, message: string): void {
  ctx.saved ??= message
}

function fatal (message: string): never {
  throw new Fatal(message)
}

/** A mismatch: saved (json) or fatal with the converter's wording (unstructured). */
function mismatch (ctx: Ctx, value: unknown, slot: Slot, where: Where, unstructured: string): void {
  if (ctx.mode === 'json') save(ctx, typeError(jsonKind(value), slot.go, where))
  else fatal(unstructured)
}

const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63], uint8: [0, 255] }

/** A number into a Go integer or float: ParseInt / ParseFloat of the literal, then the overflow check. */
function fitsNumber (n: number, go: string): boolean {
  const range = INT_RANGE[go]
  if (range === undefined) return Number.isFinite(n)
  return Number.isInteger(n) && n >= range[0] && n < range[1] + (go === 'int64' ? 0 : 1)
}

/** A JSON scalar into a Go string, integer, float or bool (its kind by its Go type name). */
function scalar (value: unknown, slot: Slot, go: string, ctx: Ctx, where: Where): unknown {
  const kind = slot.ref.t === 'number' || go === 'uint8' ? 'number' : slot.ref.t === 'boolean' ? 'boolean' : 'string'
  const dtKind = kind === 'number' ? (go === 'uint8' ? 'uint8' : go) : kind === 'boolean' ? 'bool' : 'string'
  if (ctx.mode === 'json') {
    if (typeof value !== kind) save(ctx, typeError(jsonKind(value), go, where))
    else if (kind === 'number' && !fitsNumber(value as number, go)) save(ctx, typeError(`number ${String(value)}`, go, where))
    return value
  }
  // runtime.fromUnstructured on a simple kind: assignable, or one of JSON's allowed conversions.
  const st = goKind(value)
  if (typeof value === kind) {
    if (kind !== 'number' || st === 'int64' || dtKind === 'float64') return value
    if (!Number.isInteger(value)) fatal(`cannot convert float64 to ${go}`)
    return value
  }
  if (st === 'int64' && kind === 'string') fatal(`cannot convert int64 to ${go}`)
  return fatal(`unrecognized type: ${dtKind}`)
}

/** A []byte field: base64 text (or, as encoding/json allows, an array of bytes), re-encoded canonically. */
function bytes (value: unknown, slot: Slot, ctx: Ctx, where: Where): unknown {
  if (typeof value === 'string') {
    if (ctx.mode === 'unstructured' && value === '') return value
    const decoded = goBase64Decode(value)
    if (decoded.ok) return Buffer.from(decoded.value).toString('base64')
    if (ctx.mode === 'json') save(ctx, decoded.error)
    else fatal(`error decoding from json: ${decoded.error}`)
    return value
  }
  if (!Array.isArray(value)) {
    mismatch(ctx, value, slot, where, `cannot restore slice from ${goKind(value)}`)
    return value
  }
  const byte: Slot = { ref: { t: 'number', format: 'uint8' }, go: 'uint8', quantity: false }
  const items = value.map(v => (v === null ? 0 : scalar(v, byte, 'uint8', ctx, where)))
  return items.every(n => typeof n === 'number') ? Buffer.from(items.map(n => n & 0xff)).toString('base64') : value
}

/**
 * Times decoded lately, text → normalized text, one map for Time and one for MicroTime: in a
 * burst of writes most timestamps share their second, and checking one takes a regex match.
 * Emptied when full (bounded, and a miss only costs the check).
 */
const recentTimes = [new Map<string, string>(), new Map<string, string>()]

/** Custom UnmarshalJSON of metav1.Time / MicroTime: a JSON string in RFC 3339. */
function time (value: unknown, micro: boolean): string {
  if (typeof value !== 'string') return fatal(`json: cannot unmarshal ${jsonKind(value)} into Go value of type string`)
  const recent = recentTimes[micro ? 1 : 0]
  const hit = recent.get(value)
  if (hit !== undefined) return hit
  const t = goNormalizeTime(value, micro)
  if (!t.ok) return fatal(t.error)
  if (recent.size >= 1024) recent.clear()
  recent.set(value, t.value)
  return t.value
}

/** Custom UnmarshalJSON of intstr.IntOrString: a string, or else an int32. */
function intOrString (value: unknown): unknown {
  if (typeof value === 'string') return value
  if (typeof value !== 'number') return fatal(`json: cannot unmarshal ${jsonKind(value)} into Go value of type int32`)
  return fitsNumber(value, 'int32') ? value : fatal(`json: cannot unmarshal number ${String(value)} into Go value of type int32`)
}

/** Custom UnmarshalJSON of resource.Quantity: ParseQuantity of the (unquoted, trimmed) JSON text. */
function quantity (value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  try {
    return formatQuantity(parseQuantity(text.trim()))
  } catch (err) {
    return fatal(err instanceof Error ? err.message : String(err))
  }
}

/** The zero value Go leaves for a null list item or map value (as stored and read back). */
function zero (slot: Slot): unknown {
  if (slot.quantity && slot.ref.t !== 'map') return '0'
  switch (slot.ref.t) {
    case 'string': return ''
    case 'number': case 'intorstring': return 0
    case 'boolean': return false
    case 'model': return {}
    default: return null
  }
}

/** Not in the JSON at all: JSON.stringify leaves such a property out (and writes null in a list). */
const ABSENT = Symbol('absent')

/**
 * A body from the in-process client is not JSON text: a value as its JSON encoding reads —
 * toJSON() applied, NaN and ±Infinity as null, undefined, functions and symbols absent.
 */
function asJson (value: unknown): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON: () => unknown }).toJSON()
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return ABSENT
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}

function decode (raw: unknown, slot: Slot, ctx: Ctx, where: Where, path: string): unknown {
  const value = asJson(raw)
  if (value === ABSENT) return ABSENT // not in the JSON: the caller leaves the key out
  // Non-pointer metav1.Time fields encode their zero value as null, so Go writes them back as
  // null (a pod condition's lastProbeTime, a template's creationTimestamp).
  if (value === null && (path.endsWith('lastProbeTime') || path.endsWith('creationTimestamp'))) return null
  if (value === null) return OMIT // null into a pointer, map or slice is nil; into anything else, no effect
  const { ref } = slot
  if (slot.quantity && ref.t !== 'map') return quantity(value)
  switch (ref.t) {
    case 'any': return clone(value) // the result is the caller's own: nothing shared with the input
    case 'intorstring': return intOrString(value)
    case 'time': case 'microtime': return time(value, ref.t === 'microtime')
    case 'string': if (ref.format === 'byte') return bytes(value, slot, ctx, where); break
    case 'model': return struct(value, slot, ref.name, ctx, where, path)
    case 'array': {
      if (!Array.isArray(value)) { mismatch(ctx, value, slot, where, `cannot restore slice from ${goKind(value)}`); return value }
      const item = elementSlot(slot)
      // A for loop, not map(): a hole is read as null, as JSON writes it.
      const out: unknown[] = []
      for (let i = 0; i < value.length; i++) {
        const r = decode(value[i], item, ctx, where, `${path}[${i}]`)
        out.push(r === OMIT || r === ABSENT ? zero(item) : r)
      }
      return out
    }
    case 'map': {
      if (!isObject(value)) { mismatch(ctx, value, slot, where, `cannot restore map from ${goKind(value)}`); return value }
      const item = elementSlot(slot)
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        const r = decode(v, item, ctx, where, join(path, k))
        if (r !== ABSENT) out[k] = r === OMIT ? zero(item) : r
      }
      return out
    }
  }
  return scalar(value, slot, slot.go, ctx, where)
}

const slots = new Map<string, Map<string, Slot>>()

/** A model's fields (JSON name → slot), in the models' order. */
function fieldsOf (model: string): Map<string, Slot> {
  let fields = slots.get(model)
  if (fields === undefined) {
    fields = new Map((attributesOf(model) ?? []).map(a => [a.json, fieldSlot(model, a.json, a.type)]))
    slots.set(model, fields)
  }
  return fields
}

/**
 * Non-pointer metav1.Time fields that Go writes even when absent from the body: their zero value
 * encodes as null (omitempty never skips a struct). A pod condition written through a patch, where
 * `lastProbeTime: null` means "remove", still reads back with `lastProbeTime: null`.
 */
const ZERO_TIMES: Readonly<Record<string, readonly string[]>> = { V1PodCondition: ['lastProbeTime', 'lastTransitionTime'] }

function withZeroTimes (out: Record<string, unknown>, model: string): Record<string, unknown> {
  const zeros = ZERO_TIMES[model]
  if (zeros !== undefined) for (const k of zeros) if (!(k in out)) out[k] = null
  return out
}

function struct (value: unknown, slot: Slot, model: string, ctx: Ctx, where: Where, path: string): unknown {
  if (!isObject(value)) { mismatch(ctx, value, slot, where, `cannot restore struct from: ${goKind(value)}`); return value }
  const fields = fieldsOf(model)
  const name = goStructName(model)
  if (ctx.mode === 'json') {
    // Fields decode in the body's order, which is also the output's: one pass.
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const field = fields.get(key)
      if (field === undefined) {
        // Unknown, unless JSON would leave it out.
        if (ctx.unknown.length < MAX_STRICT_ERRORS && asJson(value[key]) !== ABSENT) ctx.unknown.push(join(path, key))
        continue
      }
      const v = decode(value[key], field, ctx, { struct: name, field: key, parent: where }, join(path, key))
      if (v !== OMIT && v !== ABSENT) out[key] = v
    }
    return withZeroTimes(out, model)
  }
  const decoded = new Map<string, unknown>()
  const visit = (key: string): void => {
    const field = fields.get(key)
    if (field === undefined) {
      ctx.unknown.push(join(path, key))
      return
    }
    decoded.set(key, decode(value[key], field, ctx, { struct: name, field: key, parent: where }, join(path, key)))
  }
  // The unstructured converter: struct fields in declaration order, then the unknown ones.
  for (const key of fields.keys()) if (Object.hasOwn(value, key)) visit(key)
  Object.keys(value).filter(k => !fields.has(k)).forEach(visit)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const v = decoded.get(key)
    if (decoded.has(key) && v !== OMIT && v !== ABSENT) out[key] = v
  }
  return withZeroTimes(out, model)
}

/**
 * Decodes a built-in kind's object into its Go types. Kinds without a client-node model (custom
 * resources) pass through untouched. `mode` is 'json' for create/update bodies and the results of
 * JSON and merge patches, 'unstructured' for the results of strategic merge patches.
 */
export function decodeTyped (obj: unknown, group: string, version: string, kind: string, mode: DecodeMode = 'json'): TypedDecode {
  const model = modelNameFor(group, version, kind)
  if (model === undefined) return { object: obj, unknownFields: [] }
  const ctx: Ctx = { mode, unknown: [] }
  let object: unknown = obj
  try {
    object = decode(obj, modelSlot(model), ctx, TOP, '')
  } catch (err) {
    if (!(err instanceof Fatal)) throw err
    return { object: obj, unknownFields: [], typeError: err.message }
  }
  if (ctx.saved !== undefined) return { object: obj, unknownFields: [], typeError: ctx.saved }
  // FromUnstructuredWithValidation sorts its unknown-field errors by their text.
  const unknownFields = mode === 'unstructured' ? ctx.unknown.sort((a, b) => (`${a}"` < `${b}"` ? -1 : 1)) : ctx.unknown
  return { object: object === OMIT || object === ABSENT ? null : object, unknownFields }
}

/** transformDecodeError's text: `ConfigMap in version "v1" cannot be handled as a ConfigMap: <goError>`. */
export function typeErrorMessage (kind: string, version: string, goError: string, into = kind): string {
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${into}: ${goError}`
}

/** The 400 a create or update (PUT) body that does not decode gets. */
export function typeErrorBadRequest (kind: string, version: string, goError: string): StatusError {
  return new StatusError(400, 'BadRequest', typeErrorMessage(kind, version, goError))
}

/**
 * The 422 a patch gets when its result does not decode (a type error, or with
 * fieldValidation=Strict the strict decoding error): errors.NewInvalid(schema.GroupKind{}, "",
 * field.Invalid(field.NewPath("patch"), value, detail)), i.e.
 * ` "" is invalid: patch: Invalid value: "map[data:x]": cannot restore map from string`.
 * `value` is smpPatchValue(patch) for strategic merge patches, jsonPatchValue(patched) otherwise.
 */
export function patchDecodeInvalid (value: string, detail: string): StatusError {
  const body = `Invalid value: ${goQuote(value)}: ${detail}`
  return new StatusError(422, 'Invalid', ` "" is invalid: patch: ${body}`, { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] })
}

/** A strategic merge patch's bad value: `%+v` of the patch as decoded into a map. */
export function smpPatchValue (patch: unknown): string {
  return goFormat(patch)
}

/** A JSON or merge patch's bad value: the patched document's JSON (key order as the object's own). */
export function jsonPatchValue (patched: unknown): string {
  return goJSON(patched)
}
