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
  private readonly nodeOf = new Map<string, string>()
  private readonly keysByNode = new Map<string, Set<string>>()
  /** Each pod's newest object (decoded for the index anyway): the registry's reads of a pod come from here. */
  private readonly objects = new Map<string, KubeObject>()
  private stopped = false

  constructor (storage: ObjectStorage) {
    this.storage = storage
    this.mirror = new StoreMirror({
      backend: storage.backend,
      prefix: PREFIX,
      target: { put: kv => this.put(kv), remove: key => this.remove(key), clear: () => { this.nodeOf.clear(); this.keysByNode.clear(); this.objects.clear() } },
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
    const pod = this.storage.decode(kv) as KubeObject & { spec?: { nodeName?: string } }
    this.objects.set(kv.key, pod)
    const node = pod.spec?.nodeName ?? ''
    if (this.nodeOf.get(kv.key) === node) return
    this.unindex(kv.key)
    this.nodeOf.set(kv.key, node)
    let keys = this.keysByNode.get(node)
    if (keys === undefined) this.keysByNode.set(node, keys = new Set())
    keys.add(kv.key)
  }

  private remove (key: string): void {
    this.objects.delete(key)
    this.unindex(key)
  }

  private unindex (key: string): void {
    const node = this.nodeOf.get(key)
    if (node === undefined) return
    this.nodeOf.delete(key)
    const keys = this.keysByNode.get(node)
    keys?.delete(key)
    if (keys?.size === 0) this.keysByNode.delete(node)
  }
}
