// PreFilterExtensions (upstream framework.PreFilterExtensions), not in ../../types.ts: preemption
// asks a PreFilter plugin to update its cycle state as if a pod were added to or removed from a
// node. Implementations here never mutate the state object in place: they write an updated copy,
// so a CycleState.clone() (shallow) taken before stays intact.
import type { KubeObject } from '../../../api/object.ts'
import type { CycleState, NodeInfo, PodInfo, PreFilterPlugin, Status } from '../../types.ts'

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: KubeObject, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status
  removePod(state: CycleState, podToSchedule: KubeObject, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status
}

export const hasPreFilterExtensions = (p: PreFilterPlugin): p is PreFilterPlugin & PreFilterExtensions =>
  typeof (p as Partial<PreFilterExtensions>).addPod === 'function' && typeof (p as Partial<PreFilterExtensions>).removePod === 'function'
