// Time cells: upstream's duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration) and the
// timestamp helpers printers.go builds on it. Go truncates toward zero everywhere (int(d.Seconds()),
// d / time.Minute), so every division here is Math.trunc.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/**
 * Parses a metav1.Time / MicroTime JSON value to ms since the epoch (fractions of a ms kept).
 * `undefined` for Go's zero time (absent, null, "", or 0001-01-01T00:00:00Z); NaN if malformed.
 */
export function parseTime (value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === 'null') return undefined
  if (typeof value !== 'string') return NaN
  const m = RFC3339.exec(value)
  if (m === null) return NaN
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number)
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second))
  date.setUTCFullYear(year) // Date.UTC maps years 0–99 to 19xx
  let ms = date.getTime() + (m[7] !== undefined ? Number(m[7]) * SECOND : 0)
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1 : 1
    ms -= sign * (Number(m[8].slice(1, 3)) * HOUR + Number(m[8].slice(4, 6)) * MINUTE)
  }
  if (ms === ZERO_TIME) return undefined
  return ms
}

const ZERO_TIME = (() => { const d = new Date(Date.UTC(2000, 0, 1)); d.setUTCFullYear(1); return d.getTime() })()

/**
 * duration.HumanDuration: ~2–3 significant figures, e.g. `45s` (< 2m), `3m12s` (< 10m), `42m`
 * (< 3h), `5h3m` (< 8h), `30h` (< 48h), `3d4h` (< 8d), `120d` (< 2y), `2y10d` (< 8y), `9y`.
 * Zero lower parts are dropped (`4m`, not `4m0s`). Up to 2s in the future is `0s` (clock skew).
 */
export function humanDuration (ms: number): string {
  const seconds = Math.trunc(ms / SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.trunc(ms / MINUTE)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.trunc(ms / HOUR)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    const years = Math.trunc(hours / 24 / 365)
    return dy === 0 ? `${years}y` : `${years}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** printers.go translateTimestampSince: `<unknown>` for the zero time, else HumanDuration(now − t). */
export function translateAge (timestamp: string | undefined | null, now: number): string {
  const t = parseTime(timestamp)
  if (t === undefined || Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}

/** The default table convertor's `Created At` cell: time.RFC3339 in UTC, whole seconds. */
export function formatRFC3339 (timestamp: string | undefined | null): string {
  const t = parseTime(timestamp)
  if (t === undefined || Number.isNaN(t)) return '0001-01-01T00:00:00Z'
  const iso = new Date(Math.floor(t / SECOND) * SECOND).toISOString()
  return iso.replace(/\.\d{3}Z$/, 'Z')
}
