// NodeInfo.Snapshot(): a copy the dry run may change (remove victims, reprieve them) while the
// scheduler cache's NodeInfo stays as it is. Pods, node and images are shared, never changed.
import type { NodeInfo, Resources } from '../types.ts'
import { PACKED_LENGTH } from '../node-info.ts'

const copyResources = (r: Resources): Resources => ({ ...r, scalar: { ...r.scalar } })

export function cloneNodeInfo (n: NodeInfo): NodeInfo {
  return {
    ...n,
    pods: [...n.pods],
    allocatable: { ...copyResources(n.allocatable), pods: n.allocatable.pods },
    requested: copyResources(n.requested),
    nonZeroRequested: copyResources(n.nonZeroRequested),
    usedPorts: n.usedPorts.map(p => ({ ...p })),
    packed: n.packed === undefined ? undefined : n.packed.slice(n.packedAt ?? 0, (n.packedAt ?? 0) + PACKED_LENGTH),
    packedAt: 0,
  }
}
