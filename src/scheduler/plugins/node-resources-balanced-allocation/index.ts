/**
 * NodeResourcesBalancedAllocation (v1.32): favours nodes whose cpu and memory fractions stay
 * close once the pod is placed, over the real (not non-zero) requests:
 * f_r = min(1, (requested_node + request_pod) / allocatable); with two resources
 * std = |f_cpu − f_mem| / 2, with more the population standard deviation; score = trunc((1 − std) × 100).
 * Example: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87.
 * (Skipping best-effort pods in PreScore came in v1.33; v1.32 scores them.)
 * Args (NodeResourcesBalancedAllocationArgs): resources, default cpu and memory.
 */
import type { KubeObject } from '../../../api/object.ts'
import { type CycleState, type NodeInfo, type PreScorePlugin, type ScorePlugin, MAX_NODE_SCORE, success } from '../../types.ts'
import { PACKED } from '../../node-info.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'
import type { PluginOptions } from '../shared/options.ts'
import { allocationVectors, cpuMemoryWeights, cpuMemoryFields, DEFAULT_RESOURCES, packedCpuMemoryScorer, podRequestList, type ResourceSpec, validateResources } from '../node-resources-fit/resource-allocation.ts'

export const NAME = 'NodeResourcesBalancedAllocation'
const PRE_SCORE_KEY = `PreScore${NAME}`

/** balancedResourceScorer over (requested, allocatable) vectors; allocatable 0 entries are left out. */
export function balancedResourceScore (requested: number[], allocatable: number[]): number {
  let n = 0
  let total = 0
  let first = 0
  let second = 0
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue
    const f = Math.min(1, requested[i] / allocatable[i])
    if (n === 0) first = f
    else if (n === 1) second = f
    total += f
    n++
  }
  let std = 0
  if (n === 2) {
    std = Math.abs((first - second) / 2)
  } else if (n > 2) {
    const mean = total / n
    let sq = 0
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue
      const f = Math.min(1, requested[i] / allocatable[i])
      sq += (f - mean) * (f - mean)
    }
    std = Math.sqrt(sq / n)
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE)
}

/**
 * balancedResourceScore's two-resource case over the packed numbers (one or no resource
 * allocatable: a deviation of 0, so 100).
 */
function balancedCpuMemory (cpuRequested: number, cpu: number, memoryRequested: number, memory: number): number {
  if (cpu === 0 || memory === 0) return MAX_NODE_SCORE
  const fCPU = Math.min(1, cpuRequested / cpu)
  const fMemory = Math.min(1, memoryRequested / memory)
  return Math.trunc((1 - Math.abs((fCPU - fMemory) / 2)) * MAX_NODE_SCORE)
}

export type BalancedAllocationPlugin = PreScorePlugin & ScorePlugin

export function newNodeResourcesBalancedAllocation (options: PluginOptions = {}): BalancedAllocationPlugin {
  const resources: ResourceSpec[] = validateResources(options.args?.resources ?? DEFAULT_RESOURCES, 'resources')
  // Reused by every score call (one node at a time): no two arrays per node and pod.
  const scratch = { requested: resources.map(() => 0), allocatable: resources.map(() => 0) }
  const pair = cpuMemoryWeights(resources) !== undefined
  const requestsOf = (state: CycleState, pod: KubeObject): number[] => state.read<number[]>(PRE_SCORE_KEY) ?? podRequestList(pod, resources, true)
  return guard<BalancedAllocationPlugin>({
    name: NAME,
    preScore: (state, pod) => {
      state.write(PRE_SCORE_KEY, podRequestList(pod, resources, true))
      return success()
    },
    ...nodeScores((state, pod) => {
      const requests = requestsOf(state, pod)
      const general = (nodeInfo: NodeInfo): number => {
        const { requested, allocatable } = allocationVectors(nodeInfo, resources, requests, true, scratch)
        return balancedResourceScore(requested, allocatable)
      }
      return pair ? packedCpuMemoryScorer(resources, requests, false, general, balancedCpuMemory) : general
    }, (state, pod) => {
      if (!pair) return undefined
      const { cpuRequest, memoryRequest, cpuUsed, memoryUsed } = cpuMemoryFields(resources, requestsOf(state, pod), false)
      return (_nodes, { packed: p, at }, out) => {
        for (let i = 0; i < at.length; i++) {
          const o = at[i]
          out[i] = balancedCpuMemory(p[o + cpuUsed] + cpuRequest, p[o + PACKED.allocatableMilliCPU], p[o + memoryUsed] + memoryRequest, p[o + PACKED.allocatableMemory])
        }
      }
    }),
  })
}
