// Prometheus' text exposition as client_golang writes it (format 0.0.4): each family its
// `# HELP` and `# TYPE`, then its samples sorted by label values; label pairs in name order;
// values in Go's shortest float form; histograms as cumulative `_bucket{le=…}` lines, `_sum`
// and `_count`. A family with no samples writes nothing (NormalizeMetricFamilies drops it).
import { goFloat } from '../schemas/go-values.ts'

export type Labels = ReadonlyArray<readonly [string, string]>
export interface Sample { labels: Labels, value: number, at?: number }
export interface HistogramSeries { labels: Labels, counts: ArrayLike<number>, sum: number, count: number }

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

const byName = (labels: Labels): Labels => [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
const text = (labels: Labels): string => (labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`)

/** Sorted as client_golang's MetricSorter: by each label value, in label-name order. */
function sorted<T extends { labels: Labels }> (items: T[]): Array<T & { pairs: Labels }> {
  const withPairs = items.map(s => ({ ...s, pairs: byName(s.labels) }))
  const key = (s: { pairs: Labels }): string => s.pairs.map(([, v]) => v).join('\u0000')
  return withPairs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

function header (name: string, type: string, help: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`
}

/** A counter or gauge family. */
export function family (name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string {
  if (samples.length === 0) return ''
  const lines = sorted(samples).map(s => `${name}${text(s.pairs)} ${goFloat(s.value)}${s.at === undefined ? '' : ` ${Math.floor(s.at)}`}\n`)
  return header(name, type, help) + lines.join('')
}

/** A histogram family: `counts[i]` observations at or below `bounds[i]` (not cumulative), the rest above. */
export function histogramFamily (name: string, help: string, bounds: readonly number[], series: HistogramSeries[]): string {
  if (series.length === 0) return ''
  let out = header(name, 'histogram', help)
  for (const s of sorted(series)) {
    let cumulative = 0
    bounds.forEach((le, i) => {
      cumulative += s.counts[i]
      out += `${name}_bucket${text([...s.pairs, ['le', goFloat(le)]])} ${goFloat(cumulative)}\n`
    })
    out += `${name}_bucket${text([...s.pairs, ['le', '+Inf']])} ${goFloat(s.count)}\n`
    out += `${name}_sum${text(s.pairs)} ${goFloat(s.sum)}\n${name}_count${text(s.pairs)} ${goFloat(s.count)}\n`
  }
  return out
}
