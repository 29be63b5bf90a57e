import assert from 'node:assert/strict'
import { attributesOf } from '../../../src/apiserver/schemas/models.ts'
import { NAMED, goModelType, goStructName } from '../../../src/apiserver/schemas/go-types.ts'
import { formatGoTime, goBase64Decode, goFloat, goFormat, goNormalizeTime, goParseTime, goParseTimeGeneral } from '../../../src/apiserver/schemas/go-values.ts'

describe('schemas/go-values base64.StdEncoding.Decode', () => {
  const cases: Array<[string, string]> = [
    ['YWJj', 'abc'], ['YWI=', 'ab'], ['YQ==', 'a'], ['', ''], ['YWJj\r\nZA==\n', 'abcd'], ['YR==', 'a'], ['YWJ=', 'ab'],
    ['not base64!!', 'illegal base64 data at input byte 3'],
    ['YWJ', 'illegal base64 data at input byte 0'],
    ['YWJjZ', 'illegal base64 data at input byte 4'],
    ['YQ=', 'illegal base64 data at input byte 3'],
    ['YQ=a', 'illegal base64 data at input byte 2'],
    ['YQ==YQ==', 'illegal base64 data at input byte 4'],
    ['=', 'illegal base64 data at input byte 0'],
    ['Y===', 'illegal base64 data at input byte 1'],
    ['YWJjé', 'illegal base64 data at input byte 4'],
    ['YWJj-_', 'illegal base64 data at input byte 4'],
  ]
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      const r = goBase64Decode(input)
      assert.equal(r.ok ? Buffer.from(r.value).toString('utf8') : r.error, want)
    })
  }
})

describe('schemas/go-values time.Parse(RFC3339)', () => {
  const L = '"2006-01-02T15:04:05Z07:00"'
  const cases: Array<[string, string, boolean?]> = [
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['2024-02-29T23:59:59-01:30', '2024-03-01T01:29:59Z'],
    ['2024-01-01T00:00:00.999999999Z', '2024-01-01T00:00:00Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
    ['x', `parsing time "x" as ${L}: cannot parse "x" as "2006"`],
    ['24-01-01T00:00:00Z', `parsing time "24-01-01T00:00:00Z" as ${L}: cannot parse "24-01-01T00:00:00Z" as "2006"`],
    ['2024-01-01', `parsing time "2024-01-01" as ${L}: cannot parse "" as "T"`],
    ['2024-1-01T00:00:00Z', `parsing time "2024-1-01T00:00:00Z" as ${L}: cannot parse "1-01T00:00:00Z" as "01"`],
    ['2024-01-01 00:00:00Z', `parsing time "2024-01-01 00:00:00Z" as ${L}: cannot parse " 00:00:00Z" as "T"`],
    ['2024-01-01T00:00:00', `parsing time "2024-01-01T00:00:00" as ${L}: cannot parse "" as "Z07:00"`],
    ['2024-01-01T00:00:00+0100', `parsing time "2024-01-01T00:00:00+0100" as ${L}: cannot parse "+0100" as "Z07:00"`],
    ['2024-13-01T00:00:00Z', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ['2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ['2024-01-01T24:00:00Z', 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    ['2024-01-01T00:60:00Z', 'parsing time "2024-01-01T00:60:00Z": minute out of range'],
    ['2024-01-01T00:00:60Z', 'parsing time "2024-01-01T00:00:60Z": second out of range'],
    ['2024-01-01T00:00:00+25:00', 'parsing time "2024-01-01T00:00:00+25:00": time zone offset hour out of range'],
    ['2024-01-01T00:00:00Zjunk', 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    ['2024-01-01T00:00:00Z\u00e9', 'parsing time "2024-01-01T00:00:00Z\\xc3\\xa9": extra text: "\\xc3\\xa9"'],
    ['2024-01-01T00:00:00.123456Z', '2024-01-01T00:00:00.123456Z', true],
    ['2024-01-01T00:00:00.1234567Z', 'parsing time "2024-01-01T00:00:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as "Z07:00"', true],
    ['2024-01-01T00:00:00.12Z', 'parsing time "2024-01-01T00:00:00.12Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".12Z" as ".000000"', true],
  ]
  for (const [input, want, micro] of cases) {
    it(`${micro === true ? 'RFC3339Micro ' : ''}${input}`, () => {
      const r = goParseTime(input, micro)
      assert.equal(r.ok ? formatGoTime(r.value, micro) : r.error, want)
    })
  }

  it('reads and normalizes 50,000 near-canonical timestamps exactly as the general parser does (the canonical shortcut)', () => {
    // Random digits in every field (out-of-range months, days, hours included), years from 0000,
    // leap days, with and without six fraction digits, parsed as RFC3339 and as RFC3339Micro.
    let seed = 7
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n }
    const two = (max: number): string => String(rand(max)).padStart(2, '0')
    let shortcut = 0
    for (let i = 0; i < 50_000; i++) {
      const year = [String(rand(10_000)).padStart(4, '0'), '2024', '2100', '2000', '0099', '0100'][rand(6)]
      const frac = rand(3) === 0 ? '' : `.${String(rand(1_000_000)).padStart(6, '0')}`
      const s = `${year}-${two(14)}-${rand(4) === 0 ? '29' : two(33)}T${two(26)}:${two(62)}:${two(62)}${frac}Z`
      for (const micro of [false, true]) {
        const fast = goParseTime(s, micro)
        const general = goParseTimeGeneral(s, micro)
        assert.deepEqual(fast, general, `${s} (micro ${micro})`)
        // Normalizing (parse, marshal again) gives the general parser's answer, formatted.
        assert.deepEqual(goNormalizeTime(s, micro), general.ok ? { ok: true, value: formatGoTime(general.value, micro) } : general, `normalize ${s} (micro ${micro})`)
        if (fast.ok) shortcut++
      }
    }
    assert.ok(shortcut > 10_000, `only ${shortcut} parsed: the generator misses the canonical form`)
  })
})

describe('schemas/go-values fmt %+v', () => {
  it('formats decoded JSON as Go prints map[string]interface{}', () => {
    assert.equal(goFormat({ b: 1, a: [1, 'x y', true, null], c: { d: 1.5 } }), 'map[a:[1 x y true <nil>] b:1 c:map[d:1.5]]')
    assert.equal(goFormat({}), 'map[]')
  })
  it('formats floats as %v does', () => {
    assert.deepEqual([1.5, 123456.7, 1234567.5, 0.0001, 0.00001, 1e21 + 0.5].map(goFloat), ['1.5', '123456.7', '1.2345675e+06', '0.0001', '1e-05', '1e+21'])
  })
})

describe('schemas/go-types', () => {
  it('names models as Go does', () => {
    assert.deepEqual(['V1Container', 'CoreV1EventSeries', 'V2HorizontalPodAutoscalerSpec', 'V1beta1DeviceClass'].map(goModelType), ['v1.Container', 'v1.EventSeries', 'v2.HorizontalPodAutoscalerSpec', 'v1beta1.DeviceClass'])
    assert.equal(goStructName('EventsV1EventSeries'), 'EventSeries')
  })
  it('names only fields the models have', () => {
    for (const [model, fields] of Object.entries(NAMED)) {
      const attrs = attributesOf(model)
      assert.ok(attrs !== undefined, `no model ${model}`)
      for (const f of Object.keys(fields)) assert.ok(attrs.some(a => a.json === f), `no field ${model}.${f}`)
    }
  })
})
