// Continue tokens as upstream encodes them: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":K},
// where K is the key (relative to the collection) to resume from.
import { badRequest, expired } from '../errors.ts'

export interface ContinueToken { rv: number, start: string }

export function encodeContinue (rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url')
}

export function decodeContinue (token: string): ContinueToken {
  let parsed: { v?: string, rv?: number, start?: string }
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data`)
  }
  if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  }
  return { rv: parsed.rv, start: parsed.start }
}

export const continueTooOld = (): Error => expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.')
