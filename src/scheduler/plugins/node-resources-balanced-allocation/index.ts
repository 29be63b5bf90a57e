/**
 * NodeResourcesBalancedAllocation (v1.32): favours nodes whose cpu and memory fractions stay
 * close once the pod is placed, over the real (not non-zero) requests:
 * f_r = min(1, (requested_node + request_pod) / allocatable); with two resources
 * std = |f_cpu − f_mem| / 2, with more the population standard deviation; score = trunc((1 − std) × 100).
 * Example: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87.
 * (Skipping best-effort pods in PreScore came in v1.33; v1.32 scores them.)
 * Args (NodeResourcesBalancedAllocationArgs): resources, default cpu and memory.
 */
import { type PreScorePlugin, type ScorePlugin, MAX_NODE_SCORE, success } from '../../types.ts'
import { guard } from '../shared/guard.ts'
import type { PluginOptions } from '../shared/options.ts'
import { allocationVectors, DEFAULT_RESOURCES, podRequestList, type ResourceSpec, validateResources } from '../node-resources-fit/resource-allocation.ts'

export const NAME = 'NodeResourcesBalancedAllocation'
const PRE_SCORE_KEY = `PreScore${NAME}`

/** balancedResourceScorer over (requested, allocatable) vectors; allocatable 0 entries are left out. */
export function balancedResourceScore (requested: number[], allocatable: number[]): number {
  const fractions: number[] = []
  let total = 0
  requested.forEach((req, i) => {
    if (allocatable[i] === 0) return
    const f = Math.min(1, req / allocatable[i])
    total += f
    fractions.push(f)
  })
  let std = 0
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2)
  } else if (fractions.length > 2) {
    const mean = total / fractions.length
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length)
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE)
}

export type BalancedAllocationPlugin = PreScorePlugin & ScorePlugin

export function newNodeResourcesBalancedAllocation (options: PluginOptions = {}): BalancedAllocationPlugin {
  const resources: ResourceSpec[] = validateResources(options.args?.resources ?? DEFAULT_RESOURCES, 'resources')
  return guard<BalancedAllocationPlugin>({
    name: NAME,
    preScore: (state, pod) => {
      state.write(PRE_SCORE_KEY, podRequestList(pod, resources, true))
      return success()
    },
    score: (state, pod, nodeInfo) => {
      const requests = state.read<number[]>(PRE_SCORE_KEY) ?? podRequestList(pod, resources, true)
      const { requested, allocatable } = allocationVectors(nodeInfo, resources, requests, true)
      return { score: balancedResourceScore(requested, allocatable), status: success() }
    },
  })
}
