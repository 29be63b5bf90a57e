/**
 * NodePorts: the pod's host ports must be free on the node. A port clashes on
 * (hostIP, protocol, port); 0.0.0.0 (the default) clashes with every IP; protocol defaults to TCP.
 * Pods without host ports skip the filter (PreFilter returns Skip).
 */
import type { KubeObject } from '../../../api/object.ts'
import { hostPorts } from '../../../api/pod-resources.ts'
import { type FilterPlugin, type HostPortInfo, type PreFilterPlugin, skip, success, unschedulable } from '../../types.ts'
import { guard } from '../shared/guard.ts'

export const NAME = 'NodePorts'
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
const PRE_FILTER_KEY = `PreFilter${NAME}`

const BIND_ALL = '0.0.0.0'

/** HostPortInfo.CheckConflict for one wanted port against the node's used ports. */
export function portConflicts (used: HostPortInfo[], want: HostPortInfo): boolean {
  if (want.port <= 0) return false
  const ip = want.ip || BIND_ALL
  const protocol = want.protocol || 'TCP'
  return used.some((u) => u.port === want.port && u.protocol === protocol && (ip === BIND_ALL || u.ip === BIND_ALL || u.ip === ip))
}

/** fitsPorts: none of the wanted ports is in use on the node. */
export const fitsPorts = (used: HostPortInfo[], want: HostPortInfo[]): boolean => !want.some((w) => portConflicts(used, w))

export type NodePortsPlugin = PreFilterPlugin & FilterPlugin

export function newNodePorts (): NodePortsPlugin {
  return guard<NodePortsPlugin>({
    name: NAME,
    preFilter: (state, pod: KubeObject) => {
      const ports = hostPorts(pod)
      if (ports.length === 0) return { status: skip() }
      state.write(PRE_FILTER_KEY, ports)
      return { status: success() }
    },
    filter: (state, pod, nodeInfo) => {
      // Called without PreFilter (or after its Skip): compute the ports here rather than fail.
      const want = state.read<HostPortInfo[]>(PRE_FILTER_KEY) ?? hostPorts(pod)
      return fitsPorts(nodeInfo.usedPorts, want) ? success() : unschedulable(ERR_REASON)
    },
  })
}
