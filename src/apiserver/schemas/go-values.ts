// Go standard-library behaviour the apiserver's decoding errors come from, byte for byte (Go 1.23):
// encoding/base64's StdEncoding.Decode (what encoding/json does for []byte fields), time.Parse
// with RFC3339 / metav1's RFC3339Micro (metav1.Time and MicroTime UnmarshalJSON), and fmt's
// `%+v` of a decoded JSON value (the bad value of a failed strategic merge patch). Pure.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DECODE = new Int16Array(256).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i
const NL = 0x0a
const CR = 0x0d
const PAD = 0x3d

export type GoResult<T> = { ok: true, value: T } | { ok: false, error: string }

const corrupt = (at: number): GoResult<Uint8Array> => ({ ok: false, error: `illegal base64 data at input byte ${at}` })

/**
 * base64.StdEncoding.Decode: padded, newlines (\r, \n) skipped anywhere, trailing bits ignored.
 * Errors are base64.CorruptInputError: `illegal base64 data at input byte 3` (a UTF-8 byte offset).
 */
export function goBase64Decode (text: string): GoResult<Uint8Array> {
  const src = Buffer.from(text, 'utf8')
  const out: number[] = []
  let si = 0
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let trailing: number | undefined
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, value: Uint8Array.from(out) }
        return corrupt(si - j)
      }
      const c = src[si++]!
      const v = DECODE[c]!
      if (v >= 0) { dbuf[j] = v; continue }
      if (c === NL || c === CR) { j--; continue }
      if (c !== PAD || j < 2) return corrupt(si - 1)
      if (j === 2) {
        // "==" is expected, the first "=" is already consumed
        while (si < src.length && (src[si] === NL || src[si] === CR)) si++
        if (si === src.length) return corrupt(src.length)
        if (src[si] !== PAD) return corrupt(si - 1)
        si++
      }
      while (si < src.length && (src[si] === NL || src[si] === CR)) si++
      if (si < src.length) trailing = si
      dlen = j
      break
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!
    out.push(...[(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff].slice(0, dlen - 1))
    if (trailing !== undefined) return corrupt(trailing)
  }
  return { ok: true, value: Uint8Array.from(out) }
}

/** time's own quote(): ASCII kept (with `"` and `\` escaped), other bytes as \xNN. */
export function goTimeQuote (s: string): string {
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0)!
    if (code < 0x20 || code >= 0x80) for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch
  }
  return `${out}"`
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00'
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00'

/** Layout chunks as time.nextStdChunk splits them: [literal prefix, std element]. */
const CHUNKS: Array<[string, string]> = [['', '2006'], ['-', '01'], ['-', '02'], ['T', '15'], [':', '04'], [':', '05']]
const CHUNKS_RFC3339 = [...CHUNKS, ['', 'Z07:00']] as Array<[string, string]>
const CHUNKS_MICRO = [...CHUNKS, ['', '.000000'], ['', 'Z07:00']] as Array<[string, string]>

const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9'

/** time.getnum: one or two digits (exactly two when fixed). */
function getnum (s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)]
  return [Number(s.slice(0, 2)), s.slice(2)]
}

/** time.atoi: optional sign, then digits only. */
function atoi (s: string): number | undefined {
  const m = /^([+-]?)(\d*)$/.exec(s)
  if (m === null) return undefined
  const n = m[2] === '' ? 0 : Number(m[2])
  return m[1] === '-' ? -n : n
}

