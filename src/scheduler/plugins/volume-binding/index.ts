// VolumeBinding, the part local-path needs: every claim a pod uses must exist; a bound claim's
// volume must allow the node (its nodeAffinity); an unbound claim is fine only if its class
// binds WaitForFirstConsumer (the provisioner then follows the scheduler's choice, recorded on
// the claim as volume.kubernetes.io/selected-node at binding). Messages as upstream v1.32.
import type { KubeObject } from '../../../api/object.ts'
import { ephemeralClaimMismatch, podClaims } from '../../../api/pod-volumes.ts'
import { selectorFromLabelSelector } from '../../../api/labels.ts'
import { type CycleState, type FilterPlugin, type PreFilterPlugin, skip, success, unresolvable } from '../../types.ts'
import type { PluginOptions } from '../shared/options.ts'

type Json = Record<string, any>

export const NAME = 'VolumeBinding'
const STATE = 'VolumeBinding/claims'

interface Claims { bound: KubeObject[] }


/** A PV's required node affinity against a node's labels (nodeSelectorTerms are ORed). */
function volumeAllows (pv: KubeObject, node: KubeObject): boolean {
  const terms = ((pv.spec as Json).nodeAffinity?.required?.nodeSelectorTerms ?? []) as Json[]
  if (terms.length === 0) return true
  const labels = node.metadata.labels ?? {}
  return terms.some(t => {
    const exprs = (t.matchExpressions ?? []) as Json[]
    const selector = selectorFromLabelSelector({ matchExpressions: exprs.map(e => ({ key: e.key, operator: e.operator === 'Gt' || e.operator === 'Lt' ? 'Exists' : e.operator, values: e.values })) })
    const fields = ((t.matchFields ?? []) as Json[]).every(f => f.key !== 'metadata.name' || (f.operator === 'In' ? f.values.includes(node.metadata.name) : !f.values.includes(node.metadata.name)))
    return selector.matches(labels) && fields
  })
}

export function newVolumeBinding (options: PluginOptions = {}): PreFilterPlugin & FilterPlugin {
  const listers = options.listers ?? {}
  return {
    name: NAME,
    preFilter (state: CycleState, pod: KubeObject) {
      const used = podClaims(pod)
      if (used.length === 0) return { status: skip() }
      const claims: Claims = { bound: [] }
      for (const { claim: name, ephemeral } of used) {
        const pvc = listers.persistentVolumeClaim?.(pod.metadata.namespace ?? '', name)
        if (pvc === undefined) {
          // Normal just after a pod with a generic ephemeral volume is created.
          return { status: unresolvable(ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`) }
        }
        if (pvc.metadata.deletionTimestamp !== undefined) return { status: unresolvable(`persistentvolumeclaim "${name}" is being deleted`) }
        const mismatch = ephemeral ? ephemeralClaimMismatch(pod, pvc) : undefined
        if (mismatch !== undefined) return { status: unresolvable(mismatch) }
        const volumeName = (pvc.spec as Json).volumeName
        if (volumeName) { claims.bound.push(pvc); continue }
        const className = (pvc.spec as Json).storageClassName
        const cls = className === undefined ? undefined : listers.storageClass?.(className)
        if ((cls as Json | undefined)?.volumeBindingMode !== 'WaitForFirstConsumer') {
          return { status: unresolvable('pod has unbound immediate PersistentVolumeClaims') }
        }
      }
      state.write(STATE, claims)
      return { status: success() }
    },
    filter (state: CycleState, _pod: KubeObject, node) {
      const claims = state.read<Claims>(STATE)
      if (claims === undefined) return success()
      for (const pvc of claims.bound) {
        const pv = listers.persistentVolume?.((pvc.spec as Json).volumeName)
        if (pv === undefined) return unresolvable(`node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)`)
        if (!volumeAllows(pv, node.node)) return unresolvable('node(s) had volume node affinity conflict')
      }
      return success()
    },
  }
}
