/**
 * Field-level validation errors, emulating k8s.io/apimachinery/pkg/util/validation/field (v1.32):
 * Error.ErrorBody() renders `Invalid value: "Foo": detail`, `Required value: detail`,
 * `Unsupported value: "x": supported values: "a", "b"`, and so on, and an ErrorList's aggregate
 * renders as `msg` (one error) or `[msg1, msg2]` (several, deduplicated). Pure, no I/O.
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid'

/** A value printed verbatim where Go would print `%#v` of a non-JSON type, e.g. `[]string(nil)`. */
export interface GoRepr { readonly goRepr: string }

export interface FieldError {
  readonly type: FieldErrorType
  /** Dotted path as field.Path.String() prints it, e.g. `metadata.labels` or `values[0][app]`. */
  readonly field: string
  readonly badValue?: unknown
  readonly detail: string
}

/** The shape of a metav1.StatusCause built from a field error (apierrors.NewInvalid). */
export interface FieldCause {
  readonly type: FieldErrorType
  readonly field: string
  readonly message: string
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
}

const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/**
 * Go's strconv.Quote / `%q` for a string: printable Unicode (unicode.IsPrint: letters, marks,
 * numbers, punctuation, symbols, the ASCII space) is kept as is; the rest is escaped as Go does.
 */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    let code = ch.codePointAt(0)!
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch]
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (ch === ' ' || PRINTABLE.test(ch)) out += ch
    else {
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd // a lone surrogate is not a rune
      out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`
    }
  }
  return out + '"'
}

/** How field.Error renders a bad value: `%q` for strings, `%v` for numbers and booleans, `%#v` otherwise. */
export function goValue(v: unknown): string {
  // ErrorBody makes a nil value (or nil pointer) the string "null", printed with %q.
  if (v === null || v === undefined) return '"null"'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'object' && 'goRepr' in v) return String((v as GoRepr).goRepr)
  if (Array.isArray(v) && v.every(x => typeof x === 'string')) return `[]string{${v.map(goQuote).join(', ')}}`
  return JSON.stringify(v)
}

/** field.OmitValueType as a bad value: the message names no value (`Invalid value: <detail>`). */
export const OMIT_VALUE: GoRepr = Object.freeze({ goRepr: '' })

/** field.Error.ErrorBody() */
export function fieldErrorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type]
  const omitsValue = e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' || e.type === 'InternalError' || e.badValue === OMIT_VALUE
  if (!omitsValue) s += `: ${goValue(e.badValue)}`
  if (e.detail.length > 0) s += `: ${e.detail}`
  return s
}

/** field.Error.Error(): `<field>: <body>` */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`
}

export function toCause(e: FieldError): FieldCause {
  return { type: e.type, field: e.field, message: fieldErrorBody(e) }
}

/** ErrorList.ToAggregate().Error(): one message, or `[a, b]` with duplicates removed. */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const msgs = [...new Set(errors.map(fieldErrorString))]
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`
}

/**
 * apierrors.NewInvalid's Status message: `Deployment.apps "web" is invalid: <aggregate>`
 * (`qualifiedKind` is `Kind.group`, or just `Kind` for the core group).
 */
export function invalidMessage(qualifiedKind: string, name: string, errors: readonly FieldError[]): string {
  return `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregateMessage(errors)}`
}

export const invalid = (field: string, badValue: unknown, detail: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, badValue, detail })
export const required = (field: string, detail = ''): FieldError =>
  ({ type: 'FieldValueRequired', field, badValue: '', detail })
export const forbidden = (field: string, detail: string): FieldError =>
  ({ type: 'FieldValueForbidden', field, badValue: '', detail })
export const duplicate = (field: string, badValue: unknown): FieldError =>
  ({ type: 'FieldValueDuplicate', field, badValue, detail: '' })
export const notFound = (field: string, badValue: unknown): FieldError =>
  ({ type: 'FieldValueNotFound', field, badValue, detail: '' })

/** field.NotSupported: `Unsupported value: "x": supported values: "a", "b"` */
export function notSupported(field: string, badValue: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(', ')}` : ''
  return { type: 'FieldValueNotSupported', field, badValue, detail }
}

/** field.TooLong as of v1.31+: `Too long: may not be more than 262144 bytes`. */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long'
  return { type: 'FieldValueTooLong', field, badValue: '<value omitted>', detail }
}

/** field.TooMany: `Too many: 65: must have at most 64 items`. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items'
  return { type: 'FieldValueTooMany', field, badValue: actual >= 0 ? actual : OMIT_VALUE, detail }
}
