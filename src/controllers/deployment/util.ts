// Deployment helpers from pkg/controller/deployment/util/deployment_util.go (v1.32): surge and
// unavailability arithmetic, the revision and replicas annotations, ReplicaSet orderings and sums.
import type { KubeObject } from '../../api/object.ts'
import { canonicalJson } from './hash.ts'

type Json = Record<string, any>

export const REVISION = 'deployment.kubernetes.io/revision'
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history'
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas'
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas'
export const HASH_LABEL = 'pod-template-hash'

/** Annotations never copied from a Deployment to its ReplicaSets (skipCopyAnnotation). */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
])

export const spec = (o: KubeObject): Json => (o.spec ?? {}) as Json
export const status = (o: KubeObject): Json => (o.status ?? {}) as Json
export const replicas = (o: KubeObject | undefined): number => o === undefined ? 0 : spec(o).replicas ?? 1

/**
 * intstr.GetScaledValueFromIntOrPercent: "25%" of 10 is 2.5 → 3 rounding up (maxSurge),
 * 2 rounding down (maxUnavailable).
 */
export function scaledValue (v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0
  if (typeof v === 'number') return v
  const m = /^(\d+)%$/.exec(v)
  if (m === null) {
    if (/^\d+$/.test(v)) return Number(v)
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`)
  }
  const exact = Number(m[1]) * total / 100
  return roundUp ? Math.ceil(exact) : Math.floor(exact)
}

export const isRollingUpdate = (d: KubeObject): boolean => (spec(d).strategy?.type ?? 'RollingUpdate') === 'RollingUpdate'

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 would deadlock, so unavailable = 1. */
export function resolveFenceposts (d: KubeObject): { surge: number, unavailable: number } {
  const ru = spec(d).strategy?.rollingUpdate ?? {}
  const desired = replicas(d)
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true)
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return { surge, unavailable }
}

export function maxSurge (d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0
}

export function maxUnavailable (d: KubeObject): number {
  if (!isRollingUpdate(d) || replicas(d) === 0) return 0
  return Math.min(resolveFenceposts(d).unavailable, replicas(d))
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas (d: KubeObject, all: readonly KubeObject[], newRS: KubeObject): number {
  if (!isRollingUpdate(d)) return replicas(d)
  const surge = scaledValue(spec(d).strategy?.rollingUpdate?.maxSurge ?? '25%', replicas(d), true)
  const current = sumReplicas(all)
  const maxTotal = replicas(d) + surge
  if (current >= maxTotal) return replicas(newRS)
  return replicas(newRS) + Math.min(maxTotal - current, replicas(d) - replicas(newRS))
}

export const sumReplicas = (rss: readonly KubeObject[]): number => rss.reduce((n, rs) => n + replicas(rs), 0)
export const sumStatus = (rss: ReadonlyArray<KubeObject | undefined>, field: string): number =>
  rss.reduce((n, rs) => n + (rs === undefined ? 0 : status(rs)[field] ?? 0), 0)
export const active = (rss: ReadonlyArray<KubeObject | undefined>): KubeObject[] =>
  rss.filter((rs): rs is KubeObject => rs !== undefined && replicas(rs) > 0)

export function revisionOf (rs: KubeObject): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? '0')
  return Number.isInteger(n) ? n : 0
}
export const maxRevision = (rss: readonly KubeObject[]): number => Math.max(0, ...rss.map(revisionOf))

const created = (o: KubeObject): number => Date.parse(o.metadata.creationTimestamp ?? '') || 0
/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export const byCreation = (a: KubeObject, b: KubeObject): number =>
  created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
/** ReplicaSetsByRevision: lowest revision first, then by creation. */
export const byRevision = (a: KubeObject, b: KubeObject): number => revisionOf(a) - revisionOf(b) || byCreation(a, b)
/** ReplicaSetsBySizeNewer / BySizeOlder: bigger first, ties newer (or older) first. */
export const bySizeNewer = (a: KubeObject, b: KubeObject): number => replicas(b) - replicas(a) || byCreation(b, a)
export const bySizeOlder = (a: KubeObject, b: KubeObject): number => replicas(b) - replicas(a) || byCreation(a, b)

/** EqualIgnoreHash: the templates are equal once the pod-template-hash label is dropped. */
export function equalIgnoreHash (t1: Json | undefined, t2: Json | undefined): boolean {
  const strip = (t: Json | undefined): unknown => {
    const labels = { ...(t?.metadata?.labels ?? {}) }
    delete labels[HASH_LABEL]
    return { ...t, metadata: { ...t?.metadata, labels } }
  }
  return canonicalJson(strip(t1)) === canonicalJson(strip(t2))
}

/** SetReplicasAnnotations; returns whether anything changed. */
export function setReplicasAnnotations (rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {})
  let changed = false
  if (a[DESIRED_REPLICAS] !== String(desired)) { a[DESIRED_REPLICAS] = String(desired); changed = true }
  if (a[MAX_REPLICAS] !== String(max)) { a[MAX_REPLICAS] = String(max); changed = true }
  return changed
}

export function replicasAnnotationsNeedUpdate (rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {}
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max)
}

export function annotationInt (rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key]
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined
  return Number(v)
}

/** SetNewReplicaSetAnnotations: copy the Deployment's annotations, bump revision (+history). */
export function setNewReplicaSetAnnotations (d: KubeObject, rs: KubeObject, newRevision: string, exists: boolean): boolean {
  let changed = false
  const a = (rs.metadata.annotations ??= {})
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue
    a[k] = v
    changed = true
  }
  const oldRevision = a[REVISION]
  if (oldRevision !== undefined && !/^\d+$/.test(oldRevision)) return false
  const oldInt = oldRevision === undefined ? 0 : Number(oldRevision)
  if (oldInt < Number(newRevision)) {
    a[REVISION] = newRevision
    changed = true
    if (oldRevision !== undefined) a[REVISION_HISTORY] = a[REVISION_HISTORY] ? `${a[REVISION_HISTORY]},${oldRevision}` : oldRevision
  }
  if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true
  return changed
}
