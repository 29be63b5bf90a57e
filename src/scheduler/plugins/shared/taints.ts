// Taints and tolerations as k8s.io/api core/v1 (Toleration.ToleratesTaint) and
// component-helpers FindMatchingUntoleratedTaint define them (v1.32: no Gt/Lt operators).
import type { KubeObject } from '../../../api/object.ts'

export interface Taint { key: string, value?: string, effect: string }
export interface Toleration { key?: string, operator?: string, value?: string, effect?: string, tolerationSeconds?: number }

/** Empty effect tolerates every effect; empty key with Exists tolerates every key; empty operator means Equal. */
export function toleratesTaint (t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  switch (t.operator ?? '') {
    case '': case 'Equal': return (t.value ?? '') === (taint.value ?? '')
    case 'Exists': return true
    default: return false
  }
}

export const tolerationsTolerateTaint = (tolerations: Toleration[], taint: Taint): boolean =>
  tolerations.some((t) => toleratesTaint(t, taint))

/** NoSchedule and NoExecute: the effects the filter enforces (helper.DoNotScheduleTaintsFilterFunc). */
export const doNotSchedule = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute'

/** The first taint, in spec order, passing `include` that no toleration tolerates. */
export function findUntoleratedTaint (taints: Taint[], tolerations: Toleration[], include: (t: Taint) => boolean): Taint | undefined {
  return taints.find((taint) => include(taint) && !tolerationsTolerateTaint(tolerations, taint))
}

export const nodeTaints = (node: KubeObject): Taint[] => ((node as any).spec?.taints ?? []) as Taint[]
export const podTolerations = (pod: KubeObject): Toleration[] => ((pod as any).spec?.tolerations ?? []) as Toleration[]
