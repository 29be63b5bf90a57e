// Go's time.Duration.String(), for the texts and fields Go components print durations in: the
// kubelet's events (`back-off 40s`, `in 1.234s`), metrics-server's `window`.

/** 550ms, 1.234s, 2m40s, 1h0m0s (milliseconds in). */
export function goDuration (ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${Math.round(ms)}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Number(((ms % 60_000) / 1000).toFixed(3))
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}
