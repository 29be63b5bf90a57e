// Flag value parsers shared by the commands; a bad value is refused with what to write instead.
import { InvalidArgumentError } from 'commander'
import { ADDON_NAMES } from '../addons/manifests/index.ts'
import { parseQuantity } from '../api/quantity.ts'
import { parseDuration } from '../util/clock.ts'
import { CliError } from './output.ts'

export function count (value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`use a whole number, got "${value}"`)
  return Number(value)
}

/** Repeatable and comma-separated, as k3s takes --disable. */
export function list (value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map(s => s.trim()).filter(s => s !== '')]
}

export function collect (value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/** cobra's bool flags: `--wait`, `--wait=false`. */
export function bool (value: string): boolean {
  if (/^(true|1|t)$/i.test(value)) return true
  if (/^(false|0|f)$/i.test(value)) return false
  throw new InvalidArgumentError(`use true or false, got "${value}"`)
}

export function checkQuantity (value: string, flag: string): string {
  try { parseQuantity(value) } catch (err) { throw new CliError(`invalid ${flag} "${value}": not a quantity (${(err as Error).message}); use forms like 2, 500m, 4Gi`) }
  return value
}

/** `60s`, `2m`, `1m30s`; 0 means no limit. */
export function durationMs (value: string, flag: string): number {
  if (value === '0') return 0
  try { return parseDuration(value) } catch { throw new CliError(`invalid ${flag} "${value}": use a duration like 30s, 2m or 1m30s`) }
}

export function checkDisable (names: string[], flag = '--disable'): string[] {
  for (const n of names) {
    if (!(ADDON_NAMES as readonly string[]).includes(n)) throw new CliError(`${flag === '--disable' ? '' : `${flag}: `}unknown --disable name "${n}"; known: ${ADDON_NAMES.join(', ')}`)
  }
  return names
}

export function checkRuntime (runtime: string): 'fake' | 'docker' {
  if (runtime === 'fake' || runtime === 'docker') return runtime
  throw new CliError(`unknown runtime "${runtime}"; use fake (simulated containers) or docker (real ones)`)
}
