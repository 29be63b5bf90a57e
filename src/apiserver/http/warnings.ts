// The Warning response headers as kube-apiserver's warning recorder writes them
// (endpoints/filters/warning.go): one `299 - "text"` header per distinct warning; once their text
// passes 4,096 runes, every warning is cut to 256 runes and those that no longer fit are dropped.
import { goQuote } from '../../api/field-errors.ts'

const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024
const TRUNCATE_ITEM_RUNES = 256

/** net.NewWarningHeader; control characters make a warning unsendable (it is skipped). */
function header (text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined
  // Header values go out as bytes: the UTF-8 of the quoted text, as Go writes it.
  return Buffer.from(`299 - ${goQuote(text)}`, 'utf8').toString('latin1')
}

const cut = (runes: string[]): string => runes.slice(0, TRUNCATE_ITEM_RUNES).join('')

export function warningHeaders (warnings: readonly string[]): string[] {
  const seen = new Set<string>()
  const ordered: string[][] = []
  let headers: string[] = []
  let written = 0
  let truncating = false
  for (const text of warnings) {
    if (text === '' || seen.has(text)) continue
    if (truncating && written >= TRUNCATE_AT_TOTAL_RUNES) break
    seen.add(text)
    const runes = [...text]
    ordered.push(runes)
    const length = truncating ? Math.min(runes.length, TRUNCATE_ITEM_RUNES) : runes.length
    if (written + length <= TRUNCATE_AT_TOTAL_RUNES || truncating) {
      const h = header(truncating ? cut(runes) : text)
      if (h !== undefined) { headers.push(h); written += length }
      continue
    }
    // Over the limit: start again with every warning so far cut to 256 runes.
    truncating = true
    written = 0
    headers = []
    for (const r of ordered) {
      const h = header(cut(r))
      if (h !== undefined) { headers.push(h); written += Math.min(r.length, TRUNCATE_ITEM_RUNES) }
    }
  }
  return headers
}
