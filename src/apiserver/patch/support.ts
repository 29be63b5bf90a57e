/**
 * Shared bits of the patch appliers: JSON value types, the PatchError they throw (carrying the
 * HTTP code kube-apiserver answers with), and Go's `%v` / type-name formatting, which upstream's
 * error messages embed. Pure, no I/O.
 */
import { clone as jsonClone } from '../../api/object.ts'

export type Json = null | boolean | number | string | Json[] | JsonMap
export interface JsonMap { [key: string]: Json }

/**
 * A patch that cannot be applied. `code` is what kube-apiserver answers: 400 for malformed
 * patches, 413 for too many JSON patch operations, 422 for patches that do not apply to the
 * object, 500 where upstream returns a bare error (surfaced as a 500 Status).
 */
export class PatchError extends Error {
  override name = 'PatchError'
  readonly code: 400 | 413 | 422 | 500
  constructor(message: string, code: 400 | 413 | 422 | 500) {
    super(message)
    this.code = code
  }
}

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A deep copy, so the appliers can follow upstream's in-place algorithms without touching their
 * inputs. A JSON copy: structuredClone would keep parts that are one shared object in a stored
 * object (managedFields' `{}` leaves) as one object in the copy, and an in-place patch of one
 * would change them all.
 */
export function clone<T extends Json | undefined>(v: T): T {
  return jsonClone(v)
}

/** Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`. */
export function goSprint(v: Json | undefined): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`
  if (isMap(v)) return `map[${Object.keys(v).sort().map(k => `${k}:${goSprint(v[k])}`).join(' ')}]`
  return String(v)
}

/** Go's `%s` of an interface{} holding a decoded JSON value. */
export function goSprintS(v: Json | undefined): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return '%!s(<nil>)'
  if (typeof v === 'number') return `%!s(float64=${v})`
  if (typeof v === 'boolean') return `%!s(bool=${v})`
  return goSprint(v)
}

/** reflect.TypeOf(v) printed with `%s`, as mergepatch.ErrBadArgType does. */
export function goTypeName(v: Json | undefined): string {
  if (v === null || v === undefined) return '%!s(<nil>)'
  if (Array.isArray(v)) return '[]interface {}'
  if (isMap(v)) return 'map[string]interface {}'
  return typeof v === 'number' ? 'float64' : typeof v === 'boolean' ? 'bool' : 'string'
}

/** The kind of a decoded JSON value, as reflect.Kind distinguishes them. */
export type JsonKind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null'
export function kindOf(v: Json | undefined): JsonKind {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return 'slice'
  if (isMap(v)) return 'map'
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string'
}

/** Structural equality of decoded JSON. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]))
  }
  return false
}
