// Query parameters → RequestOptions, refusing malformed values with 400 as upstream does.
import { badRequest, StatusError } from '../errors.ts'
import type { RequestOptions } from '../request.ts'

type Query = Record<string, unknown>

function str (q: Query, key: string): string | undefined {
  const v = q[key]
  if (v === undefined) return undefined
  return Array.isArray(v) ? String(v[v.length - 1]) : String(v)
}

function int (q: Query, key: string): number | undefined {
  const v = str(q, key)
  if (v === undefined || v === '') return undefined
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${key}: ${JSON.stringify(v)}: must be an integer`)
  return Number(v)
}

function bool (q: Query, key: string): boolean | undefined {
  const v = str(q, key)
  if (v === undefined) return undefined
  return v === 'true' || v === '1' || v === ''
}

export function parseOptions (q: Query): RequestOptions {
  const o: RequestOptions = {}
  const dryRun = q.dryRun
  if (dryRun !== undefined) {
    const values = (Array.isArray(dryRun) ? dryRun : [dryRun]).map(String)
    for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: dryRun: Unsupported value: "${v}": supported values: "All"`)
    o.dryRun = values.includes('All')
  }
  const fieldValidation = str(q, 'fieldValidation')
  if (fieldValidation !== undefined && fieldValidation !== '') {
    if (!['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) throw badRequest(`fieldValidation: Unsupported value: "${fieldValidation}": supported values: "Ignore", "Strict", "Warn"`)
    o.fieldValidation = fieldValidation as RequestOptions['fieldValidation']
  }
  o.fieldManager = str(q, 'fieldManager')
  o.force = bool(q, 'force')
  o.labelSelector = str(q, 'labelSelector')
  o.fieldSelector = str(q, 'fieldSelector')
  o.limit = int(q, 'limit')
  o.continue = str(q, 'continue')
  o.resourceVersion = str(q, 'resourceVersion')
  o.resourceVersionMatch = str(q, 'resourceVersionMatch')
  o.timeoutSeconds = int(q, 'timeoutSeconds')
  o.allowWatchBookmarks = bool(q, 'allowWatchBookmarks')
  o.sendInitialEvents = bool(q, 'sendInitialEvents')
  const policy = str(q, 'propagationPolicy')
  if (policy !== undefined) {
    if (!['Orphan', 'Background', 'Foreground'].includes(policy)) throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`)
    o.propagationPolicy = policy as RequestOptions['propagationPolicy']
  }
  o.gracePeriodSeconds = int(q, 'gracePeriodSeconds')
  const include = str(q, 'includeObject')
  if (include === 'None' || include === 'Metadata' || include === 'Object') o.includeObject = include
  for (const k of Object.keys(o) as Array<keyof RequestOptions>) if (o[k] === undefined) delete o[k]
  return o
}

/** Options a DELETE may carry in its body (DeleteOptions), validated as upstream does (422). */
export function mergeDeleteOptions (o: RequestOptions, body: unknown): RequestOptions {
  if (body === undefined) return o
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of a DELETE must be a DeleteOptions object')
  const d = body as Record<string, any>
  const causes: Array<{ reason: string, message: string, field: string }> = []
  if (d.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(d.propagationPolicy)) {
    causes.push({ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${JSON.stringify(d.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan"` })
  }
  for (const v of Array.isArray(d.dryRun) ? d.dryRun : []) {
    if (v !== 'All') causes.push({ reason: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${JSON.stringify(v)}: supported values: "All"` })
  }
  if (d.gracePeriodSeconds !== undefined && !Number.isInteger(d.gracePeriodSeconds)) {
    causes.push({ reason: 'FieldValueInvalid', field: 'gracePeriodSeconds', message: `Invalid value: ${JSON.stringify(d.gracePeriodSeconds)}: must be an integer` })
  }
  if (causes.length > 0) {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: ${causes.length === 1 ? `${causes[0].field}: ${causes[0].message}` : `[${causes.map(c => `${c.field}: ${c.message}`).join(', ')}]`}`, { kind: 'DeleteOptions', group: 'meta.k8s.io', causes })
  }
  const out = { ...o }
  if (d.propagationPolicy !== undefined) out.propagationPolicy = d.propagationPolicy
  if (d.gracePeriodSeconds !== undefined) out.gracePeriodSeconds = d.gracePeriodSeconds
  if (d.preconditions !== undefined) out.preconditions = d.preconditions
  if (Array.isArray(d.dryRun) && d.dryRun.includes('All')) { if (o.dryRun !== true) out.dryRunInBody = true; out.dryRun = true }
  if (d.orphanDependents === true && out.propagationPolicy === undefined) out.propagationPolicy = 'Orphan'
  return out
}
