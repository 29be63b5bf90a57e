// NodeUnschedulable: a cordoned node (spec.unschedulable) admits only pods tolerating
// node.kubernetes.io/unschedulable:NoSchedule.
import { type FilterPlugin, success, unresolvable } from '../../types.ts'
import { guard } from '../shared/guard.ts'
import { PACKED, packedOf } from '../../node-info.ts'
import { podTolerations, tolerationsTolerateTaint } from '../shared/taints.ts'

export const NAME = 'NodeUnschedulable'
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable'
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions'

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }

export function newNodeUnschedulable (): FilterPlugin {
  return guard<FilterPlugin>({
    name: NAME,
    filter: (_state, pod, nodeInfo) => {
      if (!nodeInfo?.node) return unresolvable(ERR_REASON_UNKNOWN_CONDITION)
      // The packed flag first: the node object is one more memory access per node and pod.
      const cordoned = packedOf(nodeInfo, PACKED.unschedulable)
      if (cordoned !== undefined ? cordoned === 0 : !(nodeInfo.node as any).spec?.unschedulable) return success()
      return tolerationsTolerateTaint(podTolerations(pod), UNSCHEDULABLE_TAINT) ? success() : unresolvable(ERR_REASON_UNSCHEDULABLE)
    },
    packedPass: (_state, pod) => tolerationsTolerateTaint(podTolerations(pod), UNSCHEDULABLE_TAINT) ? {} : { zero: [PACKED.unschedulable] },
  })
}
