// kine's write shapes, built on Backend.txn: what the apiserver's registry uses.
//   create: mod(key) = 0 → put           (exists: returns the current kv, succeeded = false)
//   update: mod(key) = R → put, else range (conflict: returns the current kv)
//   delete: mod(key) = R → delete, else range; without R: unconditional delete
import type { Backend, KeyValue, RangeResult } from './backend.ts'
import { prefixEnd } from './keys.ts'

export interface WriteOutcome {
  /** False when the guard failed (key exists, or modRevision did not match). */
  succeeded: boolean
  /** Revision of the write, or the store's revision when it did not happen. */
  revision: number
  /** The key as it is after the call (absent if deleted or missing). */
  kv?: KeyValue
  /** The key before the write (update and delete). */
  prevKv?: KeyValue
}

export async function get (backend: Backend, key: string, options: { revision?: number } = {}): Promise<{ revision: number, kv?: KeyValue }> {
  const r = await backend.range({ key, revision: options.revision })
  return { revision: r.revision, kv: r.kvs[0] }
}

export async function create (backend: Backend, key: string, value: Uint8Array, options: { lease?: number } = {}): Promise<WriteOutcome> {
  const r = await backend.txn({
    compare: [{ key, target: 'mod', result: '=', value: 0 }],
    success: [{ put: { key, value, lease: options.lease } }],
    failure: [{ range: { key } }],
  })
  return r.succeeded
    ? { succeeded: true, revision: r.revision, kv: written(key, value, r.revision, r.revision, 1, options.lease) }
    : { succeeded: false, revision: r.revision, kv: firstKv(r.results[0]) }
}

export async function update (backend: Backend, key: string, value: Uint8Array, options: { modRevision: number, lease?: number }): Promise<WriteOutcome> {
  const r = await backend.txn({
    compare: [{ key, target: 'mod', result: '=', value: options.modRevision }],
    success: [{ put: { key, value, lease: options.lease } }, { range: { key } }],
    failure: [{ range: { key } }],
  })
  if (!r.succeeded) return { succeeded: false, revision: r.revision, kv: firstKv(r.results[0]) }
  const put = r.results[0]
  return {
    succeeded: true,
    revision: r.revision,
    kv: firstKv(r.results[1]),
    prevKv: 'put' in put ? put.put.prevKv : undefined,
  }
}

export async function remove (backend: Backend, key: string, options: { modRevision?: number } = {}): Promise<WriteOutcome> {
  const guarded = options.modRevision !== undefined && options.modRevision !== 0
  const r = await backend.txn({
    compare: guarded ? [{ key, target: 'mod', result: '=', value: options.modRevision! }] : [],
    success: [{ delete: { key } }],
    failure: [{ range: { key } }],
  })
  if (!r.succeeded) return { succeeded: false, revision: r.revision, kv: firstKv(r.results[0]) }
  const del = r.results[0]
  const prevKv = 'delete' in del ? del.delete.prevKvs[0] : undefined
  return { succeeded: prevKv !== undefined, revision: r.revision, prevKv }
}

/** Unconditional put (create or overwrite). */
export async function put (backend: Backend, key: string, value: Uint8Array, options: { lease?: number } = {}): Promise<WriteOutcome> {
  const r = await backend.txn({ compare: [], success: [{ put: { key, value, lease: options.lease } }, { range: { key } }], failure: [] })
  const p = r.results[0]
  return { succeeded: true, revision: r.revision, kv: firstKv(r.results[1]), prevKv: 'put' in p ? p.put.prevKv : undefined }
}

export async function list (backend: Backend, options: { prefix: string, revision?: number, limit?: number, startKey?: string }): Promise<RangeResult> {
  return backend.range({ key: options.startKey ?? options.prefix, rangeEnd: prefixEnd(options.prefix), revision: options.revision, limit: options.limit })
}

function firstKv (result: unknown): KeyValue | undefined {
  const r = result as { range?: RangeResult } | undefined
  return r?.range?.kvs[0]
}

function written (key: string, value: Uint8Array, createRevision: number, modRevision: number, version: number, lease = 0): KeyValue {
  return { key, value, createRevision, modRevision, version, lease }
}
