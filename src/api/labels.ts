/**
 * Label selectors, emulating k8s.io/apimachinery/pkg/labels (v1.32): Requirement and Selector
 * semantics, NewRequirement's validation messages, and metav1.LabelSelectorAsSelector /
 * FormatLabelSelector. The string parser lives in ./label-parser.ts. Pure, no I/O.
 */
import { aggregateMessage, type FieldError, goQuote, type GoRepr, invalid, notSupported } from './field-errors.ts'
import { isQualifiedName, isValidLabelValue } from './validation.ts'

/** selection.Operator values, spelled as upstream spells them. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt'

export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
const VALID_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!']

export interface Requirement {
  readonly key: string
  readonly operator: Operator
  readonly values: readonly string[]
}

export type Labels = Readonly<Record<string, string>> | undefined

export interface Selector {
  /** Requirements, sorted by key (an AND of all of them). */
  readonly requirements: readonly Requirement[]
  matches(labels: Labels): boolean
  /** True when the selector does not restrict anything (labels.Everything()). */
  empty(): boolean
  toString(): string
  /** The single value the selector requires for `key` (=, == or a one-value in), if any. */
  requiresExactMatch(key: string): string | undefined
}

/** An invalid selector; the message is upstream's error string. */
export class LabelSelectorError extends Error {
  override name = 'LabelSelectorError'
}

const INT64 = /^[+-]?[0-9]+$/
const MAX_INT64 = (1n << 63n) - 1n
/** strconv.ParseInt(s, 10, 64) */
function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined
  const v = BigInt(s)
  return v > MAX_INT64 || v < -MAX_INT64 - 1n ? undefined : v
}

/** Requirement.Matches */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key)
  const v = has ? labels![r.key] : ''
  switch (r.operator) {
    case 'in': case '=': case '==': return has && r.values.includes(v)
    case 'notin': case '!=': return !has || !r.values.includes(v)
    case 'exists': return has
    case '!': return !has
    case 'gt': case 'lt': {
      if (!has || r.values.length !== 1) return false
      const lv = parseInt64(v)
      const rv = parseInt64(r.values[0])
      if (lv === undefined || rv === undefined) return false
      return r.operator === 'gt' ? lv > rv : lv < rv
    }
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Requirement.String(): `!k`, `k`, `k=v`, `k in (a,b)` (values sorted on output only). */
export function requirementToString(r: Requirement): string {
  if (r.operator === '!') return `!${r.key}`
  if (r.operator === 'exists') return r.key
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(byString).join(',')
  switch (r.operator) {
    case 'in': return `${r.key} in (${values})`
    case 'notin': return `${r.key} notin (${values})`
    case 'gt': return `${r.key}>${values}`
    case 'lt': return `${r.key}<${values}`
    default: return `${r.key}${r.operator}${values}`
  }
}

class InternalSelector implements Selector {
  readonly requirements: readonly Requirement[]
  constructor(requirements: readonly Requirement[]) {
    this.requirements = [...requirements].sort((a, b) => byString(a.key, b.key))
  }
  matches(labels: Labels): boolean {
    // A loop, not every(): no closure per call (called per object per sync by every controller).
    for (let i = 0; i < this.requirements.length; i++) if (!requirementMatches(this.requirements[i], labels)) return false
    return true
  }
  empty(): boolean { return this.requirements.length === 0 }
  toString(): string { return this.requirements.map(requirementToString).join(',') }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find(x => x.key === key)
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0]
    return undefined
  }
}

const NOTHING: Selector = Object.freeze({
  requirements: [],
  matches: () => false,
  empty: () => false,
  toString: () => '',
  requiresExactMatch: () => undefined,
})

/** labels.Everything(): matches all label sets. */
export const everything = (): Selector => new InternalSelector([])
/** labels.Nothing(): matches no label set. */
export const nothing = (): Selector => NOTHING
/** A selector from requirements, sorted by key (labels.NewSelector().Add(...)). */
export const newSelector = (requirements: readonly Requirement[]): Selector => new InternalSelector(requirements)

/** labels.SelectorFromSet: exact matches for every pair; an empty set is Everything. */
export function selectorFromSet(set: Labels): Selector {
  return new InternalSelector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })))
}

