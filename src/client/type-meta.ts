// Every client call names where it goes by apiVersion and kind; an object without them is a
// caller's mistake, told as client-go's decoder tells it (runtime.NewMissingKindErr /
// NewMissingVersionErr), not a crash deeper down.
import { StatusError } from '../apiserver/errors.ts'

export function requireTypeMeta (apiVersion: unknown, kind: unknown): void {
  const hint = 'the object needs apiVersion and kind (e.g. apiVersion: "v1", kind: "Pod")'
  if (typeof kind !== 'string' || kind === '') throw new StatusError(400, 'BadRequest', `Object 'Kind' is missing: ${hint}`)
  if (typeof apiVersion !== 'string' || apiVersion === '') throw new StatusError(400, 'BadRequest', `Object 'apiVersion' is missing: ${hint}`)
}
