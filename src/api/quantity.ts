/**
 * Kubernetes resource quantities, emulating k8s.io/apimachinery/pkg/api/resource (v1.32):
 * ParseQuantity, Quantity.String(), Value(), MilliValue(), Add() and Cmp().
 *
 * A quantity is kept exactly as `unscaled × 10^scale` (BigInt, never a float). Upstream keeps
 * small values in an int64 fast path and everything else in an inf.Dec; the `big` flag records
 * which one upstream would use, because the two round negative fractions differently in Value().
 * Pure, no I/O.
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI'

export interface Quantity {
  /** The value is exactly `unscaled × 10^scale`. */
  readonly unscaled: bigint
  readonly scale: number
  /** The suffix family used when formatting (upstream remembers the parsed one). */
  readonly format: QuantityFormat
  /** True where upstream holds the value in an inf.Dec rather than its int64 fast path. */
  readonly big: boolean
  /** The input string, when upstream reuses it verbatim as the canonical form. */
  readonly cached?: string
}

/** upstream: splitREString, quoted in ErrFormatWrong. */
const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`
export const ERR_NUMERIC = 'unable to parse numeric part of quantity'
export const ERR_SUFFIX = "unable to parse quantity's suffix"

export class QuantityParseError extends Error {
  override name = 'QuantityParseError'
}

const MAX_INT64 = (1n << 63n) - 1n
const NANO = -9
const MAX_INT64_FACTORS = 18 // upstream maxInt64Factors in v1.32
const SUFFIX_CHARS = 'eEinumkKMGTP'
const DIGITS = '0123456789'

const DEC_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const BIN_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIXES).map(([s, e]) => [e, s]))
const BIN_BY_EXP = new Map(Object.entries(BIN_SUFFIXES).map(([s, e]) => [e, s]))

interface Split { positive: boolean, value: string, num: string, denom: string, suffix: string }

/** upstream parseQuantityString: a hand-written scanner, more permissive than SPLIT_RE ("m" and "." parse as 0). */
function splitQuantity(str: string): Split {
  const end = str.length
  let pos = 0
  let positive = true
  if (str[0] === '-') { positive = false; pos++ } else if (str[0] === '+') pos++
  while (pos < end && str[pos] === '0') pos++
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' }
  let i = pos
  while (i < end && DIGITS.includes(str[i])) i++
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' }
  const num = str.slice(pos, i) || '0'
  pos = i
  let denom = ''
  if (str[pos] === '.') {
    pos++
    let j = pos
    while (j < end && DIGITS.includes(str[j])) j++
    denom = str.slice(pos, j)
    if (j >= end) return { positive, value: str, num, denom, suffix: '' }
    pos = j
  }
  const value = str.slice(0, pos)
  const suffixStart = pos
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++
  while (pos < end && DIGITS.includes(str[pos])) pos++
  if (pos < end) throw new QuantityParseError(ERR_FORMAT_WRONG)
  return { positive, value, num, denom, suffix: str.slice(suffixStart) }
}

interface Suffix { base: 2 | 10, exponent: number, format: QuantityFormat }

/** upstream suffixer.interpret; note there is no case-folding, so "1K" is an error. */
function interpretSuffix(s: string): Suffix | undefined {
  if (s in DEC_SUFFIXES) return { base: 10, exponent: DEC_SUFFIXES[s], format: 'DecimalSI' }
  if (s in BIN_SUFFIXES) return { base: 2, exponent: BIN_SUFFIXES[s], format: 'BinarySI' }
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const parsed = BigInt(s.slice(1))
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) return undefined // strconv.ParseInt range error
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' } // int32(parsed)
  }
  return undefined
}

const abs = (v: bigint): bigint => (v < 0n ? -v : v)
const digitCount = (v: bigint): number => (v === 0n ? 0 : abs(v).toString().length)

/** Divides by 10^n rounding away from zero (inf.RoundUp), without building huge powers. */
function shrinkAwayFromZero(v: bigint, n: number): bigint {
  if (v === 0n || n <= 0) return v * 10n ** BigInt(Math.max(0, -n))
  if (n > digitCount(v)) return v > 0n ? 1n : -1n
  const d = 10n ** BigInt(n)
  const q = v / d
  return v % d === 0n ? q : q + (v > 0n ? 1n : -1n)
}

/** ParseQuantity: throws QuantityParseError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG)
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', big: false, cached: '0' }
  const { positive, value, num, denom, suffix } = splitQuantity(str)
  const suf = interpretSuffix(suffix)
  if (!suf) throw new QuantityParseError(ERR_SUFFIX)

  let precision: number
  let scale = 0
  let mantissa = 1n
  if (suf.format === 'BinarySI') {
    if (suf.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(suf.exponent)
      // 1Mi (2^20) has ~6 digits of decimal precision, so exponent*3/10 - 1 is roughly the precision
      precision = 15 - num.length - Math.trunc(suf.exponent * 3 / 10) - 1
    } else precision = -1
  } else {
    scale = suf.exponent
    precision = MAX_INT64_FACTORS - (num.length + denom.length)
  }

  if (precision >= 0) {
    scale -= denom.length
    if (scale >= NANO) {
      const shifted = num + denom
      const v = BigInt(shifted)
      let result = v * mantissa
      if (result <= MAX_INT64) {
        if (!positive) result = -result
        // upstream reuses the input string when it is already canonical
        const canonical = suf.format === 'BinarySI'
          ? suf.exponent % 10 === 0 && (v & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0'
        return { unscaled: result, scale, format: suf.format, big: false, ...(canonical ? { cached: str } : {}) }
      }
    }
  }

  // inf.Dec path
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value)
  if (!m || (m[2] + (m[3] ?? '')).length === 0) throw new QuantityParseError(ERR_NUMERIC)
  const frac = m[3] ?? ''
  let amount = BigInt(m[2] + frac)
  let amountScale = -frac.length
  if (suf.base === 10) amountScale += suf.exponent
  else amount *= 1n << BigInt(suf.exponent)
  let format = suf.format
  // Round non-zero values up to the minimum representable value (1n), as upstream does.
  if (amount !== 0n && amountScale < NANO) {
    amount = shrinkAwayFromZero(amount, NANO - amountScale)
    amountScale = NANO
  }
  if (format === 'BinarySI' && cmpMagnitude(amount, amountScale, MAX_INT64, 0) > 0) {
    amount = MAX_INT64
    amountScale = 0
  }
  if (format === 'BinarySI' && amount > 0n && cmpMagnitude(amount, amountScale, 1n, 0) < 0) format = 'DecimalSI'
  if (m[1] === '-') amount = -amount
  return { unscaled: amount, scale: amountScale, format, big: true }
}

/** Compares a×10^as with b×10^bs (signed), without materialising huge powers of ten. */
function cmpMagnitude(a: bigint, as: number, b: bigint, bs: number): -1 | 0 | 1 {
  const sa = a === 0n ? 0 : a > 0n ? 1 : -1
  const sb = b === 0n ? 0 : b > 0n ? 1 : -1
  if (sa !== sb) return sa > sb ? 1 : -1
  if (sa === 0) return 0
  const ea = digitCount(a) + as
  const eb = digitCount(b) + bs
  if (ea !== eb) return ((ea > eb ? 1 : -1) * sa) as -1 | 1
  const min = Math.min(as, bs)
  const x = a * 10n ** BigInt(as - min)
  const y = b * 10n ** BigInt(bs - min)
  return x === y ? 0 : x > y ? 1 : -1
}

/** Quantity.Cmp */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return cmpMagnitude(a.unscaled, a.scale, b.unscaled, b.scale)
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n
}

/**
 * Quantity.Add. Upstream takes the format of `b` when `a` is zero, and leaves the int64
 * fast path when the sum (aligned to the smaller scale) would overflow int64.
 */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const format = a.unscaled === 0n ? b.format : a.format
  if (b.unscaled === 0n) return { unscaled: a.unscaled, scale: a.scale, format, big: a.big }
  if (a.unscaled === 0n) return { unscaled: b.unscaled, scale: b.scale, format, big: a.big || b.big }
  const min = Math.min(a.scale, b.scale)
  const x = a.unscaled * 10n ** BigInt(a.scale - min)
  const y = b.unscaled * 10n ** BigInt(b.scale - min)
  const sum = x + y
  const fits = (v: bigint): boolean => v <= MAX_INT64 && v >= -MAX_INT64 - 1n
  const big = a.big || b.big || !fits(x) || !fits(y) || !fits(sum)
  return { unscaled: sum, scale: min, format, big }
}

/**
 * Quantity.ScaledValue(scale): ceil(q / 10^scale). The int64 path rounds away from zero; the
 * inf.Dec path truncates and then adds one when there is a remainder (so -1.5 becomes 0).
 */
export function scaledValue(q: Quantity, target: number): number {
  if (q.unscaled === 0n) return 0
  const up = q.scale - target
  if (up >= 0) return up > 400 ? (q.unscaled > 0n ? Infinity : -Infinity) : Number(q.unscaled * 10n ** BigInt(up))
  if (!q.big) return Number(shrinkAwayFromZero(q.unscaled, -up))
  if (-up > digitCount(q.unscaled)) return 1 // truncates to 0, remainder ≠ 0
  const d = 10n ** BigInt(-up)
  return Number(q.unscaled / d + (q.unscaled % d === 0n ? 0n : 1n))
}

/** Quantity.Value(): the value rounded up to an integer. */
export function value(q: Quantity): number {
  return scaledValue(q, 0)
}

/** Quantity.MilliValue(): ceil(q × 1000). */
export function milliValue(q: Quantity): number {
  return scaledValue(q, -3)
}

/** resource.NewMilliQuantity */
export function newMilliQuantity(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(milli), scale: -3, format, big: false }
}

/** resource.NewQuantity */
export function newQuantity(v: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(v), scale: 0, format, big: false }
}

/** AsCanonicalBytes: move factors of ten into the exponent, then lower it to a multiple of 3 (1.1e5 → "110", 3). */
function canonicalBase10(unscaled: bigint, scale: number): [bigint, number] {
  let amount = unscaled
  let exponent = scale
  while (amount % 10n === 0n) { amount /= 10n; exponent++ }
  while (((exponent % 3) + 3) % 3 !== 0) { amount *= 10n; exponent-- }
  return [amount, exponent]
}

function decimalSuffix(exponent: number, format: QuantityFormat): string {
  if (format === 'DecimalSI') {
    const s = DEC_BY_EXP.get(exponent)
    if (s !== undefined) return s
    // v1.32 emits no suffix here (1000E would print as "1"); later upstream falls back to "e"
    // notation, which keeps the value, and so do we.
  }
  return exponent === 0 ? '' : `e${exponent}`
}

/** Quantity.String(): canonical form, e.g. 1.5 → "1500m", 1.5Gi → "1536Mi", 0.5 → "500m". */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached
  if (q.unscaled === 0n) return '0'
  let format = q.format
  if (format === 'BinarySI') {
    if (cmpMagnitude(q.unscaled, q.scale, -1024n, 0) > 0 && cmpMagnitude(q.unscaled, q.scale, 1024n, 0) < 0) {
      format = 'DecimalSI' // avoids rounding and hopefully confusion, too
    } else {
      const rounded = q.scale >= 0 ? q.unscaled * 10n ** BigInt(q.scale) : shrinkAwayFromZero(q.unscaled, -q.scale)
      const exact = q.scale >= 0 || rounded * 10n ** BigInt(-q.scale) === q.unscaled
      if (exact) {
        let amount = rounded
        let exp = 0
        while (amount % 1024n === 0n) { amount /= 1024n; exp += 10 }
        const suffix = BIN_BY_EXP.get(exp)
        if (suffix !== undefined || exp === 0) return `${amount}${suffix ?? ''}`
      }
      format = 'DecimalSI' // don't lose precision: show as DecimalSI
    }
  }
  const [amount, exponent] = canonicalBase10(q.unscaled, q.scale)
  return `${amount}${decimalSuffix(exponent, format)}`
}
