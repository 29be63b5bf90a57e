// Objects in the store: JSON values under Kubernetes keys, resourceVersion = the row's revision.
// This is the only apiserver code that talks to the Backend (the etcd facade is the other user).
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { Backend, KeyValue } from '../../store/backend.ts'
import { isStoreError } from '../../store/errors.ts'
import * as ops from '../../store/ops.ts'
import { LRUCache } from 'lru-cache'
import { alreadyExists, conflict, expired, internalError, notFound, type StatusError } from '../errors.ts'
import { FieldsInterner } from './fields-interner.ts'
import { StringPool } from '../../util/string-pool.ts'
import { collectionRange, objectStorageKey } from './keys.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

export function encodeObject (obj: KubeObject): Uint8Array {
  // The resourceVersion is the row's revision; it is not stored in the value (as upstream).
  // A create has none: no copies then.
  if (!('resourceVersion' in obj.metadata)) return encoder.encode(JSON.stringify(obj))
  const { resourceVersion: _rv, ...metadata } = obj.metadata
  // Each value gets its own exact-size memory: Buffer.from would slice small ones from shared
  // 8 KiB slabs, and one value kept (a cache, a watch event) would keep its whole slab alive.
  return encoder.encode(JSON.stringify({ ...obj, metadata }))
}

/**
 * The stored object of a row. A value that is not an object's JSON (written through the etcd
 * API, say) is a 500 naming the key, for the request that read it — never a crash or a hang.
 */
export function decodeObject (kv: KeyValue): KubeObject {
  let obj: KubeObject
  try {
    obj = JSON.parse(decoder.decode(kv.value)) as KubeObject
  } catch (err) {
    throw undecodable(kv.key, (err as Error).message)
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj.metadata === null || typeof obj.metadata !== 'object') throw undecodable(kv.key, 'not an object with metadata')
  obj.metadata.resourceVersion = String(kv.modRevision)
  return obj
}

const undecodable = (key: string, why: string): StatusError => internalError(new Error(`unable to decode ${JSON.stringify(key)}: ${why}`))

/**
 * Short strings seen in decoded objects, one copy each: JSON.parse gives every object its own
 * copies of the same timestamps, names, images and reasons (a tenth of the heap at 5,000 pods).
 */
const pool = new StringPool({ maxEntries: 100_000, maxLength: 64 })

/**
 * Freeze a decoded value all the way down, its short strings pooled on the way. Frozen objects
 * here are frozen all the way down (shared FieldsV1 sets too): not revisited.
 */
function deepFreeze (v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i]
      if (typeof c === 'string') v[i] = pool.get(c)
      else deepFreeze(c)
    }
  } else {
    const o = v as Record<string, unknown>
    // for-in: JSON.parse's plain objects have only own keys, and no keys array is allocated.
    for (const k in o) {
      const c = o[k]
      if (typeof c === 'string') o[k] = pool.get(c)
      else deepFreeze(c)
    }
  }
  Object.freeze(v)
}

export interface ListResult {
  items: KubeObject[]
  revision: number
  /** With a limit: whether keys were left, and how many keys the range holds from the start key. */
  more?: boolean
  count?: number
}

export class ObjectStorage {
  readonly backend: Backend
  /**
   * Decoded objects by key and revision. A revision of a key never changes, so the same list or
   * watch event read by many clients (100 watchers, kubectl paging) is parsed once. Cached objects
   * are deep-frozen: nothing may change them (writers clone first, as client-go's caches require).
   * Bounded by the stored bytes (32 MiB of JSON, a few times that decoded), not by count: a big
   * cluster's history would otherwise keep every revision of every pod alive. At 16 MiB, 10,000
   * pending pods and 5,000 nodes no longer fit, and each binding's read of its pod missed.
   * No `max` count: lru-cache preallocates arrays of `max` slots, 5 ms per API server made.
   */
  private readonly decoded = new LRUCache<string, KubeObject>({ maxSize: 32 * 2 ** 20 })
  private readonly fieldSets = new FieldsInterner()
  /** Mirrors that answer reads under a prefix (registry/pods-by-node.ts): prefix → lookup. */
  private readonly mirrors = new Map<string, (key: string) => KubeObject | null | undefined>()

  constructor (backend: Backend) { this.backend = backend }

  /**
   * At rest (util/idle-memory.ts): forget the decoded objects, shared sets and pooled strings kept
   * for a burst. Objects in use elsewhere stay as they are; the next reads decode anew.
   */
  trim (): void {
    this.decoded.clear()
    this.fieldSets.clear()
    pool.clear()
  }

  /**
   * Serve get/tryGet of keys under `prefix` from `lookup`, a mirror that applies the store's
   * events as they commit (so it holds every acknowledged write): the object, null if there is
   * none, undefined when it cannot tell (its watch ended), and the store is read.
   */
  readFrom (prefix: string, lookup: (key: string) => KubeObject | null | undefined): void {
    this.mirrors.set(prefix, lookup)
  }

