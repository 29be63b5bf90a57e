/**
 * NodeResourcesFit, the model plugin: PreFilter computes the pod's request once (k3s-facts §2.3)
 * into cycle state; Filter reads it and asks the pure `fitsRequest` which resources are short
 * (all reported, code Unschedulable); Score is the LeastAllocated strategy (cpu 1, memory 1) over
 * the non-zero requests, or MostAllocated when configured.
 * Args (NodeResourcesFitArgs): ignoredResources, ignoredResourceGroups,
 * scoringStrategy {type: LeastAllocated | MostAllocated, resources}.
 */
import { podRequests } from '../../../api/pod-resources.ts'
import type { KubeObject } from '../../../api/object.ts'
import { type CycleState, errorStatus, type FilterPlugin, type NodeInfo, type PreFilterPlugin, type PreScorePlugin, type Resources, type ScorePlugin, success, unschedulable } from '../../types.ts'
import { PACKED } from '../../node-info.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import type { PluginOptions } from '../shared/options.ts'
import { fitsRequest, packedRoom } from './fit.ts'
import { allocationVectors, cpuMemoryWeights, cpuMemoryFields, DEFAULT_RESOURCES, packedCpuMemoryScorer, leastRequestedScore, mostRequestedScore, podRequestList, type ResourceSpec, validateResources, weightedScore } from './resource-allocation.ts'

export { fitsRequest, type FitOptions, type InsufficientResource } from './fit.ts'

export const NAME = 'NodeResourcesFit'
const PRE_FILTER_KEY = `PreFilter${NAME}`
const PRE_SCORE_KEY = `PreScore${NAME}`

const STRATEGIES: Record<string, (requested: number, capacity: number) => number> = {
  LeastAllocated: leastRequestedScore,
  MostAllocated: mostRequestedScore,
}

export type NodeResourcesFitPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin

export function newNodeResourcesFit (options: PluginOptions = {}): NodeResourcesFitPlugin {
  const args = options.args ?? {}
  const type: string = args.scoringStrategy?.type ?? 'LeastAllocated'
  const per = STRATEGIES[type]
  if (per === undefined) throw new Error(`scoring strategy ${type} is not supported`)
  const resources: ResourceSpec[] = validateResources(args.scoringStrategy?.resources ?? DEFAULT_RESOURCES, 'scoringStrategy.resources')
  const fitOptions = { ignoredResources: args.ignoredResources ?? [], ignoredResourceGroups: args.ignoredResourceGroups ?? [] }

  // Reused by every score call (one node at a time): no two arrays per node and pod.
  const scratch = { requested: resources.map(() => 0), allocatable: resources.map(() => 0) }
  const pair = cpuMemoryWeights(resources)
  const requestsOf = (state: CycleState, pod: KubeObject): number[] => state.read<number[]>(PRE_SCORE_KEY) ?? podRequestList(pod, resources, false)
  // cpu and memory only: weightedScore over the node's packed numbers (the same arithmetic).
  const cpuMemory = pair === undefined
    ? undefined
    : (cpuRequested: number, cpu: number, memoryRequested: number, memory: number): number => {
        let score = 0
        let weights = 0
        if (cpu !== 0) { score += per(cpuRequested, cpu) * pair.cpu; weights += pair.cpu }
        if (memory !== 0) { score += per(memoryRequested, memory) * pair.memory; weights += pair.memory }
        return weights === 0 ? 0 : Math.floor(score / weights)
      }
  return guard<NodeResourcesFitPlugin>({
    name: NAME,
    preFilter: (state, pod) => {
      state.write(PRE_FILTER_KEY, podRequests(pod))
      return { status: success() }
    },
    filter: (state, _pod, nodeInfo) => {
      const request = state.read<Resources>(PRE_FILTER_KEY)
      if (request === undefined) return errorStatus(`error reading "${PRE_FILTER_KEY}" from cycleState: not found`)
      const insufficient = fitsRequest(request, nodeInfo, fitOptions)
      return insufficient.length === 0 ? success() : unschedulable(...insufficient.map((r) => r.reason))
    },
    packedPass: (state) => {
      const request = state.read<Resources>(PRE_FILTER_KEY)
      return request === undefined ? undefined : packedRoom(request)
    },
    preScore: (state, pod) => {
      state.write(PRE_SCORE_KEY, podRequestList(pod, resources, false))
      return success()
    },
    ...nodeScores((state, pod) => {
      const requests = requestsOf(state, pod)
      const general = (nodeInfo: NodeInfo): number => {
        const { requested, allocatable } = allocationVectors(nodeInfo, resources, requests, false, scratch)
        return weightedScore(per, resources, requested, allocatable)
      }
      return cpuMemory === undefined ? general : packedCpuMemoryScorer(resources, requests, true, general, cpuMemory)
    }, (state, pod) => {
      if (cpuMemory === undefined) return undefined
      const { cpuRequest, memoryRequest, cpuUsed, memoryUsed } = cpuMemoryFields(resources, requestsOf(state, pod), true)
      return (_nodes, { packed: p, at }, out) => {
        for (let i = 0; i < at.length; i++) {
          const o = at[i]
          out[i] = cpuMemory(p[o + cpuUsed] + cpuRequest, p[o + PACKED.allocatableMilliCPU], p[o + memoryUsed] + memoryRequest, p[o + PACKED.allocatableMemory])
        }
      }
    }),
  })
}