/** time.parseNanoseconds over value[0:nbytes] ("." or "," then digits). */
function parseNanos (value: string, nbytes: number): { ns?: number, range?: string } {
  if (value[0] !== '.' && value[0] !== ',') return {}
  const n = Math.min(nbytes, 10)
  const ns = atoi(value.slice(1, n))
  if (ns === undefined) return {}
  if (ns < 0) return { ns: 0, range: 'fractional second' }
  return { ns: ns * 10 ** (10 - n) }
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const daysIn = (month: number, year: number): number => (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!)

export interface GoTime { ms: number, nanos: number }

/** The form every client writes (UTC, seconds or exactly six fraction digits). */
const CANONICAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?Z$/

/**
 * time.Parse(RFC3339 or RFC3339Micro, value) as Go's general parser does it (the RFC 3339 fast
 * path only ever accepts a subset): the instant, or the ParseError text, e.g.
 * `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`.
 * The canonical form with every field in range is read directly (every timestamp of every write
 * goes through here); anything else takes the general parser.
 */
export function goParseTime (avalue: string, micro = false): GoResult<GoTime> {
  return canonicalTime(avalue, micro) ?? goParseTimeGeneral(avalue, micro)
}

/**
 * A metav1.Time / MicroTime from JSON, as it is marshalled again (UTC, RFC 3339 with no or six
 * fraction digits). The canonical form — what every client writes — is its own answer.
 */
export function goNormalizeTime (avalue: string, micro = false): GoResult<string> {
  if (canonicalTime(avalue, micro) !== undefined) return { ok: true, value: avalue }
  const t = goParseTimeGeneral(avalue, micro)
  return t.ok ? { ok: true, value: formatGoTime(t.value, micro) } : t
}

/** The instant of a canonical-form time with every field in range; else undefined. */
function canonicalTime (avalue: string, micro: boolean): GoResult<GoTime> | undefined {
  const m = CANONICAL_TIME.exec(avalue)
  if (m === null || (m[7] !== undefined) !== micro) return undefined
  const year = Number(m[1]); const month = Number(m[2]); const day = Number(m[3])
  const hour = Number(m[4]); const min = Number(m[5]); const sec = Number(m[6])
  // Date.UTC reads years below 100 as 19xx: those take the general parser.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour >= 24 || min >= 60 || sec >= 60) return undefined
  return { ok: true, value: { ms: Date.UTC(year, month - 1, day, hour, min, sec), nanos: micro ? Number(m[7]) * 1000 : 0 } }
}

/** goParseTime without the canonical-form shortcut: Go's general parser, chunk by chunk. */
export function goParseTimeGeneral (avalue: string, micro = false): GoResult<GoTime> {
  const layout = micro ? RFC3339_MICRO : RFC3339
  const chunks = micro ? CHUNKS_MICRO : CHUNKS_RFC3339
  const q = goTimeQuote
  const cannot = (elem: string, value: string): GoResult<GoTime> =>
    ({ ok: false, error: `parsing time ${q(avalue)} as ${q(layout)}: cannot parse ${q(value)} as ${q(elem)}` })
  const message = (msg: string): GoResult<GoTime> => ({ ok: false, error: `parsing time ${q(avalue)}${msg}` })
  let value = avalue
  const t = { year: 0, month: 1, day: 1, hour: 0, min: 0, sec: 0, nsec: 0, offset: 0 }
  for (let i = 0; i < chunks.length; i++) {
    const [prefix, std] = chunks[i]!
    if (prefix !== '') {
      if (value[0] !== prefix) return cannot(prefix, value)
      value = value.slice(1)
    }
    const hold = value
    let bad = false
    let range = ''
    const num = (fixed: boolean): number => {
      const g = getnum(value, fixed)
      if (g === undefined) { bad = true; return 0 }
      value = g[1]
      return g[0]
    }
    switch (std) {
      case '2006': {
        const y = value.length >= 4 && isDigit(value, 0) ? atoi(value.slice(0, 4)) : undefined
        if (y === undefined) bad = true
        else { t.year = y; value = value.slice(4) }
        break
      }
      case '01': t.month = num(true); if (!bad && (t.month < 1 || t.month > 12)) range = 'month'; break
      case '02': t.day = num(true); break
      case '15': t.hour = num(false); if (t.hour >= 24) range = 'hour'; break
      case '04': t.min = num(true); if (t.min >= 60) range = 'minute'; break
      case '05': {
        t.sec = num(true)
        if (bad) break
        if (t.sec >= 60) { range = 'second'; break }
        // A fraction the layout does not have is accepted (and one it has is left to its chunk).
        if (!micro && value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value, 1)) {
          let n = 2
          while (isDigit(value, n)) n++
          const r = parseNanos(value, n)
          if (r.ns === undefined) bad = true
          else { t.nsec = r.ns; range = r.range ?? '' }
          value = value.slice(n)
        }
        break
      }
      case '.000000': {
        if (value.length < 7) { bad = true; break }
        const r = parseNanos(value, 7)
        if (r.ns === undefined) bad = true
        else { t.nsec = r.ns; range = r.range ?? '' }
        value = value.slice(7)
        break
      }
      case 'Z07:00': {
        if (value[0] === 'Z') { value = value.slice(1); break }
        if (value.length < 6 || value[3] !== ':') { bad = true; break }
        const sign = value[0]
        const hr = getnum(value.slice(1, 3), true)
        const mm = hr === undefined ? undefined : getnum(value.slice(4, 6), true)
        value = value.slice(6)
        if (hr === undefined || mm === undefined) bad = true
        if ((hr?.[0] ?? 0) > 24) range = 'time zone offset hour'
        if ((mm?.[0] ?? 0) > 60) range = 'time zone offset minute'
        t.offset = ((hr?.[0] ?? 0) * 60 + (mm?.[0] ?? 0)) * 60 * (sign === '-' ? -1 : 1)
        if (sign !== '+' && sign !== '-') bad = true
        break
      }
    }
    if (range !== '') return message(`: ${range} out of range`)
    if (bad) return cannot(std, hold)
  }
  if (value.length > 0) return message(`: extra text: ${q(value)}`)
  if (t.day < 1 || t.day > daysIn(t.month, t.year)) return message(': day out of range')
  const d = new Date(0)
  d.setUTCFullYear(t.year, t.month - 1, t.day)
  d.setUTCHours(t.hour, t.min, t.sec, 0)
  return { ok: true, value: { ms: d.getTime() - t.offset * 1000, nanos: t.nsec } }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** metav1.Time / MicroTime MarshalJSON: UTC, RFC3339 (seconds) or RFC3339Micro (microseconds). */
export function formatGoTime (t: GoTime, micro = false): string {
  const d = new Date(t.ms)
  const y = d.getUTCFullYear()
  const year = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}`
  const frac = micro ? `.${pad(Math.floor(t.nanos / 1000), 6)}` : ''
  return `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${frac}Z`
}

/** fmt's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 on (`1e+06`). */
export function goFloat (n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const [mantissa, e] = n.toExponential().split('e') as [string, string]
  const exp = Number(e)
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${pad(Math.abs(exp), 2)}`
  return String(n)
}

/**
 * fmt's `%+v` of a JSON value decoded with integers kept (sigs.k8s.io/json PreserveInts):
 * `map[data:map[a:1] kind:ConfigMap]` (keys sorted), `[a b]`, `<nil>`.
 */
export function goFormat (v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloat(v)
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`
  const o = v as Record<string, unknown>
  return `map[${Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(k => `${k}:${goFormat(o[k])}`).join(' ')}]`
}

/**
 * encoding/json's Marshal escaping on top of JSON.stringify: <, >, & and U+2028/2029 as \u
 * escapes. `indent`: MarshalIndent's (go-restful's WriteAsJson indents by one space).
 */
export function goJSON (v: unknown, indent?: string): string {
  return JSON.stringify(v, null, indent).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
