// Turns a parsed YAML/JSON value into a LifecycleProfile, or says exactly what is wrong:
//   profile "slow": pullDelay: "abc" is not a duration (use forms like 250ms, 10s, 5m)
//   profile "slow": unknown key "pulDelay" (known: pullDelay, pullError, …)
// Unknown keys are refused by name rather than ignored, so a typo never silently means "default".
import { parseDuration } from '../../util/clock.ts'
import type { LifecycleProfile, LifecycleSpec } from './types.ts'

export class ProfileError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ProfileError'
  }
}

type Kind = 'duration' | 'exitCode' | 'string' | 'boolean' | 'lines' | 'crashLoop' | 'logEvery'

const SPEC_FIELDS: Record<keyof LifecycleSpec, Kind> = {
  pullDelay: 'duration',
  pullError: 'string',
  startDelay: 'duration',
  readyDelay: 'duration',
  failReadiness: 'boolean',
  failLivenessAfter: 'duration',
  exitAfter: 'duration',
  exitCode: 'exitCode',
  crashLoop: 'crashLoop',
  oomAfter: 'duration',
  stopDelay: 'duration',
  stopExitCode: 'exitCode',
  logs: 'lines',
  logEvery: 'logEvery',
}
const TOP_ONLY = ['description', 'containers']

function show (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return JSON.stringify(value)
}

function isMapping (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

class Checker {
  private readonly profile: string

  constructor (profile: string) { this.profile = profile }

  fail (path: string, problem: string): never {
    throw new ProfileError(`profile "${this.profile}": ${path === '' ? '' : `${path}: `}${problem}`)
  }

  keys (path: string, value: Record<string, unknown>, known: string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.fail(path, `unknown key "${key}" (known: ${known.join(', ')})`)
      }
    }
  }

  duration (path: string, value: unknown): number {
    if (typeof value === 'number' || typeof value === 'string') {
      try { return parseDuration(value) } catch { /* reported below */ }
    }
    return this.fail(path, `${show(value)} is not a duration (use forms like 250ms, 10s, 5m)`)
  }

  exitCode (path: string, value: unknown): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255) return value
    return this.fail(path, `${show(value)} is not an exit code (an integer from 0 to 255)`)
  }

  string (path: string, value: unknown): string {
    if (typeof value === 'string') return value
    return this.fail(path, `${show(value)} is not a string (quote it)`)
  }

  boolean (path: string, value: unknown): boolean {
    if (typeof value === 'boolean') return value
    return this.fail(path, `${show(value)} is not true or false`)
  }

  mapping (path: string, value: unknown): Record<string, unknown> {
    if (isMapping(value)) return value
    return this.fail(path, `${show(value)} is not a mapping`)
  }

  field (path: string, kind: Kind, value: unknown): unknown {
    switch (kind) {
      case 'duration': return this.duration(path, value)
      case 'exitCode': return this.exitCode(path, value)
      case 'string': return this.string(path, value)
      case 'boolean': return this.boolean(path, value)
      case 'lines': {
        if (!Array.isArray(value)) return this.fail(path, `${show(value)} is not a list of lines`)
        return value.map((line, i) => this.string(`${path}[${i}]`, line))
      }
      case 'crashLoop': {
        const m = this.mapping(path, value)
        this.keys(path, m, ['exitAfter', 'exitCode'])
        return {
          exitAfter: m.exitAfter === undefined ? 0 : this.duration(`${path}.exitAfter`, m.exitAfter),
          exitCode: m.exitCode === undefined ? 1 : this.exitCode(`${path}.exitCode`, m.exitCode),
        }
      }
      case 'logEvery': {
        const m = this.mapping(path, value)
        this.keys(path, m, ['interval', 'line'])
        if (m.interval === undefined) this.fail(path, 'interval is required')
        if (m.line === undefined) this.fail(path, 'line is required')
        const interval = this.duration(`${path}.interval`, m.interval)
        if (interval <= 0) this.fail(`${path}.interval`, `${show(m.interval)} must be longer than 0`)
        return { interval, line: this.string(`${path}.line`, m.line) }
      }
    }
  }

  spec (prefix: string, raw: Record<string, unknown>, extraKeys: string[]): LifecycleSpec {
    this.keys(prefix.replace(/\.$/, ''), raw, [...Object.keys(SPEC_FIELDS), ...extraKeys])
    const spec: Record<string, unknown> = {}
    for (const [key, kind] of Object.entries(SPEC_FIELDS)) {
      if (raw[key] !== undefined && raw[key] !== null) spec[key] = this.field(prefix + key, kind, raw[key])
    }
    return spec as LifecycleSpec
  }

  /** Checks that need the merged settings of a container. */
  combination (prefix: string, spec: LifecycleSpec): void {
    if (spec.exitCode !== undefined && spec.exitAfter === undefined) {
      this.fail(prefix.replace(/\.$/, ''), 'exitCode is set without exitAfter (say when the container exits)')
    }
  }
}

/**
 * Validate a profile given as a parsed YAML/JSON value (null or undefined = an empty profile,
 * which behaves as the default one).
 */
export function validateProfile (name: string, raw: unknown): LifecycleProfile {
  const c = new Checker(name)
  const top = raw === null || raw === undefined ? {} : c.mapping('', raw)
  const spec = c.spec('', top, TOP_ONLY)
  c.combination('', spec)
  const containers: Record<string, LifecycleSpec> = {}
  if (top.containers !== undefined && top.containers !== null) {
    for (const [container, value] of Object.entries(c.mapping('containers', top.containers))) {
      const prefix = `containers.${container}.`
      const own = c.spec(prefix, value === null ? {} : c.mapping(prefix.slice(0, -1), value), [])
      c.combination(prefix, { ...spec, ...own })
      containers[container] = own
    }
  }
  const description = top.description === undefined ? undefined : c.string('description', top.description)
  return { name, ...(description !== undefined ? { description } : {}), spec, containers }
}
