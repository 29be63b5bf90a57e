import assert from 'node:assert/strict'
import {
  formatLabelSelector, type LabelSelector, newRequirement, parseLabelSelector, selectorFromLabelSelector, selectorFromSet,
} from '../../src/api/labels.ts'

const KEY_NAME_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

describe('labels', () => {
  describe('parseLabelSelector (labels.Parse) and String()', () => {
    const cases: Array<[string, string, string]> = [
      ['k=v is an equality', 'app=web', 'app=web'],
      ['k==v keeps its double equals', 'app==web', 'app==web'],
      ['k!=v is an inequality', 'app!=web', 'app!=web'],
      ['a bare key means exists', 'app', 'app'],
      ['!k means does not exist', '!app', '!app'],
      ['requirements are sorted by key', 'tier=fe,app=web', 'app=web,tier=fe'],
      ['in values are sorted and deduplicated', 'env in (qa,prod,qa)', 'env in (prod,qa)'],
      ['whitespace around tokens is ignored', '  env in ( prod , qa ) ,  app = web ', 'app=web,env in (prod,qa)'],
      ['empty members of a set are the empty string', 'x in (foo,,baz)', 'x in (,baz,foo)'],
      ['() is the set of the empty string', 'z notin ()', 'z notin ()'],
      ['k= matches the empty value', 'app=', 'app='],
      ['in and notin are values inside parentheses', 'in in (in,notin)', 'in in (in,notin)'],
      ['gt and lt compare integers', 'a>1,b<2', 'a>1,b<2'],
      ['an empty selector selects everything', '', ''],
      ['a prefixed key is accepted', 'example.com/app=web', 'example.com/app=web'],
    ]
    for (const [spec, input, out] of cases) {
      it(spec, () => assert.equal(parseLabelSelector(input).toString(), out))
    }
  })

  describe('parse errors read as upstream reports them', () => {
    const cases: Array<[string, string, string]> = [
      ['a trailing comma wants another identifier', 'a,', "found '', expected: identifier after ','"],
      ['a leading comma is not a requirement', ',a', "found ',', expected: !, identifier, or 'end of string'"],
      ['two identifiers need an operator', 'a b', 'unable to parse requirement: found \'b\', expected: in, notin, =, ==, !=, gt, lt'],
      ['an invalid key is reported against a nil path', '-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${KEY_NAME_ERR}`],
      ['an invalid value is reported against values[0][key]', 'a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${VALUE_ERR}`],
      ['in needs parentheses', 'a in b', "unable to parse requirement: found 'b' expected: '('"],
      ['an unclosed set is an error', 'a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['gt needs an integer', 'a>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
      ['a second = after a value is unexpected', 'a=b=c', "found '=', expected: ',' or 'end of string'"],
      ['!k cannot take a value', '!a=b', "found '=', expected: ',' or 'end of string'"],
      ['a value cannot be parenthesised', 'a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ]
    for (const [spec, input, message] of cases) {
      it(spec, () => assert.throws(() => parseLabelSelector(input), { message }))
    }
  })

  describe('matches', () => {
    const labels = { app: 'web', env: 'prod', n: '5' }
    const cases: Array<[string, string, boolean]> = [
      ['equality matches the same value', 'app=web', true],
      ['equality fails on another value', 'app=db', false],
      ['inequality matches a missing key', 'zone!=a', true],
      ['notin matches a missing key', 'zone notin (a)', true],
      ['in fails on a missing key', 'zone in (a)', false],
      ['exists needs the key', 'app', true],
      ['does-not-exist refuses the key', '!app', false],
      ['comma is AND', 'app=web,env=qa', false],
      ['gt compares numerically', 'n>10', false],
      ['lt compares numerically', 'n<10', true],
      ['gt fails on a non-integer label value', 'app>1', false],
    ]
    for (const [spec, sel, want] of cases) {
      it(spec, () => assert.equal(parseLabelSelector(sel).matches(labels), want))
    }
    it('undefined labels are an empty set', () => {
      assert.equal(parseLabelSelector('!app').matches(undefined), true)
      assert.equal(parseLabelSelector('app').matches(undefined), false)
    })
  })

  describe('selectorFromLabelSelector (metav1.LabelSelectorAsSelector)', () => {
    const cases: Array<[string, LabelSelector | null | undefined, string, Record<string, string>, boolean]> = [
      ['matchLabels become sorted equalities', { matchLabels: { tier: 'fe', app: 'web' } }, 'app=web,tier=fe', { app: 'web', tier: 'fe' }, true],
      ['In becomes in', { matchExpressions: [{ key: 'env', operator: 'In', values: ['qa', 'prod'] }] }, 'env in (prod,qa)', { env: 'qa' }, true],
      ['NotIn becomes notin', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa'] }] }, 'env notin (qa)', { env: 'qa' }, false],
      ['Exists becomes a bare key', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, 'env', {}, false],
      ['DoesNotExist becomes !key', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, '!env', {}, true],
      ['an empty selector matches everything', {}, '', { any: 'thing' }, true],
      ['a null selector matches nothing', null, '', {}, false],
    ]
    for (const [spec, ls, str, labels, want] of cases) {
      it(spec, () => {
        const sel = selectorFromLabelSelector(ls)
        assert.equal(sel.toString(), str)
        assert.equal(sel.matches(labels), want)
      })
    }
    const errors: Array<[string, LabelSelector, string]> = [
      ['In without values is invalid', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
      ['Exists with values is invalid', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
        'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
      ['an unknown operator is named', { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid pod selector operator'],
      ['an invalid key is reported against key', { matchLabels: { '-a': 'b' } }, `key: Invalid value: "-a": ${KEY_NAME_ERR}`],
      ['several problems aggregate in brackets', { matchExpressions: [{ key: '-a', operator: 'In', values: [] }] },
        `[key: Invalid value: "-a": ${KEY_NAME_ERR}, values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]`],
    ]
    for (const [spec, ls, message] of errors) {
      it(spec, () => assert.throws(() => selectorFromLabelSelector(ls), { message }))
    }
  })

  describe('formatLabelSelector (metav1.FormatLabelSelector)', () => {
    const cases: Array<[string, LabelSelector | null | undefined, string]> = [
      ['a selector prints as its string', { matchLabels: { app: 'web' } }, 'app=web'],
      ['an empty selector prints <none>', {}, '<none>'],
      ['a null selector prints <none>', null, '<none>'],
      ['an invalid selector prints <error>', { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '<error>'],
      ['expressions and labels print together, sorted by key', { matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['z', 'y'] }] }, 'a notin (y,z),b=1'],
    ]
    for (const [spec, ls, want] of cases) it(spec, () => assert.equal(formatLabelSelector(ls), want))
  })

  it('selectorFromSet selects exactly the set, and an empty set selects everything', () => {
    assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2')
    assert.equal(selectorFromSet({}).matches({ x: 'y' }), true)
  })

  it('newRequirement refuses an unsupported operator with the supported list', () => {
    assert.throws(() => newRequirement('a', 'bogus' as never, []), {
      message: 'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    })
  })

  it('requiresExactMatch reports the single required value', () => {
    const sel = parseLabelSelector('app=web,env in (prod),tier in (a,b)')
    assert.equal(sel.requiresExactMatch('app'), 'web')
    assert.equal(sel.requiresExactMatch('env'), 'prod')
    assert.equal(sel.requiresExactMatch('tier'), undefined)
  })
})
