// Taint/toleration matching as the taint eviction controller does it (k8s.io/api core/v1
// Toleration.ToleratesTaint, v1helper.GetMatchingTolerations, tainteviction.getMinTolerationTime).
import type { Taint, Toleration } from './types.ts'

/** Empty effect or key match all; operator Exists ignores the value, Equal (or empty) compares it. */
export function toleratesTaint (t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '')
    case 'Exists':
      return true
    default:
      return false
  }
}

/**
 * Whether every taint is tolerated, and for each taint the first toleration that does (the
 * "used" tolerations whose seconds decide the deadline).
 */
export function matchingTolerations (taints: readonly Taint[], tolerations: readonly Toleration[]): { all: boolean, used: Toleration[] } {
  const used: Toleration[] = []
  for (const taint of taints) {
    const t = tolerations.find(t => toleratesTaint(t, taint))
    if (t === undefined) return { all: false, used: [] }
    used.push(t)
  }
  return { all: true, used }
}

/**
 * The smallest tolerationSeconds among the used tolerations in ms; 0 if none were used or any is
 * ≤ 0; -1 (forever) if none sets seconds — a DaemonSet pod's `Exists` toleration keeps it.
 */
export function minTolerationMs (used: readonly Toleration[]): number {
  if (used.length === 0) return 0
  let min = Infinity
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue
    if (t.tolerationSeconds <= 0) return 0
    min = Math.min(min, t.tolerationSeconds)
  }
  return min === Infinity ? -1 : min * 1000
}
