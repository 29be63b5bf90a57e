// The manager a write without ?fieldManager is recorded under: upstream's managerOrUserAgent, the
// User-Agent up to its first '/'. k3s's own controllers, scheduler and kubelet send
// `k3s/v1.32.3+k3s1 (linux/amd64) kubernetes/079ffa8` (one binary), so they show as `k3s`.
import type { ApiRequest } from '../request.ts'

/** validation.FieldManagerMaxLength, in bytes. */
const MAX_BYTES = 128
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

export function managerOf (req: ApiRequest): string {
  return req.options.fieldManager || prefixFromUserAgent(req.userAgent ?? '')
}

/** The characters before the first '/', unprintable ones dropped, cut at 128 bytes (prefixFromUserAgent). */
export function prefixFromUserAgent (userAgent: string): string {
  let out = ''
  let bytes = 0
  for (const ch of userAgent.split('/')[0]) {
    if (!PRINTABLE.test(ch)) continue
    const n = Buffer.byteLength(ch)
    if (bytes + n > MAX_BYTES) break
    out += ch
    bytes += n
  }
  return out
}
