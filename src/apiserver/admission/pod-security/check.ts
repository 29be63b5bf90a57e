// What a Pod Security check is (k8s.io/pod-security-admission/policy, v1.32): an id, a level,
// and one function per Kubernetes minor version from which it applies; and the helpers every
// check formats its message with.
export type Json = Record<string, any>

export interface CheckResult {
  allowed: boolean
  /** e.g. `allowPrivilegeEscalation != false` */
  reason?: string
  /** e.g. `container "app" must set securityContext.allowPrivilegeEscalation=false` */
  detail?: string
}

export type CheckFn = (meta: Json, spec: Json) => CheckResult

export interface Check {
  id: string
  level: 'baseline' | 'restricted'
  /** By minimum minor version of 1.x, increasing; restricted checks may replace baseline ones. */
  versions: Array<{ min: number, fn: CheckFn, overrides?: string[] }>
}

/** visitContainers: init containers, then containers, then ephemeral containers. */
export function visitContainers (spec: Json, visit: (c: Json) => void): void {
  for (const c of spec.initContainers ?? []) visit(c)
  for (const c of spec.containers ?? []) visit(c)
  for (const c of spec.ephemeralContainers ?? []) visit(c)
}

export function joinQuote (items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`
}

export function pluralize (singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural
}

export const isWindows = (spec: Json): boolean => spec.os?.name === 'windows'
