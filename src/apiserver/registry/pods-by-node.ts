// Which pods are bound to which node (spec.nodeName; '' for unbound ones), mirrored from the store
// (store-mirror.ts) — upstream's watch cache indexes pods the same way for the kubelets' lists.
// Every kubelet starts by listing its node's pods; without the index each list read every pod in
// the cluster, so a thousand nodes joining a busy cluster did a million pod reads. Lookups see
// every acknowledged write; if its watch ended, the index is rebuilt from a list.
import type { KubeObject } from '../../api/object.ts'
import type { KeyValue } from '../../store/backend.ts'
import { StoreMirror } from './store-mirror.ts'
import type { ObjectStorage } from './storage.ts'

const PREFIX = '/registry/pods/'

export class PodsByNode {
  private readonly storage: ObjectStorage
  private readonly mirror: StoreMirror
  private readonly keysByNode = new Map<string, Set<string>>()
  /**
   * Each pod's newest object (decoded for the index anyway), by key: the node it is indexed
   * under, and what the registry's reads of a pod are answered with.
   */
  private readonly objects = new Map<string, Pod>()
  private stopped = false

  constructor (storage: ObjectStorage) {
    this.storage = storage
    this.mirror = new StoreMirror({
      backend: storage.backend,
      prefix: PREFIX,
      target: { put: kv => this.put(kv), remove: key => this.remove(key), clear: () => { this.keysByNode.clear(); this.objects.clear() } },
    })
    storage.readFrom(PREFIX, key => this.current(key))
  }

  /** The newest object of the pod at `key`: null if there is none, undefined if not known here. */
  current (key: string): KubeObject | null | undefined {
    // Not following: the store answers (the next kubelet list reloads the index, as keysOn does;
    // a read does not, or an unreadable pod would make every read a reload).
    if (this.stopped || !this.mirror.following()) return undefined
    return this.objects.get(key) ?? null
  }

  start (): Promise<void> { return this.mirror.start() }

  stop (): void {
    this.stopped = true
    this.mirror.stop()
  }

  /** Storage keys of the pods on `node`, as of the newest write; undefined once stopped. */
  async keysOn (node: string): Promise<string[] | undefined> {
    if (this.stopped) return undefined
    if (!this.mirror.following()) {
      await this.mirror.start()
      if (!this.mirror.following()) return undefined
    }
    return [...(this.keysByNode.get(node) ?? [])]
  }

  private put (kv: KeyValue): void {
    const pod = this.storage.decode(kv) as Pod
    const prev = this.objects.get(kv.key)
    this.objects.set(kv.key, pod)
    const node = nodeOf(pod)
    if (prev !== undefined) {
      if (nodeOf(prev) === node) return
      this.unindex(kv.key, nodeOf(prev))
    }
    let keys = this.keysByNode.get(node)
    if (keys === undefined) this.keysByNode.set(node, keys = new Set())
    keys.add(kv.key)
  }

  private remove (key: string): void {
    const prev = this.objects.get(key)
    if (prev === undefined) return
    this.objects.delete(key)
    this.unindex(key, nodeOf(prev))
  }

  private unindex (key: string, node: string): void {
    const keys = this.keysByNode.get(node)
    keys?.delete(key)
    if (keys?.size === 0) this.keysByNode.delete(node)
  }
}

type Pod = KubeObject & { spec?: { nodeName?: string } }

/** The node a pod is indexed under ('' while unbound). */
const nodeOf = (pod: Pod): string => pod.spec?.nodeName ?? ''
