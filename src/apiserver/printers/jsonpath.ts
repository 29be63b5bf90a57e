// The subset of k8s.io/client-go/util/jsonpath that CRD additionalPrinterColumns use ("simple"
// JSONPath, validated by the apiextensions apiserver): `.a.b`, escaped dots (`.a.kubernetes\.io/x`),
// `['key']`, `[0]`, `[-1]`, `[*]`, `.*`, and filters `[?(@.type=="Ready")]`, `[?(@.x)]`. Missing
// keys yield no results (AllowMissingKeys(true)), never an error.

type Step =
  | { kind: 'field', name: string }
  | { kind: 'index', index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter', path: Step[], op?: string, literal?: unknown }

export type CompiledPath = Step[]

/** Parses a column's jsonPath (without the `{}` upstream wraps around it); throws when unsupported. */
export function compileJSONPath (source: string): CompiledPath {
  let s = source.trim()
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim()
  if (s.startsWith('$')) s = s.slice(1)
  const { steps, rest } = parseSteps(s)
  if (rest !== '') throw new Error(`unrecognized JSONPath ${JSON.stringify(source)}`)
  return steps
}

function parseSteps (input: string): { steps: Step[], rest: string } {
  const steps: Step[] = []
  let s = input
  while (s.length > 0) {
    if (s.startsWith('..')) throw new Error('recursive descent is not supported')
    if (s.startsWith('.')) {
      s = s.slice(1)
      if (s.startsWith('*')) { steps.push({ kind: 'wildcard' }); s = s.slice(1); continue }
      let name = ''
      while (s.length > 0 && s[0] !== '.' && s[0] !== '[' && s[0] !== ')' && s[0] !== ' ' && !/^[=!<>]/.test(s)) {
        if (s.startsWith('\\.')) { name += '.'; s = s.slice(2) } else { name += s[0]; s = s.slice(1) }
      }
      if (name === '') throw new Error('empty field name')
      steps.push({ kind: 'field', name })
    } else if (s.startsWith('[')) {
      const close = findClose(s)
      const inner = s.slice(1, close).trim()
      s = s.slice(close + 1)
      steps.push(parseBracket(inner))
    } else {
      break
    }
  }
  return { steps, rest: s }
}

/** Index of the `]` closing the bracket at s[0], skipping quoted strings and nested brackets. */
function findClose (s: string): number {
  let depth = 0
  let quote = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (quote !== '') { if (c === quote) quote = ''; continue }
    if (c === '"' || c === "'") quote = c
    else if (c === '[') depth++
    else if (c === ']' && --depth === 0) return i
  }
  throw new Error('unterminated [')
}

function parseBracket (inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' }
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) }
  const quoted = /^(['"])(.*)\1$/.exec(inner)
  if (quoted !== null) return { kind: 'field', name: quoted[2] }
  const filter = /^\?\((.*)\)$/s.exec(inner)
  if (filter === null) throw new Error(`unsupported subscript [${inner}]`)
  const expr = filter[1].trim()
  if (!expr.startsWith('@')) throw new Error('filters must start with @')
  const { steps, rest } = parseSteps(expr.slice(1))
  const tail = rest.trim()
  if (tail === '') return { kind: 'filter', path: steps }
  const m = /^(==|!=|<=|>=|<|>)\s*(.+)$/.exec(tail)
  if (m === null) throw new Error(`unsupported filter ${expr}`)
  return { kind: 'filter', path: steps, op: m[1], literal: parseLiteral(m[2].trim()) }
}

function parseLiteral (text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text)
  if (quoted !== null) return quoted[2]
  if (text === 'true' || text === 'false') return text === 'true'
  if (text === 'null') return null
  const n = Number(text)
  if (Number.isNaN(n)) throw new Error(`unsupported literal ${text}`)
  return n
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function compare (left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case '==': return left === right
    case '!=': return left !== right
  }
  if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) return false
  const l = left as number | string
  const r = right as number | string
  switch (op) {
    case '<': return l < r
    case '>': return l > r
    case '<=': return l <= r
    default: return l >= r
  }
}

/** Every value the path selects, in document order. */
export function findResults (path: CompiledPath, data: unknown): unknown[] {
  let current: unknown[] = [data]
  for (const step of path) {
    const next: unknown[] = []
    for (const value of current) {
      switch (step.kind) {
        case 'field':
          if (isObject(value) && step.name in value) next.push(value[step.name])
          break
        case 'index':
          if (Array.isArray(value)) {
            const i = step.index < 0 ? value.length + step.index : step.index
            if (i >= 0 && i < value.length) next.push(value[i])
          }
          break
        case 'wildcard':
          if (Array.isArray(value)) next.push(...value)
          else if (isObject(value)) next.push(...Object.keys(value).sort().map(k => value[k]))
          break
        case 'filter': {
          const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : []
          for (const item of items) {
            const found = findResults(step.path, item)
            if (step.op === undefined ? found.length > 0 : found.length > 0 && compare(found[0], step.op, step.literal)) next.push(item)
          }
          break
        }
      }
    }
    current = next
  }
  return current
}
