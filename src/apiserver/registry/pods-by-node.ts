// Which pods are bound to which node (spec.nodeName; '' for unbound ones), kept from a store
// watch — upstream's watch cache indexes pods the same way for the kubelets' lists. Every kubelet
// starts by listing its node's pods; without the index each list read every pod in the cluster,
// so a thousand nodes joining a busy cluster did a million pod reads. Lookups first take the
// watch's delivered events synchronously (Watcher.takeBuffered), so they reflect every
// acknowledged write; if the watch fell behind and failed, the index is rebuilt from a list.
import type { KubeObject } from '../../api/object.ts'
import type { KeyValue, Watcher } from '../../store/backend.ts'
import { prefixEnd } from '../../store/keys.ts'
import type { ObjectStorage } from './storage.ts'

const PREFIX = '/registry/pods/'

export class PodsByNode {
  private readonly storage: ObjectStorage
  private readonly maxBuffered: number
  private readonly nodeOf = new Map<string, string>()
  private readonly keysByNode = new Map<string, Set<string>>()
  private watcher: Watcher | undefined
  private stopped = false

  /** `maxBuffered`: pod events the watch may hold between two lookups before it fails (and the index is rebuilt). */
  constructor (storage: ObjectStorage, options: { maxBuffered?: number } = {}) {
    this.storage = storage
    this.maxBuffered = options.maxBuffered ?? 200_000
  }

  async start (): Promise<void> {
    const { backend } = this.storage
    const r = await backend.range({ key: PREFIX, rangeEnd: prefixEnd(PREFIX) })
    this.nodeOf.clear()
    this.keysByNode.clear()
    for (const kv of r.kvs) this.put(kv)
    this.watcher = backend.watch({ key: PREFIX, rangeEnd: prefixEnd(PREFIX), startRevision: r.revision + 1, maxBuffered: this.maxBuffered })
  }

  stop (): void {
    this.stopped = true
    this.watcher?.close()
  }

  /** Storage keys of the pods on `node`, as of the newest write; undefined once stopped. */
  async keysOn (node: string): Promise<string[] | undefined> {
    if (this.stopped) return undefined
    if (!this.catchUp()) {
      this.watcher?.close()
      await this.start()
      if (!this.catchUp()) return undefined
    }
    return [...(this.keysByNode.get(node) ?? [])]
  }

  private catchUp (): boolean {
    const w = this.watcher
    if (w === undefined || w.closed) return false
    try {
      for (const e of w.takeBuffered()) {
        if (e.type === 'delete') this.remove(e.kv.key)
        else this.put(e.kv)
      }
      return true
    } catch {
      return false
    }
  }

  private put (kv: KeyValue): void {
    const pod = this.storage.decode(kv) as KubeObject & { spec?: { nodeName?: string } }
    const node = pod.spec?.nodeName ?? ''
    if (this.nodeOf.get(kv.key) === node) return
    this.remove(kv.key)
    this.nodeOf.set(kv.key, node)
    let keys = this.keysByNode.get(node)
    if (keys === undefined) this.keysByNode.set(node, keys = new Set())
    keys.add(kv.key)
  }

  private remove (key: string): void {
    const node = this.nodeOf.get(key)
    if (node === undefined) return
    this.nodeOf.delete(key)
    const keys = this.keysByNode.get(node)
    keys?.delete(key)
    if (keys?.size === 0) this.keysByNode.delete(node)
  }
}