/** How `%#v` prints the []string NewRequirement reports (nil when empty). */
const stringsRepr = (values: readonly string[]): GoRepr =>
  ({ goRepr: values.length === 0 ? '[]string(nil)' : `[]string{${values.map(goQuote).join(', ')}}` })

/**
 * labels.NewRequirement: validates the key, the operator/value-count combination and each
 * value, and throws a LabelSelectorError whose message is the aggregated field errors.
 * `path` prefixes the field paths (upstream's field.WithPath); unset gives `key`, `values[0][k]`.
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path = ''): Requirement {
  const at = (child: string): string => (path ? `${path}.${child}` : child)
  const errs: FieldError[] = []
  for (const msg of [isQualifiedName(key).join('; ')].filter(Boolean)) errs.push(invalid(at('key'), key, msg))
  const valuesPath = at('values')
  switch (operator) {
    case 'in': case 'notin':
      if (values.length === 0) errs.push(invalid(valuesPath, stringsRepr(values), "for 'in', 'notin' operators, values set can't be empty"))
      break
    case '=': case '==': case '!=':
      if (values.length !== 1) errs.push(invalid(valuesPath, stringsRepr(values), 'exact-match compatibility requires one single value'))
      break
    case 'exists': case '!':
      if (values.length !== 0) errs.push(invalid(valuesPath, stringsRepr(values), 'values set must be empty for exists and does not exist'))
      break
    case 'gt': case 'lt':
      if (values.length !== 1) errs.push(invalid(valuesPath, stringsRepr(values), "for 'Gt', 'Lt' operators, exactly one value is required"))
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalid(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"))
      })
      break
    default:
      errs.push(notSupported(at('operator'), operator, VALID_OPERATORS))
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v)
    if (msgs.length > 0) errs.push(invalid(`${valuesPath}[${i}][${key}]`, v, msgs.join('; ')))
  })
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs))
  return { key, operator, values: [...values] }
}

/** metav1.LabelSelector as it appears in object specs. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null
  matchExpressions?: Array<{ key: string, operator: string, values?: string[] | null }> | null
}

const EXPRESSION_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** `%#v` of a map[string]string (keys sorted, as fmt prints maps); nil when absent. */
export function goStringMap (m: Record<string, string> | null | undefined): GoRepr {
  if (m === null || m === undefined) return { goRepr: 'map[string]string(nil)' }
  return { goRepr: `map[string]string{${Object.keys(m).sort(byKey).map(k => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}` }
}

/**
 * `%#v` of a metav1.LabelSelector, as field.Invalid prints a selector (the pointer dereferenced):
 * `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
 */
export function goLabelSelector (sel: LabelSelector | null | undefined): GoRepr {
  if (sel === null || sel === undefined) return { goRepr: '"null"' }
  const strings = (v: readonly string[] | null | undefined): string => (v === null || v === undefined ? '[]string(nil)' : `[]string{${v.map(goQuote).join(', ')}}`)
  const exprs = sel.matchExpressions
  const expressions = exprs === null || exprs === undefined
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map(e => `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${strings(e.values)}}`).join(', ')}}`
  return { goRepr: `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels).goRepr}, MatchExpressions:${expressions}}` }
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, an empty selector selects
 * everything; invalid input throws LabelSelectorError with upstream's message.
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing()
  const matchLabels = Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) => byString(a, b))
  const expressions = ls.matchExpressions ?? []
  if (matchLabels.length + expressions.length === 0) return everything()
  const reqs = matchLabels.map(([k, v]) => newRequirement(k, '=', [v]))
  for (const expr of expressions) {
    const op = EXPRESSION_OPERATORS[expr.operator]
    if (!op) throw new LabelSelectorError(`${goQuote(String(expr.operator))} is not a valid pod selector operator`)
    reqs.push(newRequirement(expr.key, op, expr.values ?? []))
  }
  return new InternalSelector(reqs)
}

/** metav1.FormatLabelSelector: `app=web`, `<none>` when empty or null, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let s: string
  try {
    s = selectorFromLabelSelector(ls).toString()
  } catch {
    return '<error>'
  }
  return s.length === 0 ? '<none>' : s
}

export { parseLabelSelector } from './label-parser.ts'
