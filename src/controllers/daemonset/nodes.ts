// Which nodes a DaemonSet's pod belongs on (pkg/controller/daemon, v1.32 NodeShouldRunDaemonPod):
// the node must match the template's nodeSelector and required node affinity, and every
// NoSchedule/NoExecute taint must be tolerated — by the template's tolerations plus the ones the
// controller adds to each daemon pod (util.AddOrUpdateDaemonPodTolerations). An untolerated
// NoExecute taint also means an existing pod should not keep running there.
import type { KubeObject } from '../../api/object.ts'

type Json = Record<string, any>

/** The tolerations every daemon pod gets (Exists, no tolerationSeconds). */
export function daemonTolerations (podSpec: Json): Json[] {
  const t = (key: string, effect: string): Json => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect })
  const out = [
    t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule'),
  ]
  if (podSpec.hostNetwork === true) out.push(t('network-unavailable', 'NoSchedule'))
  return out
}

/** AddOrUpdateTolerationInPodSpec: a toleration with the same key, operator, value and effect is replaced. */
export function withDaemonTolerations (podSpec: Json): Json[] {
  const tolerations: Json[] = [...(podSpec.tolerations ?? [])]
  for (const add of daemonTolerations(podSpec)) {
    const i = tolerations.findIndex(x => x.key === add.key && x.effect === add.effect && (x.operator ?? 'Equal') === add.operator && (x.value ?? '') === '')
    if (i >= 0) tolerations[i] = add
    else tolerations.push(add)
  }
  return tolerations
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one matchFields term. */
export function pinToNode (affinity: Json | undefined, node: string): Json {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }
  const out: Json = { ...(affinity ?? {}) }
  const na: Json = { ...(out.nodeAffinity ?? {}) }
  na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] }
  out.nodeAffinity = na
  return out
}

/** The node a daemon pod is for: spec.nodeName, else its matchFields metadata.name affinity. */
export function targetNode (pod: KubeObject): string | undefined {
  const spec = pod.spec as Json
  if (spec.nodeName) return spec.nodeName
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0]
    }
  }
  return undefined
}

function requirementMatches (r: Json, value: string | undefined): boolean {
  const values: string[] = r.values ?? []
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value)
    case 'NotIn': return value === undefined || !values.includes(value)
    case 'Exists': return value !== undefined
    case 'DoesNotExist': return value === undefined
    case 'Gt': return value !== undefined && Number.parseInt(value, 10) > Number.parseInt(values[0], 10)
    case 'Lt': return value !== undefined && Number.parseInt(value, 10) < Number.parseInt(values[0], 10)
    default: return false
  }
}

/** Required node affinity: terms are ORed, a term's requirements ANDed; an empty term matches nothing. */
function affinityMatches (podSpec: Json, node: KubeObject): boolean {
  const terms: Json[] | undefined = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (terms === undefined) return true
  const labels = node.metadata.labels ?? {}
  return terms.some(t => {
    const exprs: Json[] = t.matchExpressions ?? []
    const fields: Json[] = t.matchFields ?? []
    if (exprs.length === 0 && fields.length === 0) return false
    return exprs.every(r => requirementMatches(r, labels[r.key])) &&
      fields.every(r => requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  })
}

export function tolerates (tolerations: readonly Json[], taint: Json): boolean {
  return tolerations.some(t => {
    if (t.effect && t.effect !== taint.effect) return false
    if (t.operator === 'Exists') return !t.key || t.key === taint.key
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '')
  })
}

export interface Placement { shouldRun: boolean, shouldContinueRunning: boolean }

/** NodeShouldRunDaemonPod for the DaemonSet's template (with the daemon tolerations added). */
export function placement (ds: KubeObject, node: KubeObject): Placement {
  const podSpec: Json = (ds.spec as Json).template?.spec ?? {}
  const selector: Record<string, string> = podSpec.nodeSelector ?? {}
  const labels = node.metadata.labels ?? {}
  const fits = Object.entries(selector).every(([k, v]) => labels[k] === v) && affinityMatches(podSpec, node)
  if (!fits) return { shouldRun: false, shouldContinueRunning: false }
  const tolerations = withDaemonTolerations(podSpec)
  const untolerated = ((node.spec as Json | undefined)?.taints ?? []).filter((t: Json) => !tolerates(tolerations, t))
  if (untolerated.some((t: Json) => t.effect === 'NoExecute')) return { shouldRun: false, shouldContinueRunning: false }
  if (untolerated.some((t: Json) => t.effect === 'NoSchedule')) return { shouldRun: false, shouldContinueRunning: true }
  return { shouldRun: true, shouldContinueRunning: true }
}
