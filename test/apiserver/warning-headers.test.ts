// The Warning headers of a response, as kube-apiserver's warning recorder writes them.
import assert from 'node:assert/strict'
import { warningHeaders } from '../../src/apiserver/http/warnings.ts'

describe('Warning headers', () => {
  it('writes one 299 header per distinct warning, quoted as Go quotes', () => {
    assert.deepEqual(warningHeaders(['unknown field "foo"', 'b', 'unknown field "foo"', '']), ['299 - "unknown field \\"foo\\""', '299 - "b"'])
  })

  it('sends non-ASCII text as its UTF-8 bytes, and skips text with control characters', () => {
    assert.deepEqual(warningHeaders(['naïve 中', 'line\nbreak']), [Buffer.from('299 - "naïve 中"', 'utf8').toString('latin1')])
  })

  it('past 4,096 runes, cuts every warning to 256 runes and drops what no longer fits', () => {
    const long = (c: string): string => c.repeat(1000)
    const headers = warningHeaders([long('a'), long('b'), long('c'), long('d'), long('e'), 'short'])
    assert.deepEqual(headers, [long('a'), long('b'), long('c'), long('d'), long('e'), 'short'].map(w => `299 - "${w.slice(0, 256)}"`))
    const many = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(300, 'x'))
    const cut = warningHeaders(many)
    // 13 warnings of 300 runes fit; the 14th starts the cut, 16 of 256 fill 4,096, the rest are dropped.
    assert.equal(cut.length, 16)
    assert.ok(cut.every(h => h.length === '299 - ""'.length + 256))
  })
})
