/**
 * The label selector string parser, a line-by-line port of the lexer and recursive-descent
 * parser in k8s.io/apimachinery/pkg/labels/selector.go (v1.32), so that odd inputs are accepted
 * or rejected, and reported, exactly as kube-apiserver does:
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
 *
 * e.g. `x in (foo,,baz),y,z notin ()`. Pure, no I/O.
 */
import { goQuote } from './field-errors.ts'
import { LabelSelectorError, newRequirement, newSelector, type Operator, type Requirement, type Selector, BINARY_OPERATORS } from './labels.ts'
import { isQualifiedName } from './validation.ts'

type Token =
  | 'Error' | 'EndOfString' | 'ClosedPar' | 'Comma' | 'DoesNotExist' | 'DoubleEquals' | 'Equals'
  | 'GreaterThan' | 'Identifier' | 'In' | 'LessThan' | 'NotEquals' | 'NotIn' | 'OpenPar'

const STRING_TO_TOKEN: Record<string, Token> = {
  ')': 'ClosedPar', ',': 'Comma', '!': 'DoesNotExist', '==': 'DoubleEquals', '=': 'Equals', '>': 'GreaterThan',
  in: 'In', '<': 'LessThan', '!=': 'NotEquals', notin: 'NotIn', '(': 'OpenPar',
}
const lookupToken = (s: string): Token | undefined => (Object.prototype.hasOwnProperty.call(STRING_TO_TOKEN, s) ? STRING_TO_TOKEN[s] : undefined)

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch !== ''
const END = '\0'

interface Item { tok: Token, lit: string }

/** The upstream Lexer: read() yields NUL at the end without advancing; unread() always steps back. */
class Lexer {
  private pos = 0
  private readonly s: string
  constructor(s: string) { this.s = s }
  private read(): string { return this.pos < this.s.length ? this.s[this.pos++] : END }
  private unread(): void { this.pos-- }

  private scanIDOrKeyword(): Item {
    let buffer = ''
    for (;;) {
      const ch = this.read()
      if (ch === END) break
      if (isSpecialSymbol(ch) || isWhitespace(ch)) { this.unread(); break }
      buffer += ch
    }
    return { tok: lookupToken(buffer) ?? 'Identifier', lit: buffer }
  }

  private scanSpecialSymbol(): Item {
    let last: Item | undefined
    let buffer = ''
    for (;;) {
      const ch = this.read()
      if (ch === END) break
      if (!isSpecialSymbol(ch)) { this.unread(); break }
      buffer += ch
      const tok = lookupToken(buffer)
      if (tok) last = { tok, lit: buffer }
      else if (last) { this.unread(); break }
    }
    return last ?? { tok: 'Error', lit: `error expected: keyword found '${buffer}'` }
  }

  lex(): Item {
    let ch = this.read()
    while (isWhitespace(ch)) ch = this.read()
    if (ch === END) return { tok: 'EndOfString', lit: '' }
    this.unread()
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword()
  }
}

type Context = 'KeyAndOperator' | 'Values'

class Parser {
  private readonly items: Item[] = []
  private position = 0
  constructor(selector: string) {
    const l = new Lexer(selector)
    for (;;) {
      const item = l.lex()
      this.items.push(item)
      if (item.tok === 'EndOfString') break
    }
  }

  /** In a Values context the literals `in` and `notin` are plain identifiers. */
  private adjust(item: Item, context: Context): Item {
    return context === 'Values' && (item.tok === 'In' || item.tok === 'NotIn') ? { tok: 'Identifier', lit: item.lit } : item
  }
  private lookahead(context: Context): Item { return this.adjust(this.items[this.position], context) }
  private consume(context: Context): Item { return this.adjust(this.items[this.position++], context) }

