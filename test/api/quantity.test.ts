import assert from 'node:assert/strict'
import {
  addQuantities, compareQuantities, ERR_FORMAT_WRONG, ERR_SUFFIX, formatQuantity, milliValue, newMilliQuantity,
  newQuantity, parseQuantity, value,
} from '../../src/api/quantity.ts'

describe('quantity', () => {
  describe('parseQuantity then formatQuantity (resource.ParseQuantity + Quantity.String)', () => {
    const cases: Array<[string, string, string]> = [
      // [spec, input, canonical]
      ['milli-units stay milli', '100m', '100m'],
      ['a decimal fraction becomes milli', '1.5', '1500m'],
      ['0.5 becomes 500m', '0.5', '500m'],
      ['0.1 becomes 100m (a leading zero is never reused)', '0.1', '100m'],
      ['1000m is reduced to 1', '1000m', '1'],
      ['binary suffixes are kept', '2Gi', '2Gi'],
      ['500Mi stays 500Mi', '500Mi', '500Mi'],
      ['1536Mi stays 1536Mi (not a whole Gi)', '1536Mi', '1536Mi'],
      ['1.5Gi is rewritten as 1536Mi', '1.5Gi', '1536Mi'],
      ['1024Mi is rewritten as 1Gi', '1024Mi', '1Gi'],
      ['a binary value under 1024 prints as a plain decimal', '0.5Ki', '512'],
      ['a plain integer stays as written', '128974848', '128974848'],
      ['decimal SI suffixes are kept', '129M', '129M'],
      ['1k is a kilo', '1k', '1k'],
      ['an exponent already a multiple of 3 is reused verbatim: 1e3 stays 1e3', '1e3', '1e3'],
      ['an exponent is lowered to a multiple of 3', '1e4', '10e3'],
      ['a fractional mantissa with an exponent is resolved', '1.5e3', '1500'],
      ['1.2345 keeps its precision as micro-units', '1.2345', '1234500u'],
      ['values below nano round up to 1n', '0.9n', '1n'],
      ['1.5n rounds away from zero to 2n', '1.5n', '2n'],
      ['tiny exponents round up to the nano minimum', '1e-10', '1e-9'],
      ['a binary quantity is capped at 2^63-1', '8Ei', '9223372036854775807'],
      ['decimals are not capped', '18446744073709551616', '18446744073709551616'],
      ['negative values keep their sign', '-100m', '-100m'],
      ['negative binary fractions resolve exactly', '-1.5Gi', '-1536Mi'],
      ['a canonical input with a + sign is reused as written', '+1', '+1'],
      ['zero written as 0.0 prints as 0', '0.0', '0'],
      ['zero with a suffix prints as 0', '0Ki', '0'],
      ['the scanner accepts a bare suffix as zero', 'm', '0'],
      ['E is exa, not an exponent', '1E', '1E'],
    ]
    for (const [spec, input, canonical] of cases) {
      it(spec, () => assert.equal(formatQuantity(parseQuantity(input)), canonical))
    }
  })

  describe('upstream TestQuantityString table: canonical strings are reused, alternates canonicalise', () => {
    const table: Array<[string, string]> = [
      ['1Gi', '1024Mi'], ['300Mi', '307200Ki'], ['6Ki', ''], ['1001Gi', '1025024Mi'], ['1Ti', '1024Gi'], ['5', '5000m'],
      ['500m', '0.5'], ['1G', '1000M'], ['1G', '0.001T'], ['1m', '1000u'], ['80m', ''], ['1080m', '1.08'],
      ['1080m', '1080000000n'], ['300M', ''], ['1T', ''], ['1234567M', ''], ['1234567m', ''], ['3k', ''], ['1025', ''],
      ['0', ''], ['1e9', '.001e12'], ['1e-3', '0.001e0'], ['1e-9', '1000e-12'], ['80e-3', ''], ['300e6', ''], ['1e12', ''],
      ['3e3', ''], ['0', '00'], ['1n', ''], ['80n', ''], ['1080n', ''], ['1u', ''], ['80u', ''], ['1080u', ''],
    ]
    for (const [canonical, alternate] of table) {
      it(`${canonical} is kept verbatim${alternate ? ` and ${alternate} prints as ${canonical}` : ''}`, () => {
        assert.equal(parseQuantity(canonical).cached, canonical)
        if (alternate) {
          assert.equal(parseQuantity(alternate).cached, undefined)
          assert.equal(formatQuantity(parseQuantity(alternate)), canonical)
        }
        if (canonical !== '0') assert.equal(formatQuantity(parseQuantity(`-${alternate || canonical}`)), `-${canonical}`)
      })
    }
    const emit: Array<[string, string]> = [
      ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
    ]
    for (const [input, want] of emit) {
      it(`TestQuantityParseEmit: ${input} prints as ${want}`, () => assert.equal(formatQuantity(parseQuantity(input)), want))
    }
  })

  describe('parse errors carry upstream messages', () => {
    const cases: Array<[string, string, string]> = [
      ['capital K is not a suffix (no case folding)', '1K', ERR_SUFFIX],
      ['an empty string does not match the format', '', ERR_FORMAT_WRONG],
      ['a lone e is not an exponent', '1e', ERR_SUFFIX],
      ['letters only do not match the format', 'abc', ERR_FORMAT_WRONG],
      ['two decimal points do not match the format', '1.2.3', ERR_FORMAT_WRONG],
      ['digits after a binary suffix are not a suffix', '1Mi3', ERR_SUFFIX],
      ['leading whitespace does not match the format', ' 1', ERR_FORMAT_WRONG],
    ]
    for (const [spec, input, message] of cases) {
      it(spec, () => assert.throws(() => parseQuantity(input), { message }))
    }
    it('the format message quotes the regular expression', () => {
      assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    })
  })

  describe('milliValue and value round up (Quantity.MilliValue / Value)', () => {
    const cases: Array<[string, string, number, number]> = [
      ['100m is 100 milli and rounds up to 1', '100m', 100, 1],
      ['1.5 is 1500 milli and rounds up to 2', '1.5', 1500, 2],
      ['2Gi is exact', '2Gi', 2147483648000, 2147483648],
      ['1.2345 rounds up at milli precision', '1.2345', 1235, 2],
      ['1n is one milli after rounding up', '1n', 1, 1],
      ['-100m rounds away from zero on the int64 path', '-100m', -100, -1],
      ['-1.5Gi is exact even on the inf.Dec path', '-1.5Gi', -1610612736000, -1610612736],
    ]
    for (const [spec, input, milli, whole] of cases) {
      it(spec, () => {
        const q = parseQuantity(input)
        assert.equal(milliValue(q), milli)
        assert.equal(value(q), whole)
      })
    }
  })

  describe('addQuantities and compareQuantities', () => {
    it('adding 100m and 900m gives 1', () => {
      assert.equal(formatQuantity(addQuantities(parseQuantity('100m'), parseQuantity('900m'))), '1')
    })
    it('the sum keeps the format of the first operand: 1Gi + 512Mi is 1536Mi', () => {
      assert.equal(formatQuantity(addQuantities(parseQuantity('1Gi'), parseQuantity('512Mi'))), '1536Mi')
    })
    it('adding to zero takes the format of the other operand', () => {
      assert.equal(formatQuantity(addQuantities(newMilliQuantity(0), parseQuantity('1Ki'))), '1Ki')
    })
    it('a sum does not reuse the inputs\' strings', () => {
      assert.equal(formatQuantity(addQuantities(parseQuantity('1e3'), parseQuantity('1e3'))), '2e3')
    })
    const cmp: Array<[string, string, string, number]> = [
      ['1 equals 1000m', '1', '1000m', 0],
      ['1Ki is more than 1k', '1Ki', '1k', 1],
      ['500m is less than 1', '500m', '1', -1],
      ['-1 is less than 0', '-1', '0', -1],
      ['a huge exponent compares without overflow', '1e300', '8Ei', 1],
    ]
    for (const [spec, a, b, want] of cmp) {
      it(spec, () => assert.equal(compareQuantities(parseQuantity(a), parseQuantity(b)), want))
    }
  })

  it('newMilliQuantity and newQuantity format as upstream\'s TestMilliNewSet / TestNewSet', () => {
    assert.equal(formatQuantity(newMilliQuantity(1500)), '1500m')
    assert.equal(formatQuantity(newMilliQuantity(2000)), '2')
    assert.equal(formatQuantity(newMilliQuantity(1024, 'BinarySI')), '1024m')
    assert.equal(formatQuantity(newQuantity(1234000)), '1234k')
    assert.equal(formatQuantity(newQuantity(1024 * 1024, 'BinarySI')), '1Mi')
  })
})
