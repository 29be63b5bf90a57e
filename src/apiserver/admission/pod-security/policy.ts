// A namespace's Pod Security policy from its labels (pod-security-admission/api, v1.32): enforce,
// audit and warn levels with their versions, defaults privileged:latest (k3s sets no admission
// configuration), invalid values failing closed for enforce and open for audit and warn; and the
// checks that apply to a level at a version, in upstream's order.
import { invalid, type FieldError } from '../../../api/field-errors.ts'
import { BASELINE_CHECKS } from './baseline.ts'
import type { CheckFn, CheckResult, Json } from './check.ts'
import { RESTRICTED_CHECKS } from './restricted.ts'

export type Level = 'privileged' | 'baseline' | 'restricted'

/** A minor version of 1.x, or undefined for latest (`minor`: its digits, as the label wrote them). */
export interface LevelVersion { level: Level, version: number | undefined, minor?: string }

export interface Policy { enforce: LevelVersion, audit: LevelVersion, warn: LevelVersion }

const PREFIX = 'pod-security.kubernetes.io/'
export const POLICY_LABELS = ['enforce', 'enforce-version', 'audit', 'audit-version', 'warn', 'warn-version'].map(l => PREFIX + l)
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted']

export const levelVersionString = (lv: LevelVersion): string => `${lv.level}:${lv.version === undefined ? 'latest' : `v1.${lv.minor ?? lv.version}`}`

function parseLevel (v: string): Level | undefined {
  return (LEVELS as string[]).includes(v) ? v as Level : undefined
}

const MAX_INT64 = (1n << 63n) - 1n

/** ParseVersion: `latest` or `v1.<minor>`, the minor an int64 as strconv.Atoi reads it. */
function parseVersion (v: string): { version: number, minor: string } | undefined | 'bad' {
  if (v === 'latest') return undefined
  const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(v)
  if (m === null || BigInt(m[1]) > MAX_INT64) return 'bad'
  return { version: Number(m[1]), minor: m[1] }
}

/** CompareLevels as a number: privileged < baseline < restricted. */
export const rank = (l: Level): number => LEVELS.indexOf(l)

/** PolicyToEvaluate: the policy and the label errors (metadata.labels[...]: Invalid value). */
export function policyFor (labels: Record<string, string> | undefined): { policy: Policy, errors: FieldError[] } {
  const policy: Policy = { enforce: { level: 'privileged', version: undefined }, audit: { level: 'privileged', version: undefined }, warn: { level: 'privileged', version: undefined } }
  const errors: FieldError[] = []
  if (labels === undefined) return { policy, errors }
  const field = (label: string): string => `metadata.labels[${PREFIX}${label}]`
  const level = (mode: 'enforce' | 'audit' | 'warn', failClosed: boolean): boolean => {
    const v = labels[PREFIX + mode]
    if (v === undefined) return false
    const l = parseLevel(v)
    if (l === undefined) errors.push(invalid(field(mode), v, 'must be one of privileged, baseline, restricted'))
    policy[mode].level = l ?? (failClosed ? 'restricted' : 'privileged')
    return l !== undefined
  }
  const version = (mode: 'enforce' | 'audit' | 'warn'): boolean => {
    const v = labels[`${PREFIX}${mode}-version`]
    if (v === undefined) return false
    const parsed = parseVersion(v)
    if (parsed === 'bad') errors.push(invalid(field(`${mode}-version`), v, 'must be "latest" or "v1.x"'))
    if (parsed === 'bad' || parsed === undefined) policy[mode] = { level: policy[mode].level, version: undefined }
    else policy[mode] = { level: policy[mode].level, version: parsed.version, minor: parsed.minor }
    return true
  }
  const hasEnforce = level('enforce', true)
  version('enforce')
  level('audit', false)
  version('audit')
  const hasWarnLevel = labels[`${PREFIX}warn`] !== undefined
  level('warn', false)
  const hasWarnVersion = version('warn')
  // Warn at least as strictly as enforce, unless warn is set.
  if (!hasWarnLevel && hasEnforce && rank(policy.enforce.level) > rank(policy.warn.level)) {
    policy.warn = hasWarnVersion ? { ...policy.warn, level: policy.enforce.level } : { ...policy.enforce }
  }
  return { policy, errors }
}

const ALL = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS]
/** The newest version any check changes at: `latest` evaluates as this one. */
const MAX_VERSION = Math.max(...ALL.map(c => c.versions[c.versions.length - 1].min))
const cache = new Map<string, CheckFn[]>()

/** The check functions of a level at a version, baseline ids sorted, then restricted ids sorted. */
function checksFor (level: 'baseline' | 'restricted', version: number): CheckFn[] {
  const key = `${level}:${version}`
  let fns = cache.get(key)
  if (fns !== undefined) return fns
  const at = (c: typeof ALL[number]): typeof ALL[number]['versions'][number] | undefined => [...c.versions].reverse().find(v => v.min <= version)
  const overridden = new Set<string>()
  if (level === 'restricted') for (const c of RESTRICTED_CHECKS) for (const o of at(c)?.overrides ?? []) overridden.add(o)
  const byId = (list: typeof ALL): typeof ALL => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  fns = []
  for (const c of byId(BASELINE_CHECKS)) { const v = at(c); if (v !== undefined && !overridden.has(c.id)) fns.push(v.fn) }
  if (level === 'restricted') for (const c of byId(RESTRICTED_CHECKS)) { const v = at(c); if (v !== undefined) fns.push(v.fn) }
  cache.set(key, fns)
  return fns
}

/**
 * EvaluatePod then AggregateCheckResults: ForbiddenDetail() (`reason (detail), reason (detail)`),
 * or with `reasonsOnly` ForbiddenReason() (`reason, reason`); undefined when allowed.
 */
export function violations (lv: LevelVersion, meta: Json, spec: Json, options: { reasonsOnly?: boolean } = {}): string | undefined {
  if (lv.level === 'privileged') return undefined
  const version = lv.version === undefined || lv.version > MAX_VERSION ? MAX_VERSION : lv.version
  const failed: CheckResult[] = checksFor(lv.level, version).map(fn => fn(meta, spec)).filter(r => !r.allowed)
  if (failed.length === 0) return undefined
  return failed.map(r => {
    const reason = r.reason === undefined || r.reason === '' ? 'unknown forbidden reason' : r.reason
    return options.reasonsOnly === true || r.detail === undefined || r.detail === '' ? reason : `${reason} (${r.detail})`
  }).join(', ')
}