  parse(): Requirement[] {
    const requirements: Requirement[] = []
    for (;;) {
      const { tok, lit } = this.lookahead('Values')
      if (tok === 'Identifier' || tok === 'DoesNotExist') {
        let r: Requirement
        try {
          r = this.parseRequirement()
        } catch (e) {
          throw new LabelSelectorError(`unable to parse requirement: ${(e as Error).message}`)
        }
        requirements.push(r)
        const next = this.consume('Values')
        if (next.tok === 'EndOfString') return requirements
        if (next.tok !== 'Comma') throw new LabelSelectorError(`found '${next.lit}', expected: ',' or 'end of string'`)
        const after = this.lookahead('Values')
        if (after.tok !== 'Identifier' && after.tok !== 'DoesNotExist') {
          throw new LabelSelectorError(`found '${after.lit}', expected: identifier after ','`)
        }
      } else if (tok === 'EndOfString') {
        return requirements
      } else {
        throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`)
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator()
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, [])
    const op = this.parseOperator()
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue()
    return newRequirement(key, op, [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  private parseKeyAndInferOperator(): { key: string, operator: Operator | '' } {
    let operator: Operator | '' = ''
    let item = this.consume('Values')
    if (item.tok === 'DoesNotExist') {
      operator = '!'
      item = this.consume('Values')
    }
    if (item.tok !== 'Identifier') throw new Error(`found '${item.lit}', expected: identifier`)
    const errs = isQualifiedName(item.lit)
    // validateLabelKey with the parser's nil path, which field.Path prints as "<nil>"
    if (errs.length > 0) throw new Error(`<nil>: Invalid value: ${goQuote(item.lit)}: ${errs.join('; ')}`)
    const t = this.lookahead('Values').tok
    if ((t === 'EndOfString' || t === 'Comma') && operator !== '!') operator = 'exists'
    return { key: item.lit, operator }
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume('KeyAndOperator')
    const ops: Partial<Record<Token, Operator>> = {
      In: 'in', Equals: '=', DoubleEquals: '==', GreaterThan: 'gt', LessThan: 'lt', NotIn: 'notin', NotEquals: '!=',
    }
    const op = ops[tok]
    if (!op) throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`)
    return op
  }

  /** `(a,b)`; empty members and `()` both mean the empty string. */
  private parseValues(): Set<string> {
    const open = this.consume('Values')
    if (open.tok !== 'OpenPar') throw new Error(`found '${open.lit}' expected: '('`)
    const { tok, lit } = this.lookahead('Values')
    if (tok === 'Identifier' || tok === 'Comma') {
      const s = this.parseIdentifiersList()
      if (this.consume('Values').tok !== 'ClosedPar') throw new Error(`found '${lit}', expected: ')'`)
      return s
    }
    if (tok === 'ClosedPar') {
      this.consume('Values')
      return new Set([''])
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`)
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>()
    for (;;) {
      const { tok, lit } = this.consume('Values')
      if (tok === 'Identifier') {
        s.add(lit)
        const next = this.lookahead('Values')
        if (next.tok === 'Comma') continue
        if (next.tok === 'ClosedPar') return s
        throw new Error(`found '${next.lit}', expected: ',' or ')'`)
      } else if (tok === 'Comma') {
        if (s.size === 0) s.add('') // handles "(,"
        const next = this.lookahead('Values').tok
        if (next === 'ClosedPar') { s.add(''); return s } // handles ",)"
        if (next === 'Comma') { this.consume('Values'); s.add('') } // handles ",,"
      } else {
        throw new Error(`found '${lit}', expected: ',', or identifier`)
      }
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead('Values').tok
    if (t === 'EndOfString' || t === 'Comma') return new Set([''])
    const { tok, lit } = this.consume('Values')
    if (tok === 'Identifier') return new Set([lit])
    throw new Error(`found '${lit}', expected: identifier`)
  }
}

/**
 * labels.Parse: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`,
 * comma-joined (AND). The empty string selects everything. Throws LabelSelectorError.
 */
export function parseLabelSelector(selector: string): Selector {
  return newSelector(new Parser(selector).parse())
}
