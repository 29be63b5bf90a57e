/**
 * The in-tree plugins and the default profile of kube-scheduler v1.32 (apis/config/v1
 * getDefaultPlugins), minus what others own or we skip: SchedulingGates (PreEnqueue),
 * VolumeRestrictions/NodeVolumeLimits/VolumeBinding/VolumeZone, DefaultPreemption, DefaultBinder.
 * Plugins may use api/, ../types.ts and ../node-info.ts only; they never throw (see shared/guard.ts).
 */
import type { Plugin } from '../types.ts'
import { NAME as IMAGE_LOCALITY, newImageLocality } from './image-locality/index.ts'
import { NAME as INTER_POD_AFFINITY, newInterPodAffinity } from './inter-pod-affinity/index.ts'
import { NAME as NODE_AFFINITY, newNodeAffinity } from './node-affinity/index.ts'
import { NAME as NODE_NAME, newNodeName } from './node-name/index.ts'
import { NAME as NODE_PORTS, newNodePorts } from './node-ports/index.ts'
import { NAME as BALANCED_ALLOCATION, newNodeResourcesBalancedAllocation } from './node-resources-balanced-allocation/index.ts'
import { NAME as NODE_RESOURCES_FIT, newNodeResourcesFit } from './node-resources-fit/index.ts'
import { NAME as NODE_UNSCHEDULABLE, newNodeUnschedulable } from './node-unschedulable/index.ts'
import { NAME as POD_TOPOLOGY_SPREAD, newPodTopologySpread } from './pod-topology-spread/index.ts'
import { NAME as PRIORITY_SORT, newPrioritySort } from './priority-sort/index.ts'
import { NAME as TAINT_TOLERATION, newTaintToleration } from './taint-toleration/index.ts'
import { NAME as VOLUME_BINDING, newVolumeBinding } from './volume-binding/index.ts'
import type { Listers, PluginFactory } from './shared/options.ts'

export { newImageLocality, newInterPodAffinity, newNodeAffinity, newNodeName, newNodePorts, newNodeResourcesBalancedAllocation }
export { newNodeResourcesFit, newNodeUnschedulable, newPodTopologySpread, newPrioritySort, newTaintToleration }
export { fitsRequest, type FitOptions, type InsufficientResource } from './node-resources-fit/index.ts'
export { hasPreFilterExtensions, type PreFilterExtensions } from './shared/extensions.ts'
export { guard } from './shared/guard.ts'
export type { Listers, PluginFactory, PluginOptions } from './shared/options.ts'

/** Plugin name → factory: the one explicit registry. */
export const REGISTRY: Readonly<Record<string, PluginFactory>> = Object.freeze({
  [PRIORITY_SORT]: newPrioritySort,
  [NODE_UNSCHEDULABLE]: newNodeUnschedulable,
  [NODE_NAME]: newNodeName,
  [TAINT_TOLERATION]: newTaintToleration,
  [NODE_AFFINITY]: newNodeAffinity,
  [NODE_PORTS]: newNodePorts,
  [NODE_RESOURCES_FIT]: newNodeResourcesFit,
  [POD_TOPOLOGY_SPREAD]: newPodTopologySpread,
  [INTER_POD_AFFINITY]: newInterPodAffinity,
  [BALANCED_ALLOCATION]: newNodeResourcesBalancedAllocation,
  [IMAGE_LOCALITY]: newImageLocality,
  [VOLUME_BINDING]: newVolumeBinding,
})

export interface WeightedPlugin { name: string, weight: number }

/** Plugin names per extension point, in the order the framework runs them. */
export interface Profile {
  schedulerName: string
  queueSort: string[]
  preFilter: string[]
  filter: string[]
  preScore: string[]
  score: WeightedPlugin[]
  /** Args per plugin (KubeSchedulerConfiguration pluginConfig, camelCase), passed to the factories. */
  pluginConfig: Record<string, Record<string, any>>
}

/**
 * The v1.32 default profile. Filter order is k3s-facts §2.1 (volume plugins would sit between
 * NodeResourcesFit and PodTopologySpread). Score weights: TaintToleration 3; NodeAffinity,
 * PodTopologySpread, InterPodAffinity 2; NodeResourcesFit, BalancedAllocation, ImageLocality 1.
 */
export const DEFAULT_PROFILE: Readonly<Profile> = Object.freeze({
  schedulerName: 'default-scheduler',
  queueSort: [PRIORITY_SORT],
  preFilter: [NODE_AFFINITY, NODE_PORTS, NODE_RESOURCES_FIT, VOLUME_BINDING, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY],
  filter: [NODE_UNSCHEDULABLE, NODE_NAME, TAINT_TOLERATION, NODE_AFFINITY, NODE_PORTS, NODE_RESOURCES_FIT, VOLUME_BINDING, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY],
  preScore: [TAINT_TOLERATION, NODE_AFFINITY, NODE_RESOURCES_FIT, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY, BALANCED_ALLOCATION, IMAGE_LOCALITY],
  score: [
    { name: TAINT_TOLERATION, weight: 3 },
    { name: NODE_AFFINITY, weight: 2 },
    { name: NODE_RESOURCES_FIT, weight: 1 },
    { name: POD_TOPOLOGY_SPREAD, weight: 2 },
    { name: INTER_POD_AFFINITY, weight: 2 },
    { name: BALANCED_ALLOCATION, weight: 1 },
    { name: IMAGE_LOCALITY, weight: 1 },
  ],
  pluginConfig: {
    [NODE_RESOURCES_FIT]: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } },
    [BALANCED_ALLOCATION]: { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] },
    [POD_TOPOLOGY_SPREAD]: { defaultingType: 'System' },
    [INTER_POD_AFFINITY]: { hardPodAffinityWeight: 1 },
  },
})

/**
 * One instance of every plugin the profile names, by name (a plugin serving several extension
 * points is one object, as upstream). Throws on an unknown name or invalid args.
 */
export function newProfilePlugins (profile: Readonly<Profile> = DEFAULT_PROFILE, listers: Listers = {}): Map<string, Plugin> {
  const names = new Set([...profile.queueSort, ...profile.preFilter, ...profile.filter, ...profile.preScore, ...profile.score.map((s) => s.name)])
  const out = new Map<string, Plugin>()
  for (const name of names) {
    const factory = REGISTRY[name]
    if (factory === undefined) throw new Error(`plugin "${name}" does not exist`)
    out.set(name, factory({ args: profile.pluginConfig[name], listers }))
  }
  return out
}