  private mirrored (key: string): KubeObject | null | undefined {
    for (const [prefix, lookup] of this.mirrors) if (key.startsWith(prefix)) return lookup(key)
    return undefined
  }

  decode (kv: KeyValue): KubeObject {
    const id = `${kv.modRevision}@${kv.key}`
    const hit = this.decoded.get(id)
    if (hit !== undefined) return hit
    const obj = this.fresh(kv)
    this.decoded.set(id, obj, { size: Math.max(1, kv.value.length) })
    return obj
  }

  /**
   * The row's object, decoded, its managedFields sets shared, frozen. Parsed even when the writer's
   * object is at hand: JSON.parse's objects keep their fields inside the object, objects built key
   * by key (the typed decode's, or a copy of one) outside it, and every later reader pays for that
   * (a copy instead of the parse made a 10,000-pod Deployment ~10 % slower at 5,000 nodes).
   */
  private fresh (kv: KeyValue): KubeObject {
    const obj = decodeObject(kv)
    this.fieldSets.intern(obj, deepFreeze)
    deepFreeze(obj)
    return obj
  }

  async get (info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.tryGet(info, namespace, name)
    if (obj === undefined) throw notFound(info, name)
    return obj
  }

  async tryGet (info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const key = objectStorageKey(info, namespace, name)
    const mirrored = this.mirrored(key)
    if (mirrored !== undefined) return mirrored ?? undefined
    const { kv } = await this.call(() => ops.get(this.backend, key))
    return kv === undefined ? undefined : this.decode(kv)
  }

  /** Every object of the resource (in one namespace or all), at `revision` (0 = latest), in key order. */
  async list (info: ResourceInfo, namespace: string | undefined, options: { revision?: number, startKey?: string, limit?: number } = {}): Promise<ListResult> {
    const range = collectionRange(info, namespace)
    const r = await this.call(() => this.backend.range({ key: options.startKey ?? range.key, rangeEnd: range.rangeEnd, revision: options.revision, limit: options.limit }))
    return { items: r.kvs.map(kv => this.decode(kv)), revision: options.revision || r.revision, more: r.more, count: r.count }
  }

  /**
   * The rows of every object of the resource (in one namespace or all), now, in key order: read
   * synchronously, for callers that cannot wait (with `decodeAside` to read them).
   */
  rowsNow (info: ResourceInfo, namespace: string | undefined): KeyValue[] {
    try {
      return this.backend.rangeNow(collectionRange(info, namespace)).kvs
    } catch (err) {
      throw apiError(err)
    }
  }

  /**
   * A row's object like `decode`'s (shared if already decoded, else frozen), without adding it to
   * the cache: a caller reading every Event must not push the hot objects out.
   */
  decodeAside (kv: KeyValue): KubeObject {
    const hit = this.decoded.peek(`${kv.modRevision}@${kv.key}`)
    return hit ?? this.fresh(kv)
  }

  async create (info: ResourceInfo, obj: KubeObject, options: { lease?: number } = {}): Promise<KubeObject> {
    const key = objectStorageKey(info, obj.metadata.namespace, obj.metadata.name!)
    const r = await this.call(() => ops.create(this.backend, key, encodeObject(obj), { lease: options.lease }))
    if (!r.succeeded) throw alreadyExists(info, obj.metadata.name!)
    return withRevision(obj, r.revision)
  }

  /** Write `obj` over the version at `modRevision`; conflict if someone wrote in between. */
  async update (info: ResourceInfo, obj: KubeObject, modRevision: number, options: { lease?: number } = {}): Promise<KubeObject> {
    const key = objectStorageKey(info, obj.metadata.namespace, obj.metadata.name!)
    const r = await this.call(() => ops.update(this.backend, key, encodeObject(obj), { modRevision, lease: options.lease }))
    if (!r.succeeded) {
      if (r.kv === undefined) throw notFound(info, obj.metadata.name!)
      throw conflict(info, obj.metadata.name!)
    }
    return withRevision(obj, r.revision)
  }

  /** Remove the object as it was at `modRevision`; returns it with the delete's revision. */
  async delete (info: ResourceInfo, obj: KubeObject): Promise<KubeObject> {
    const key = objectStorageKey(info, obj.metadata.namespace, obj.metadata.name!)
    const r = await this.call(() => ops.remove(this.backend, key, { modRevision: Number(obj.metadata.resourceVersion) }))
    if (!r.succeeded) {
      if (r.kv === undefined) throw notFound(info, obj.metadata.name!)
      throw conflict(info, obj.metadata.name!)
    }
    return withRevision(obj, r.revision)
  }

  /** Run a store call, turning store errors into API errors. */
  async call<T> (fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw apiError(err)
    }
  }
}

/** A store error as the API reports it; anything else as it is. */
function apiError (err: unknown): unknown {
  if (isStoreError(err, 'compacted')) return expired(`The resourceVersion for the provided list is too old.`)
  if (isStoreError(err, 'future-revision')) return expired('Too large resource version')
  if (isStoreError(err)) return internalError(err)
  return err
}

function withRevision (obj: KubeObject, revision: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } }
}
