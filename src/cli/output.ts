// What the k3d-like commands print: logrus-style lines (`INFO[0003] ...`, seconds since the
// command began, as k3d prints them), results (tables, kubeconfigs, paths) on stdout, and
// CliError for refusals that say what to do; `action()` turns one into `FATA[..]` and exit 1.
//
// The streams are k3d's (cmd/root.go initLogging: two logrus writer hooks): INFO (and DEBUG,
// TRACE) lines go to stdout, WARN, ERRO and FATA (and PANIC) lines to stderr.
const began = Date.now()

function stamp (level: string, msg: string): string {
  return `${level}[${String(Math.floor((Date.now() - began) / 1000)).padStart(4, '0')}] ${msg}\n`
}

export const log = {
  info: (msg: string): void => { process.stdout.write(stamp('INFO', msg)) },
  warn: (msg: string): void => { process.stderr.write(stamp('WARN', msg)) },
  error: (msg: string): void => { process.stderr.write(stamp('ERRO', msg)) },
}

/** A refusal the user can act on: what failed and what to do. */
export class CliError extends Error {}

/** Wrap a commander action: a thrown error is printed as k3d prints fatal errors, exit code 1. */
export function action<A extends unknown[]> (fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args)
    } catch (err) {
      const msg = err instanceof CliError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)
      process.stderr.write(stamp('FATA', msg))
      process.exitCode = 1
    }
  }
}

/**
 * A reader that went away (`k3sim cluster list | head -1`) ends the command quietly, as SIGPIPE
 * ends k3d (a Go program) instead of a stack trace about EPIPE; 141 is what a shell reports for
 * a process SIGPIPE killed (128 + 13). A cluster process already started keeps running.
 */
export function exitQuietlyOnClosedPipe (): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(141)
      throw err
    })
  }
}

/** k3d's tables: tab-aligned columns, min width 6, padding 3. */
export function table (header: string[], rows: string[][], options: { headers?: boolean } = {}): string {
  const all = options.headers === false ? rows : [header, ...rows]
  const widths = header.map((_, i) => Math.max(6, ...all.map(r => (r[i] ?? '').length)))
  return all.map(r => r.map((cell, i) => i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3)).join('')).join('\n') + (all.length > 0 ? '\n' : '')
}
