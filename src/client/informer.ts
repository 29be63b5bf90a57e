// An informer as client-go has it: list, then watch from the list's resourceVersion, keeping a
// cache keyed by namespace/name and calling handlers on add/update/delete. A 410 (compacted
// history) relists and reports the difference; an ended stream re-watches from the last RV.
import { objectKey, type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { ApiWatchEvent, Client, ListOptions } from './client.ts'
import { forEachBatch } from '../util/batches.ts'

export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void
  update?(oldObj: T, newObj: T): void
  delete?(obj: T): void
}

export interface InformerOptions extends Omit<ListOptions, 'limit' | 'continue' | 'resourceVersion'> {
  client: Client
  apiVersion: string
  kind: string
}

const ORPHAN = '\u0000orphan/'

/** The index key of an object's controller: its uid, or the namespace's orphans. */
function controllerKey (obj: KubeObject): string {
  const refs = obj.metadata.ownerReferences
  if (refs !== undefined) for (const r of refs) if (r.controller === true) return r.uid
  return ORPHAN + (obj.metadata.namespace ?? '')
}

function indexAdd<T> (index: Map<string, Map<string, T>>, value: string, key: string, obj: T): void {
  let bucket = index.get(value)
  if (bucket === undefined) index.set(value, bucket = new Map())
  bucket.set(key, obj)
}

function indexRemove<T> (index: Map<string, Map<string, T>>, value: string, key: string): void {
  const bucket = index.get(value)
  if (bucket === undefined) return
  bucket.delete(key)
  if (bucket.size === 0) index.delete(value)
}

const bucketList = <T>(bucket: Map<string, T> | undefined): T[] => (bucket === undefined ? [] : [...bucket.values()])

export class Informer<T extends KubeObject = KubeObject> {
  private readonly options: InformerOptions
  private readonly cache = new Map<string, T>()
  /** client-go's namespace index, and the controller-uid index controllers filter pods by. */
  private readonly byNamespace = new Map<string, Map<string, T>>()
  private readonly byController = new Map<string, Map<string, T>>()
  private listed: T[] | undefined
  private readonly handlers: Array<InformerHandlers<T>> = []
  private resourceVersion = ''
  private stopped = false
  private stream: { close(): void } | undefined
  private synced = false

  constructor (options: InformerOptions) { this.options = options }

  addHandlers (h: InformerHandlers<T>): void { this.handlers.push(h) }

  get hasSynced (): boolean { return this.synced }

  /** The lister: cached objects (never mutate them, nor the array). */
  list (): readonly T[] {
    this.listed ??= [...this.cache.values()]
    return this.listed
  }

  get (key: string): T | undefined { return this.cache.get(key) }
  /** Cached objects of one namespace. */
  inNamespace (namespace: string): T[] { return bucketList(this.byNamespace.get(namespace)) }
  /** Cached objects whose controller ownerReference has this uid. */
  controlledBy (uid: string): T[] { return bucketList(this.byController.get(uid)) }
  /** Cached objects of the namespace with no controller ownerReference. */
  orphans (namespace: string): T[] { return bucketList(this.byController.get(ORPHAN + namespace)) }

  /** Lists, fills the cache and resolves; watching goes on in the background until stop(). */
  async start (): Promise<void> {
    await this.relist()
    this.synced = true
    void this.run()
  }

  stop (): void {
    this.stopped = true
    this.stream?.close()
  }

  private async relist (): Promise<void> {
    const { client, apiVersion, kind, namespace, labelSelector, fieldSelector } = this.options
    const list = await client.list<T>(apiVersion, kind, { namespace, labelSelector, fieldSelector })
    const seen = new Set<string>()
    for (const item of list.items) {
      const obj = { apiVersion, kind, ...item } as T
      const key = objectKey(obj)
      seen.add(key)
      this.apply('upsert', obj)
    }
    for (const [key, obj] of [...this.cache]) if (!seen.has(key)) this.apply('delete', obj)
    this.resourceVersion = list.metadata.resourceVersion
  }

  private async run (): Promise<void> {
    const { client, apiVersion, kind, namespace, labelSelector, fieldSelector } = this.options
    let failures = 0
    while (!this.stopped) {
      try {
        const stream = await client.watch(apiVersion, kind, { namespace, labelSelector, fieldSelector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true })
        this.stream = stream
        if (this.stopped) { stream.close(); break }
        await forEachBatch(() => stream.next(), batch => {
          if (batch[0]?.type !== 'ERROR') failures = 0
          this.take(batch)
        })
      } catch (err) {
        if (this.stopped) break
        const code = isStatusError(err) ? err.code : (err as { status?: { code?: number } }).status?.code
        if (code === 410) {
          await this.relist().catch(() => {})
        } else if (code !== undefined && code >= 500) {
          // A server error (an object it cannot decode, say) comes back on every retry: back off
          // as client-go's reflector does (0.8 s doubling to 30 s, real time), then list again.
          await new Promise(resolve => setTimeout(resolve, Math.min(30_000, 800 * 2 ** failures++)).unref())
          await this.relist().then(() => { failures = 0 }, () => {})
        } else {
          await new Promise(resolve => setImmediate(resolve))
        }
      }
    }
  }

  /** One batch of the watch into the cache; an ERROR event ends the watch. */
  private take (batch: ApiWatchEvent[]): void {
    for (const e of batch) {
      if (e.type === 'ERROR') throw Object.assign(new Error('watch error'), { status: e.object })
      const obj = e.object as T
      this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion
      if (e.type === 'BOOKMARK') continue
      this.apply(e.type === 'DELETED' ? 'delete' : 'upsert', obj)
    }
  }

  private apply (op: 'upsert' | 'delete', obj: T): void {
    const key = objectKey(obj)
    const old = this.cache.get(key)
    if (op === 'delete') {
      if (old === undefined) return
      this.cache.delete(key)
      this.unindex(key, old)
      for (const h of this.handlers) h.delete?.(obj)
      return
    }
    if (old !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion) return
    this.cache.set(key, obj)
    const namespace = obj.metadata.namespace ?? ''
    const controller = controllerKey(obj)
    // An update in the same buckets replaces in place (a Map's delete and re-add leaves holes
    // that cost a rehash now and then: a Lease renewal every 10 s per node adds up).
    if (old !== undefined && (old.metadata.namespace ?? '') !== namespace) indexRemove(this.byNamespace, old.metadata.namespace ?? '', key)
    if (old !== undefined && controllerKey(old) !== controller) indexRemove(this.byController, controllerKey(old), key)
    indexAdd(this.byNamespace, namespace, key, obj)
    indexAdd(this.byController, controller, key, obj)
    this.listed = undefined
    for (const h of this.handlers) {
      if (old === undefined) h.add?.(obj)
      else h.update?.(old, obj)
    }
  }

  private unindex (key: string, old: T): void {
    indexRemove(this.byNamespace, old.metadata.namespace ?? '', key)
    indexRemove(this.byController, controllerKey(old), key)
    this.listed = undefined
  }
}
