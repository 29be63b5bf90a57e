// Wire shapes of the etcd messages we read and write, as @grpc/proto-loader hands them over with
// { keepCase, longs: String, enums: String, defaults, oneofs }: snake_case field names, int64 as
// decimal strings, bytes as Buffers, enums by name. And the conversions to and from the store.
//
// Keys: etcd keys are bytes, the store's keys are strings; latin1 maps each byte to one char, so
// every key round-trips and string order is byte order (see store/backend.ts).
import type { KeyValue } from '../store/backend.ts'
import { invalidRequest } from './errors.ts'

/** int64 / uint64 as we send them: a number when safe, a decimal string otherwise. */
export type Int64 = number | string

export interface WireHeader { cluster_id: string, member_id: string, revision: Int64, raft_term: Int64 }

export interface WireKeyValue {
  key: Uint8Array
  create_revision: Int64
  mod_revision: Int64
  version: Int64
  value: Uint8Array
  lease: Int64
}

export const keyToString = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
export const keyToBytes = (key: string): Buffer => Buffer.from(key, 'latin1')

/** A private copy of a value: the decoded message's buffer must not be shared with the store. */
export const valueToStore = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes)

export function kvToWire (kv: KeyValue, options: { keysOnly?: boolean } = {}): WireKeyValue {
  return {
    key: keyToBytes(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: options.keysOnly === true ? Buffer.alloc(0) : kv.value,
    lease: kv.lease,
  }
}

/** etcd's range_end convention as the store wants it: absent = single key, '\0' = from key. */
export function rangeEndToStore (rangeEnd: Uint8Array): string | undefined {
  return rangeEnd.length === 0 ? undefined : keyToString(rangeEnd)
}

/**
 * True when [key, rangeEnd) holds no key at all (rangeEnd <= key, not '\0'). etcd answers such a
 * range with nothing rather than an error (mvcc's index walks an empty interval), so we never ask
 * the store, which would reject it.
 */
export function isEmptyRange (key: string, rangeEnd: string | undefined): boolean {
  return rangeEnd !== undefined && rangeEnd !== '\0' && rangeEnd <= key
}

/** A request int64 (decimal string, or number from in-process callers) as a JS number. */
export function int64ToNumber (value: string | number | undefined, field: string): number {
  if (value === undefined || value === '') return 0
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isSafeInteger(n)) {
    throw invalidRequest(`etcdserver: ${field} ${String(value)} is out of range: k3sim supports integers up to 2^53-1`)
  }
  return n
}

/**
 * A lease ID from the wire. etcd lease IDs are int64; the store keeps them as JS numbers, so an ID
 * above 2^53-1 (or negative) cannot name any lease here and is refused by name.
 */
export function leaseIdToNumber (value: string | number | undefined): number {
  if (value === undefined || value === '') return 0
  const big = BigInt(value)
  if (big < 0n || big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidRequest(`etcdserver: lease ID ${String(value)} (${hexId(big)}) is out of range: k3sim supports lease IDs from 1 to 2^53-1`)
  }
  return Number(big)
}

/** etcdctl prints lease IDs as %016x of the int64; the same here for messages. */
export function hexId (id: bigint | number): string {
  return BigInt.asUintN(64, BigInt(id)).toString(16).padStart(16, '0')
}
