// The scheduler's cache: a NodeInfo per node with its pods' requests summed incrementally (from
// informer events, not rescans), plus pods the scheduler assumed bound before the API said so.
import { objectKey, type KubeObject } from '../api/object.ts'
import { addPod, newNodeInfo, newPodInfo, removePod, replacePod, setNode as updateNode } from './node-info.ts'
import { PackedRows } from './packed-rows.ts'
import type { NodeInfo, NodeRows, Snapshot } from './types.ts'

type Json = Record<string, any>

/** Pods counted on a node: bound, not finished (terminating ones still count). */
export function countsOnNode (pod: KubeObject): string | undefined {
  const phase = (pod.status as Json | undefined)?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return undefined
  return (pod.spec as Json | undefined)?.nodeName || undefined
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>()
  /** Image name → nodes holding it, kept as nodes come, change and go. */
  private readonly imageNodes = new Map<string, number>()
  /** Names of the nodes holding pods with (anti-)affinity, and with required anti-affinity. */
  private readonly withAffinity = new Set<string>()
  private readonly withRequiredAnti = new Set<string>()
  private affinityList: NodeInfo[] | undefined
  private requiredAntiList: NodeInfo[] | undefined
  /** Where each counted pod is (node name), by key. */
  private readonly placed = new Map<string, { node: string, pod: KubeObject }>()
  private readonly assumed = new Set<string>()
  private list: NodeInfo[] | undefined
  /** Names of the nodes changed, in order; entry i is change number changeBase + i + 1. */
  private changeLog: string[] = []
  private changeBase = 0
  private readonly packedRows = new PackedRows()
  /** Each of `list`'s rows (where it starts in the packed array), made with the list. */
  private rowStarts: Int32Array | undefined

  get nodes (): NodeInfo[] {
    this.list ??= [...this.infos.values()]
    return this.list
  }

  get (name: string): NodeInfo | undefined { return this.infos.get(name) }

  rows (): NodeRows {
    this.rowStarts ??= Int32Array.from(this.nodes, n => n.packedAt ?? 0)
    return { packed: this.packedRows.buffer, at: this.rowStarts }
  }

  havePodsWithAffinity (): NodeInfo[] {
    this.affinityList ??= [...this.withAffinity].map(n => this.infos.get(n)!)
    return this.affinityList
  }

  havePodsWithRequiredAntiAffinity (): NodeInfo[] {
    this.requiredAntiList ??= [...this.withRequiredAnti].map(n => this.infos.get(n)!)
    return this.requiredAntiList
  }

  imageNumNodes (name: string): number { return this.imageNodes.get(name) ?? 0 }

  changes (since: number): { version: number, names: readonly string[] | undefined } {
    const version = this.changeBase + this.changeLog.length
    if (since < this.changeBase || since > version) return { version, names: undefined }
    return { version, names: this.changeLog.slice(since - this.changeBase) }
  }

  private changed (name: string): void {
    this.changeLog.push(name)
    // Bounded: readers further behind than the kept half recompute from all nodes.
    if (this.changeLog.length > 20_000) {
      this.changeBase += 10_000
      this.changeLog = this.changeLog.slice(10_000)
    }
  }

  setNode (node: KubeObject): void {
    const name = node.metadata.name!
    const existing = this.infos.get(name)
    if (existing !== undefined) {
      // Changed in place, as upstream's NodeInfo.SetNode: its pods stay counted, and the
      // NodeInfos of the nodes stay where they were made, side by side in memory (a scheduling
      // cycle reads thousands of them).
      this.countImages(existing, -1)
      updateNode(existing, node)
      this.countImages(existing, 1)
      this.changed(name)
      return
    }
    const info = newNodeInfo(node, [], this.packedRows.take(name, info => this.infos.get(info)))
    for (const [, p] of this.placed) if (p.node === name) addPod(info, newPodInfo(p.pod))
    this.countImages(info, 1)
    this.infos.set(name, info)
    this.list = this.rowStarts = undefined
    this.track(info)
    this.changed(name)
  }

  removeNode (name: string): void {
    const existing = this.infos.get(name)
    if (existing === undefined) return
    this.countImages(existing, -1)
    this.packedRows.release(existing)
    this.packedRows.free(name)
    this.infos.delete(name)
    this.list = this.rowStarts = undefined
    this.changed(name)
    this.withAffinity.delete(name)
    this.withRequiredAnti.delete(name)
    this.affinityList = this.requiredAntiList = undefined
  }

  /** A pod seen by the informer: counted where it is bound (confirming an assumption). */
  setPod (pod: KubeObject): void {
    const key = objectKey(pod)
    const node = countsOnNode(pod)
    const prev = this.placed.get(key)
    // The same pod on the same node: only the object changes, not what the node counts.
    if (prev !== undefined && prev.node === node && prev.pod.metadata.uid === pod.metadata.uid) {
      const info = this.infos.get(node)
      if (info === undefined || replacePod(info, pod)) {
        this.placed.set(key, { node, pod })
        this.assumed.delete(key)
        if (info !== undefined) this.changed(node)
        return
      }
    }
    if (prev !== undefined) {
      const info = this.infos.get(prev.node)
      if (info !== undefined) { removePod(info, prev.pod); this.track(info); this.changed(prev.node) }
      this.placed.delete(key)
    }
    this.assumed.delete(key)
    if (node === undefined) return
    this.placed.set(key, { node, pod })
    const info = this.infos.get(node)
    if (info !== undefined) { addPod(info, newPodInfo(pod)); this.track(info); this.changed(node) }
  }

  removePod (pod: KubeObject): void {
    const key = objectKey(pod)
    const prev = this.placed.get(key)
    if (prev === undefined) return
    const info = this.infos.get(prev.node)
    if (info !== undefined) { removePod(info, prev.pod); this.track(info); this.changed(prev.node) }
    this.placed.delete(key)
    this.assumed.delete(key)
  }

  /** Count the pod on `node` now, before the binding is seen (upstream's AssumePod). */
  assume (pod: KubeObject, node: string): void {
    const bound = { ...pod, spec: { ...(pod.spec as Json), nodeName: node } } as KubeObject
    this.setPod(bound)
    this.assumed.add(objectKey(pod))
  }

  isAssumed (key: string): boolean { return this.assumed.has(key) }

  /** The binding failed: forget the assumption. */
  forget (pod: KubeObject): void {
    if (this.assumed.has(objectKey(pod))) this.removePod(pod)
  }

  private countImages (info: NodeInfo, delta: 1 | -1): void {
    for (const name of info.images.keys()) {
      const n = (this.imageNodes.get(name) ?? 0) + delta
      if (n > 0) this.imageNodes.set(name, n)
      else this.imageNodes.delete(name)
    }
  }

  /** Keep the affinity node sets in step with `info`'s pods. */
  private track (info: NodeInfo): void {
    if (setMembership(this.withAffinity, info.name, info.podsWithAffinity.length > 0)) this.affinityList = undefined
    if (setMembership(this.withRequiredAnti, info.name, info.podsWithRequiredAntiAffinity.length > 0)) this.requiredAntiList = undefined
  }
}

/** Add or remove `name`; true when membership changed. */
function setMembership (set: Set<string>, name: string, member: boolean): boolean {
  if (member === set.has(name)) return false
  if (member) set.add(name)
  else set.delete(name)
  return true
}
