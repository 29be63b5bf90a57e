// Container logs from Docker, served the way the kubelet serves `kubectl logs`: Docker keeps each
// line with its RFC 3339 nano timestamp; we parse those into entries and render them with the
// same rules as the fake runtime (tail first, then sinceTime, timestamps, limitBytes). Follow
// streams new lines until the container stops or the caller stops.
import { type LogEntry, renderLogs } from '../fake/logs.ts'
import type { LogOptions } from '../runtime.ts'
import type { DockerEngine } from './engine.ts'

/** "2025-01-01T00:00:00.123456789Z text" → entry (ms on the clock; the line without its \n). */
export function parseDockerLine (line: string): LogEntry {
  const space = line.indexOf(' ')
  const time = Date.parse(line.slice(0, space))
  if (space < 0 || Number.isNaN(time)) return { time: 0, line }
  return { time, line: line.slice(space + 1) }
}

function entries (text: string): LogEntry[] {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map(parseDockerLine)
}

export async function dockerLogs (engine: DockerEngine, id: string, options: LogOptions = {}): Promise<string> {
  if (options.tailLines === 0) return ''
  const tail = options.tailLines !== undefined && options.tailLines > 0 ? options.tailLines : undefined
  const text = (await engine.logs(id, { tail })).toString('utf8')
  return renderLogs(entries(text), { ...options, tailLines: undefined })
}

/** Stream lines as they come; returns the stop function at once (the stream opens in the background). */
export function followDockerLogs (engine: DockerEngine, id: string, onData: (chunk: string) => void, options: LogOptions & { onEnd?: () => void } = {}): () => void {
  let stopped = false
  let close: (() => void) | undefined
  let rest = ''
  let sent = 0
  const end = (): void => { if (stopped) return; stopped = true; close?.(); options.onEnd?.() }
  const tail = options.tailLines === undefined || options.tailLines < 0 ? undefined : options.tailLines
  engine.followLogs(id, { tail }).then(f => {
    if (stopped) { f.close(); return }
    close = f.close
    f.stream.on('data', (b: Buffer) => {
      rest += b.toString('utf8')
      const nl = rest.lastIndexOf('\n')
      if (nl < 0 || stopped) return
      const complete = rest.slice(0, nl + 1)
      rest = rest.slice(nl + 1)
      let chunk = renderLogs(entries(complete), { sinceTime: options.sinceTime, timestamps: options.timestamps })
      if (options.limitBytes !== undefined) chunk = Buffer.from(chunk).subarray(0, Math.max(0, options.limitBytes - sent)).toString('utf8')
      if (chunk !== '') { sent += Buffer.byteLength(chunk); onData(chunk) }
      if (options.limitBytes !== undefined && sent >= options.limitBytes) end()
    })
    f.stream.on('end', end)
  }, end)
  return () => { stopped = true; close?.() }
}
