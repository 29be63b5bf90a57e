// The system PriorityClasses kube-apiserver creates at start (its post-start hook
// scheduling/bootstrap-system-priority-classes) and the limits ValidatePriorityClass enforces,
// as in pkg/apis/scheduling (v1/helpers.go, types.go). No I/O.

/** Names with this prefix are reserved for the system classes. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-'

/** HighestUserDefinablePriority: a user's class may not go above it. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000

/** SystemCriticalPriority (2 × HighestUserDefinablePriority). */
const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY

export interface SystemPriorityClass { name: string, value: number, description: string }

/** SystemPriorityClasses(), in upstream's order. globalDefault is false for both. */
export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = [
  { name: 'system-node-critical', value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
]

/** IsKnownSystemPriorityClass: undefined when it is, else upstream's reason. */
export function systemPriorityClassError (name: string, value: unknown, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find(c => c.name === name)
  if (spc === undefined) return `${name} is not a known system priority class`
  if (spc.value !== value) return `value of ${spc.name} PriorityClass must be ${spc.value}`
  if (globalDefault) return `globalDefault of ${spc.name} PriorityClass must be false`
  return undefined
}
