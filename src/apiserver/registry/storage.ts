// Objects in the store: JSON values under Kubernetes keys, resourceVersion = the row's revision.
// This is the only apiserver code that talks to the Backend (the etcd facade is the other user).
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { Backend, KeyValue } from '../../store/backend.ts'
import { isStoreError } from '../../store/errors.ts'
import * as ops from '../../store/ops.ts'
import { alreadyExists, conflict, expired, internalError, notFound } from '../errors.ts'
import { collectionRange, objectStorageKey } from './keys.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeObject (obj: KubeObject): Uint8Array {
  // The resourceVersion is the row's revision; it is not stored in the value (as upstream).
  const { resourceVersion: _rv, ...metadata } = obj.metadata
  return encoder.encode(JSON.stringify({ ...obj, metadata }))
}

export function decodeObject (kv: KeyValue): KubeObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as KubeObject
  obj.metadata.resourceVersion = String(kv.modRevision)
  return obj
}

export interface ListResult { items: KubeObject[], revision: number }

export class ObjectStorage {
  readonly backend: Backend

  constructor (backend: Backend) { this.backend = backend }

  async get (info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const { kv } = await this.call(() => ops.get(this.backend, objectStorageKey(info, namespace, name)))
    if (kv === undefined) throw notFound(info, name)
    return decodeObject(kv)
  }

  async tryGet (info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const { kv } = await this.call(() => ops.get(this.backend, objectStorageKey(info, namespace, name)))
    return kv === undefined ? undefined : decodeObject(kv)
  }

  /** Every object of the resource (in one namespace or all), at `revision` (0 = latest), in key order. */
  async list (info: ResourceInfo, namespace: string | undefined, options: { revision?: number, startKey?: string } = {}): Promise<ListResult> {
    const range = collectionRange(info, namespace)
    const r = await this.call(() => this.backend.range({ key: options.startKey ?? range.key, rangeEnd: range.rangeEnd, revision: options.revision }))
    return { items: r.kvs.map(decodeObject), revision: options.revision || r.revision }
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
      if (isStoreError(err, 'compacted')) throw expired(`The resourceVersion for the provided list is too old.`)
      if (isStoreError(err, 'future-revision')) throw expired('Too large resource version')
      if (isStoreError(err)) throw internalError(err)
      throw err
    }
  }
}

function withRevision (obj: KubeObject, revision: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } }
}
