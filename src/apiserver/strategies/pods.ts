// Pods: SetDefaults_Pod, the admission plugins every k3s pod passes (ServiceAccount,
// DefaultTolerationSeconds, Priority), QoS class at create, and the spec's update rules.
import type { KubeObject } from '../../api/object.ts'
import type { StatusCause } from '../errors.ts'
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts'
import { def, type Strategy } from './strategy.ts'

type Json = Record<string, any>

const defaultTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

/** Guaranteed: every container has cpu and memory limits equal to requests; BestEffort: none set. */
export function qosClass (spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
  let any = false
  let guaranteed = true
  for (const c of containers) {
    const req: Json = c.resources?.requests ?? {}
    const lim: Json = c.resources?.limits ?? {}
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false
    }
  }
  if (!any) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

export const podStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) {
    const spec = (obj.spec ??= {}) as Json
    defaultPodSpec(spec)
    def(spec, 'serviceAccountName', 'default')
    def(spec, 'serviceAccount', spec.serviceAccountName)
    def(spec, 'priority', 0)
    def(spec, 'preemptionPolicy', 'PreemptLowerPriority')
    const tolerations: Json[] = (spec.tolerations ??= [])
    for (const key of defaultTolerations) {
      // DefaultTolerationSeconds: a toleration of this key (or of every key: empty key, Exists)
      // for NoExecute (or every effect) already covers it.
      if (!tolerations.some(t => (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')) && (t.effect === 'NoExecute' || (t.effect ?? '') === ''))) {
        tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })
      }
    }
  },
  prepareForCreate (obj) {
    obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec as Json) }
  },
  validate (obj) {
    return validatePodSpec(obj.spec as Json, 'spec')
  },
  validateUpdate (obj, old) {
    return validatePodUpdate(obj, old)
  },
}

/** Upstream allows only images, activeDeadlineSeconds, added tolerations and a few more to change. */
function validatePodUpdate (obj: KubeObject, old: KubeObject): StatusCause[] {
  const a = structuredClone(obj.spec) as Json
  const b = structuredClone(old.spec) as Json
  for (const s of [a, b]) {
    for (const list of [s.containers, s.initContainers]) for (const c of list ?? []) delete c.image
    delete s.activeDeadlineSeconds
    delete s.tolerations
    delete s.terminationGracePeriodSeconds
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return []
  return [{
    reason: 'FieldValueForbidden',
    field: 'spec',
    message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  }]
}
