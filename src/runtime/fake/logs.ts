// A container's log, kept in memory, rendered the way the kubelet serves `kubectl logs`
// (pkg/kubelet/kuberuntime/logs): tailLines picks the last N lines first, then lines before
// sinceTime are dropped, then timestamps are prefixed in the kubelet's fixed-width RFC 3339 form
// (`2025-01-01T00:00:00.000000000Z `), and limitBytes cuts the output, mid-line if need be.
import type { LogOptions } from '../runtime.ts'

export interface LogEntry {
  /** Milliseconds since the epoch on the cluster clock. */
  time: number
  line: string
}

/** The kubelet's timeFormatOut "2006-01-02T15:04:05.000000000Z07:00" (always nine digits). */
export function formatLogTimestamp (ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

function renderEntry (entry: LogEntry, timestamps: boolean): string {
  return `${timestamps ? `${formatLogTimestamp(entry.time)} ` : ''}${entry.line}\n`
}

/** Index of the first entry that tailLines keeps (negative or absent = all; 0 = none). */
function tailStart (length: number, tailLines: number | undefined): number {
  if (tailLines === undefined || tailLines < 0) return 0
  return Math.max(0, length - tailLines)
}

/** Cut text to at most `bytes` UTF-8 bytes. */
function cut (text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8')
  return buf.length <= bytes ? text : buf.subarray(0, bytes).toString('utf8')
}

export function renderLogs (entries: readonly LogEntry[], options: LogOptions = {}): string {
  let out = ''
  for (let i = tailStart(entries.length, options.tailLines); i < entries.length; i++) {
    const e = entries[i]
    if (options.sinceTime !== undefined && e.time < options.sinceTime) continue
    out += renderEntry(e, options.timestamps === true)
  }
  return options.limitBytes !== undefined ? cut(out, options.limitBytes) : out
}

interface Follower {
  onData: (chunk: string) => void
  onEnd?: () => void
  options: LogOptions
  /** Next entry to send. */
  cursor: number
  /** False until the first chunk has been sent (on a microtask, after followLogs returned). */
  started: boolean
  sentBytes: number
  done: boolean
}

/**
 * The kubelet rotates a container's log at 10 MiB (containerLogMaxSize); a fake container that
 * logs for days keeps about that much too, dropping its oldest lines in batches.
 */
export const LOG_MAX_BYTES = 10 * 1024 * 1024

/** Entries plus the followers streaming them (`kubectl logs -f`). */
export class LogBuffer {
  readonly entries: LogEntry[] = []
  private readonly followers = new Set<Follower>()
  private ended = false
  private bytes = 0
  private readonly maxBytes: number

  constructor (options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? LOG_MAX_BYTES
  }

  append (time: number, line: string): void {
    this.entries.push({ time, line })
    this.bytes += line.length + 1
    for (const f of this.followers) if (f.started) this.flush(f)
    if (this.bytes > this.maxBytes) this.trim()
  }

  /** Drop the oldest lines down to 90% of the cap (followers keep their place). */
  private trim (): void {
    let drop = 0
    while (this.bytes > this.maxBytes * 0.9 && drop < this.entries.length) {
      this.bytes -= this.entries[drop].line.length + 1
      drop++
    }
    this.entries.splice(0, drop)
    for (const f of this.followers) f.cursor = Math.max(0, f.cursor - drop)
  }

  /**
   * Stream what the options select now, then every new line, until the returned function is
   * called or end() is. The first chunk comes on a microtask so the caller has its stop function.
   */
  follow (onData: (chunk: string) => void, options: LogOptions = {}, onEnd?: () => void): () => void {
    const f: Follower = {
      onData, onEnd, options, cursor: tailStart(this.entries.length, options.tailLines), started: false, sentBytes: 0, done: false,
    }
    this.followers.add(f)
    queueMicrotask(() => {
      if (f.done) return
      f.started = true
      this.flush(f)
      if (this.ended) this.finish(f)
    })
    return () => { f.done = true; this.followers.delete(f) }
  }

  /** The container exited or was removed: send what is left and end every follower. */
  end (): void {
    this.ended = true
    for (const f of this.followers) if (f.started) this.finish(f)
  }

  private flush (f: Follower): void {
    let chunk = ''
    for (; f.cursor < this.entries.length; f.cursor++) {
      const e = this.entries[f.cursor]
      if (f.options.sinceTime !== undefined && e.time < f.options.sinceTime) continue
      chunk += renderEntry(e, f.options.timestamps === true)
    }
    if (f.options.limitBytes !== undefined) chunk = cut(chunk, f.options.limitBytes - f.sentBytes)
    if (chunk.length > 0) {
      f.sentBytes += Buffer.byteLength(chunk, 'utf8')
      f.onData(chunk)
    }
    if (f.options.limitBytes !== undefined && f.sentBytes >= f.options.limitBytes) this.finish(f)
  }

  private finish (f: Follower): void {
    if (f.done) return
    f.done = true
    this.followers.delete(f)
    f.onEnd?.()
  }
}
