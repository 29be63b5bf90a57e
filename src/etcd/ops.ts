// Put and DeleteRange requests, checked as etcd's v3rpc/key.go does (checkPutRequest,
// checkDeleteRequest) and turned into store operations. Shared by the KV service and Txn.
import type { DeleteOp, KeyValue, PutOp } from '../store/backend.ts'
import { errEmptyKey, errLeaseProvided, errValueProvided } from './errors.ts'
import { isEmptyRange, keyToString, kvToWire, leaseIdToNumber, rangeEndToStore, valueToStore, type WireHeader, type WireKeyValue } from './wire.ts'

export interface WirePutRequest {
  key: Uint8Array
  value?: Uint8Array
  lease?: string | number
  prev_kv?: boolean
  ignore_value?: boolean
  ignore_lease?: boolean
}
export interface WirePutResponse { header?: Partial<WireHeader>, prev_kv?: WireKeyValue }

export interface WireDeleteRangeRequest { key: Uint8Array, range_end?: Uint8Array, prev_kv?: boolean }
export interface WireDeleteRangeResponse { header?: Partial<WireHeader>, deleted: number, prev_kvs: WireKeyValue[] }

export function planPut (req: WirePutRequest): PutOp {
  if (req.key.length === 0) throw errEmptyKey()
  const value = req.value ?? Buffer.alloc(0)
  if (req.ignore_value === true && value.length !== 0) throw errValueProvided()
  const lease = leaseIdToNumber(req.lease)
  if (req.ignore_lease === true && lease !== 0) throw errLeaseProvided()
  return {
    put: {
      key: keyToString(req.key),
      value: valueToStore(value),
      lease: lease === 0 ? undefined : lease,
      ignoreValue: req.ignore_value === true || undefined,
      ignoreLease: req.ignore_lease === true || undefined,
    },
  }
}

export function putResponse (req: WirePutRequest, result: { prevKv?: KeyValue }): WirePutResponse {
  return req.prev_kv === true && result.prevKv !== undefined ? { prev_kv: kvToWire(result.prevKv) } : {}
}

/** The store delete, or undefined when the interval is empty (etcd deletes nothing, no error). */
export function planDelete (req: WireDeleteRangeRequest): DeleteOp | undefined {
  if (req.key.length === 0) throw errEmptyKey()
  const key = keyToString(req.key)
  const rangeEnd = rangeEndToStore(req.range_end ?? Buffer.alloc(0))
  if (isEmptyRange(key, rangeEnd)) return undefined
  return { delete: { key, rangeEnd } }
}

export function deleteResponse (req: WireDeleteRangeRequest, result: { deleted: number, prevKvs: KeyValue[] }): WireDeleteRangeResponse {
  return {
    deleted: result.deleted,
    prev_kvs: req.prev_kv === true ? result.prevKvs.map(kv => kvToWire(kv)) : [],
  }
}
