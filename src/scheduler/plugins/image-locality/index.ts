/**
 * ImageLocality (v1.32): favours nodes that already hold the pod's images (init and app
 * containers). Each image present on the node scores its size scaled by its spread
 * (nodes having it / all nodes), to avoid piling pods onto the one node with the image; the sum is
 * clamped to [23Mi, 1000Mi × containers] and mapped linearly onto 0–100 (integer division).
 * Example: one container, a 500Mi image on 2 of 4 nodes → 250Mi →
 * 100 × (250Mi − 23Mi) / (1000Mi − 23Mi) = 23.
 * Names are compared as upstream does: `name:latest` added when the reference has no tag, no
 * registry normalization (`nginx` does not match `docker.io/library/nginx:latest`).
 */
import type { KubeObject } from '../../../api/object.ts'
import { type CycleState, type NodeInfo, type PreScorePlugin, type ScorePlugin, type Snapshot, MAX_NODE_SCORE, success } from '../../types.ts'
import { guard } from '../shared/guard.ts'
import { nodeScores } from '../shared/node-scores.ts'

export const NAME = 'ImageLocality'
const PRE_SCORE_KEY = `PreScore${NAME}`

const MB = 1024 * 1024
export const MIN_THRESHOLD = 23 * MB
export const MAX_CONTAINER_THRESHOLD = 1000 * MB

/** normalizedImageName: `:latest` appended when the last `:` is not after the last `/`. */
export const normalizedImageName = (name: string): string => (name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name)

/** calculatePriority: the clamped sum mapped onto 0–100. */
export function calculatePriority (sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers
  const clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : sumScores > maxThreshold ? maxThreshold : sumScores
  return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD)) + 0 // + 0: no -0 for zero containers
}

interface ImageState { images: string[], numNodes: Map<string, number>, totalNumNodes: number }

const podImages = (pod: KubeObject): string[] => {
  const spec = (pod as any).spec ?? {}
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => normalizedImageName(String(c.image ?? '')))
}

/** The pod's images and, for each, how many of all the cluster's nodes have it (ImageStateSummary.NumNodes). */
function imageState (pod: KubeObject, snapshot: Snapshot): ImageState {
  const images = podImages(pod)
  const numNodes = new Map<string, number>()
  for (const name of new Set(images)) numNodes.set(name, snapshot.imageNumNodes(name))
  return { images, numNodes, totalNumNodes: snapshot.nodes.length }
}

/** sumImageScores: Σ over the pod's containers of int64(size × numNodes / totalNumNodes) for images on the node. */
export function sumImageScores (nodeInfo: NodeInfo, s: ImageState): number {
  let sum = 0
  for (const name of s.images) {
    const size = nodeInfo.images.get(name)
    if (size === undefined) continue
    const spread = (s.numNodes.get(name) ?? 0) / s.totalNumNodes
    sum += Math.trunc(size * spread)
  }
  return sum
}

const stateOf = (state: CycleState, pod: KubeObject, snapshot: Snapshot): ImageState => state.read<ImageState>(PRE_SCORE_KEY) ?? imageState(pod, snapshot)

/** Whether any node holds one of the pod's images. */
function anywhere (s: ImageState): boolean {
  for (const n of s.numNodes.values()) if (n > 0) return true
  return false
}

export type ImageLocalityPlugin = PreScorePlugin & ScorePlugin

export function newImageLocality (): ImageLocalityPlugin {
  return guard<ImageLocalityPlugin>({
    name: NAME,
    preScore: (state, pod, _nodes, snapshot) => {
      state.write(PRE_SCORE_KEY, imageState(pod, snapshot))
      return success()
    },
    // No node holds any of the images (a cluster that has not pulled them yet): every node
    // sums 0, and no node's image map need be looked at.
    ...nodeScores((state, pod, snapshot) => {
      const s = stateOf(state, pod, snapshot)
      if (!anywhere(s)) {
        const none = calculatePriority(0, s.images.length)
        return () => none
      }
      return nodeInfo => calculatePriority(sumImageScores(nodeInfo, s), s.images.length)
    }, (state, pod, snapshot) => {
      const s = stateOf(state, pod, snapshot)
      if (!anywhere(s)) {
        const none = calculatePriority(0, s.images.length)
        return (nodes, _rows, out) => { out.fill(none, 0, nodes.length) }
      }
      // A loop of its own (nodeScores' shared loop cannot inline the call).
      return (nodes, _rows, out) => {
        for (let i = 0; i < nodes.length; i++) out[i] = calculatePriority(sumImageScores(nodes[i], s), s.images.length)
      }
    }),
  })
}
