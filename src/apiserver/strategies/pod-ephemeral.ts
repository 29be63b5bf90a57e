// Ephemeral containers (`kubectl debug`), as v1.32's validation and podEphemeralContainersStrategy:
// they are added through pods/<name>/ephemeralcontainers only (never at create, never by a pod
// update), may not be removed or changed once there, and may not set what would make the pod rely
// on them (ports, resources, probes, lifecycle: validateFieldAllowList).
import { semanticEqual, type KubeObject } from '../../api/object.ts'
import type { StatusCause } from '../errors.ts'
import { notFound } from './strategy.ts'

type Json = Record<string, any>

/**
 * EphemeralContainerCommon's fields that allowedEphemeralContainerFields does not allow, in the Go
 * struct's order, as validateFieldAllowList names them (first letter lowercased).
 */
const NOT_ALLOWED = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']

const forbidden = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field })

/**
 * Set, as reflect.DeepEqual with the zero value tells: a field present at all (an empty list, an
 * empty object, ""), but `resources`, a struct, only when one of its own fields is present.
 */
function isSet (field: string, v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (field === 'resources' && typeof v === 'object') return Object.values(v as Json).some(x => x !== undefined && x !== null)
  return true
}

/**
 * What validateEphemeralContainers adds to the common container checks, for one ephemeral
 * container at `at`: the target names a container or init container of the pod, and nothing
 * outside the allow list (or a subPath) is set.
 */
export function ephemeralContainerChecks (c: Json, at: string, others: ReadonlySet<string>, causes: StatusCause[]): void {
  const target = c.targetContainerName
  if (typeof target === 'string' && target !== '' && !others.has(target)) causes.push(notFound(`${at}.targetContainerName`, target))
  for (const f of NOT_ALLOWED) if (isSet(f, c[f])) causes.push(forbidden(`${at}.${f}`, 'cannot be set for an Ephemeral Container'))
  ;((c.volumeMounts ?? []) as Json[]).forEach((m, i) => {
    if (typeof m?.subPath === 'string' && m.subPath !== '') causes.push(forbidden(`${at}.volumeMounts[${i}].subPath`, 'cannot be set for an Ephemeral Container'))
    if (typeof m?.subPathExpr === 'string' && m.subPathExpr !== '') causes.push(forbidden(`${at}.volumeMounts[${i}].subPathExpr`, 'cannot be set for an Ephemeral Container'))
  })
}

/** ValidatePodCreate: a new pod has none. */
export function ephemeralOnCreate (spec: Json | undefined): StatusCause[] {
  return (spec?.ephemeralContainers ?? []).length > 0 ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')] : []
}

/** The pods/ephemeralcontainers write: the stored pod with the body's ephemeral containers (dropNonEphemeralContainerUpdates). */
export function withEphemeralContainers (body: Json | undefined, stored: Json | undefined): Json {
  const spec: Json = { ...stored }
  const list = body?.ephemeralContainers
  if (list === undefined || list === null) delete spec.ephemeralContainers
  else spec.ephemeralContainers = list
  return spec
}

/**
 * ValidatePodEphemeralContainersUpdate's own part: every ephemeral container already there is
 * still there, unchanged (the order may differ: a patch does not keep it).
 */
export function validateEphemeralUpdate (obj: KubeObject, old: KubeObject): StatusCause[] {
  const byName = new Map<string, Json>()
  for (const c of ((obj.spec as Json)?.ephemeralContainers ?? []) as Json[]) if (typeof c?.name === 'string') byName.set(c.name, c)
  const causes: StatusCause[] = []
  for (const prev of ((old.spec as Json)?.ephemeralContainers ?? []) as Json[]) {
    const next = byName.get(prev.name)
    if (next === undefined) causes.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${prev.name}" may not be removed\n`))
    else if (!semanticEqual(prev, next)) causes.push(forbidden(`spec.ephemeralContainers[${prev.name}]`, `existing ephemeral containers "${prev.name}" may not be changed\n${fieldDiff(prev, next)}`))
  }
  return causes
}

/**
 * The fields that differ, one `-`/`+` line each (upstream prints go-cmp's diff, whose exact text
 * go-cmp keeps deliberately unstable).
 */
function fieldDiff (a: Json, b: Json): string {
  const lines: string[] = []
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (semanticEqual(a[k], b[k])) continue
    if (a[k] !== undefined) lines.push(`- ${k}: ${JSON.stringify(a[k])}`)
    if (b[k] !== undefined) lines.push(`+ ${k}: ${JSON.stringify(b[k])}`)
  }
  return lines.join('\n') + '\n'
}
