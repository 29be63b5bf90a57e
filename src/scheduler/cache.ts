// The scheduler's cache: a NodeInfo per node with its pods' requests summed incrementally (from
// informer events, not rescans), plus pods the scheduler assumed bound before the API said so.
import { objectKey, type KubeObject } from '../api/object.ts'
import { addPod, newNodeInfo, newPodInfo, removePod } from './node-info.ts'
import type { NodeInfo, Snapshot } from './types.ts'

type Json = Record<string, any>

/** Pods counted on a node: bound, not finished (terminating ones still count). */
export function countsOnNode (pod: KubeObject): string | undefined {
  const phase = (pod.status as Json | undefined)?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return undefined
  return (pod.spec as Json | undefined)?.nodeName || undefined
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>()
  /** Where each counted pod is (node name), by key. */
  private readonly placed = new Map<string, { node: string, pod: KubeObject }>()
  private readonly assumed = new Set<string>()
  private list: NodeInfo[] | undefined

  get nodes (): NodeInfo[] {
    this.list ??= [...this.infos.values()]
    return this.list
  }

  get (name: string): NodeInfo | undefined { return this.infos.get(name) }

  setNode (node: KubeObject): void {
    const name = node.metadata.name!
    const info = newNodeInfo(node)
    const existing = this.infos.get(name)
    if (existing !== undefined) for (const p of existing.pods) addPod(info, p)
    else for (const [, p] of this.placed) if (p.node === name) addPod(info, newPodInfo(p.pod))
    this.infos.set(name, info)
    this.list = undefined
  }

  removeNode (name: string): void {
    this.infos.delete(name)
    this.list = undefined
  }

  /** A pod seen by the informer: counted where it is bound (confirming an assumption). */
  setPod (pod: KubeObject): void {
    const key = objectKey(pod)
    const node = countsOnNode(pod)
    const prev = this.placed.get(key)
    if (prev !== undefined) {
      const info = this.infos.get(prev.node)
      if (info !== undefined) removePod(info, prev.pod)
      this.placed.delete(key)
    }
    this.assumed.delete(key)
    if (node === undefined) return
    this.placed.set(key, { node, pod })
    const info = this.infos.get(node)
    if (info !== undefined) addPod(info, newPodInfo(pod))
  }

  removePod (pod: KubeObject): void {
    const key = objectKey(pod)
    const prev = this.placed.get(key)
    if (prev === undefined) return
    const info = this.infos.get(prev.node)
    if (info !== undefined) removePod(info, prev.pod)
    this.placed.delete(key)
    this.assumed.delete(key)
  }

  /** Count the pod on `node` now, before the binding is seen (upstream's AssumePod). */
  assume (pod: KubeObject, node: string): void {
    const bound = { ...pod, spec: { ...(pod.spec as Json), nodeName: node } } as KubeObject
    this.setPod(bound)
    this.assumed.add(objectKey(pod))
  }

  /** The binding failed: forget the assumption. */
  forget (pod: KubeObject): void {
    if (this.assumed.has(objectKey(pod))) this.removePod(pod)
  }
}
