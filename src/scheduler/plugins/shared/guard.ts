// "Does not fit" is a returned Status; anything a plugin throws becomes an Error status here, in
// the shape each extension point returns (upstream framework.AsStatus(err)).
import { errorStatus, type Plugin } from '../../types.ts'

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const AS_ERROR: Record<string, (msg: string) => unknown> = {
  preFilter: (msg) => ({ status: errorStatus(msg) }),
  filter: errorStatus,
  preScore: errorStatus,
  score: (msg) => ({ score: 0, status: errorStatus(msg) }),
  scoreAll: errorStatus,
  normalizeScore: errorStatus,
  addPod: errorStatus,
  removePod: errorStatus,
}

/** The same plugin with every extension-point method wrapped so that a throw is returned as an Error status. */
export function guard<P extends Plugin> (plugin: P): P {
  const out = Object.assign({}, plugin) as Record<string, unknown>
  for (const [key, fn] of Object.entries(plugin)) {
    const asError = AS_ERROR[key]
    if (typeof fn !== 'function' || asError === undefined) continue
    const f = fn as (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown) => unknown
    // Fixed arity (extension points take at most six arguments): no rest array per call, as
    // filters and scores run nodes x plugins times per pod.
    out[key] = (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown) => {
      try {
        return f.call(plugin, a, b, c, d, e, g)
      } catch (err) {
        return asError(message(err))
      }
    }
  }
  return out as P
}
