// NodeName: a pod with spec.nodeName set fits only that node.
import { type FilterPlugin, success, unresolvable } from '../../types.ts'
import { guard } from '../shared/guard.ts'

export const NAME = 'NodeName'
export const ERR_REASON = "node(s) didn't match the requested node name"

export function newNodeName (): FilterPlugin {
  return guard<FilterPlugin>({
    name: NAME,
    filter: (_state, pod, nodeInfo) => {
      const wanted: string | undefined = (pod as any).spec?.nodeName
      return !wanted || wanted === nodeInfo.node.metadata.name ? success() : unresolvable(ERR_REASON)
    },
    packedPass: (_state, pod) => (pod as any).spec?.nodeName ? undefined : {},
  })
}
