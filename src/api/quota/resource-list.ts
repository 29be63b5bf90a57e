/**
 * ResourceLists as quota arithmetic uses them (k8s.io/apiserver/pkg/quota/v1/resources.go):
 * resource name → Quantity, added, subtracted, masked and compared exactly. Pure, no I/O.
 */
import { addQuantities, compareQuantities, formatQuantity, isZeroQuantity, parseQuantity, type Quantity } from '../quantity.ts'

export type ResourceList = Map<string, Quantity>

/** A stored `{name: "quantity"}` map as a ResourceList (throws QuantityParseError on a malformed one). */
export function resourceList (rl: unknown): ResourceList {
  const out: ResourceList = new Map()
  if (rl !== null && typeof rl === 'object') for (const [k, v] of Object.entries(rl)) out.set(k, parseQuantity(String(v)))
  return out
}

/** The list as the API writes it: canonical quantity strings, keys sorted (Go's map encoding). */
export function toJsonList (list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of [...list.keys()].sort()) out[k] = formatQuantity(list.get(k)!)
  return out
}

export function zero (): Quantity {
  return { unscaled: 0n, scale: 0, format: 'DecimalSI', big: false }
}

export function one (): Quantity {
  return { unscaled: 1n, scale: 0, format: 'DecimalSI', big: false }
}

export function quantityOf (n: number): Quantity {
  return { unscaled: BigInt(n), scale: 0, format: 'DecimalSI', big: false }
}

function negate (q: Quantity): Quantity {
  return { unscaled: -q.unscaled, scale: q.scale, format: q.format, big: q.big }
}

/** quota.Add: every key of either; sums where both have it. */
export function add (a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a)
  for (const [k, q] of b) {
    const cur = out.get(k)
    out.set(k, cur === undefined ? q : addQuantities(cur, q))
  }
  return out
}

/** quota.SubtractWithNonNegativeResult: a − b per key of a (b's other keys ignored), never below zero. */
export function subtractNonNegative (a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map()
  for (const [k, q] of a) {
    const other = b.get(k)
    let v = other === undefined ? q : addQuantities(q, negate(other))
    if (v.unscaled < 0n) v = zero()
    out.set(k, v)
  }
  return out
}

/** quota.Mask: only the keys in `names`. */
export function mask (list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map()
  for (const k of names) {
    const q = list.get(k)
    if (q !== undefined) out.set(k, q)
  }
  return out
}

/** quota.RemoveZeros */
export function removeZeros (list: ResourceList): ResourceList {
  const out: ResourceList = new Map()
  for (const [k, q] of list) if (!isZeroQuantity(q)) out.set(k, q)
  return out
}

/** quota.IsNegative: the names with a negative quantity. */
export function negativeNames (list: ResourceList): string[] {
  return [...list].filter(([, q]) => q.unscaled < 0n).map(([k]) => k)
}

/** quota.Equals: the same keys with equal quantities. */
export function equals (a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false
  for (const [k, q] of a) {
    const other = b.get(k)
    if (other === undefined || compareQuantities(q, other) !== 0) return false
  }
  return true
}

/**
 * quota.LessThanOrEqual: whether every key of `a` that `b` has is ≤ b's, and the keys that are
 * not (sorted, as the messages name them).
 */
export function exceeded (a: ResourceList, b: ResourceList): string[] {
  const out: string[] = []
  for (const [k, q] of a) {
    const limit = b.get(k)
    if (limit !== undefined && compareQuantities(q, limit) > 0) out.push(k)
  }
  return out.sort()
}

/** The quota admission's prettyPrint: `requests.cpu=1,requests.memory=1Gi`, names sorted. */
export function prettyPrint (list: ResourceList): string {
  return [...list.keys()].sort().map(k => `${k}=${formatQuantity(list.get(k)!)}`).join(',')
}
