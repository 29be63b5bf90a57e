// The Backend contract: kine's revisioned log, seen from above.
//
// Every create, update and delete appends one row; the row's id is the global revision. Reads at
// a past revision read that history; compaction removes superseded rows. Two implementations
// (sqlite/, memory/) pass one contract suite (test/store/contract.ts). Only the apiserver's
// registry and the etcd facade may use a Backend.
//
// Keys are strings. The etcd facade maps key bytes to strings as latin1 ("binary"), which is
// lossless and keeps etcd's byte ordering, so any etcd key round-trips. Values are bytes.

export interface KeyValue {
  key: string
  value: Uint8Array
  /** Revision of the row that created this incarnation of the key. */
  createRevision: number
  /** Revision of this row (the key's newest row at the read revision). */
  modRevision: number
  /** Writes since creation, 1 for a fresh key; counted over the rows kept (see README). */
  version: number
  /** Lease id the key is attached to, 0 for none. */
  lease: number
}

export interface RangeOptions {
  /** First key, inclusive. */
  key: string
  /**
   * End of the range, exclusive. Absent: the single key `key`. `'\0'`: every key >= `key`
   * (etcd's "from key"). Use `prefixEnd(prefix)` for a prefix.
   */
  rangeEnd?: string
  /** Read at this revision; 0 or absent = latest. */
  revision?: number
  /** At most this many kvs; 0 or absent = no limit. `more` tells whether some were left out. */
  limit?: number
  keysOnly?: boolean
  countOnly?: boolean
}

export interface RangeResult {
  /** The store's current revision when the read was served. */
  revision: number
  kvs: KeyValue[]
  /** True if `limit` cut the result short. */
  more: boolean
  /** Number of keys in the range (ignoring limit). */
  count: number
}

export type CompareTarget = 'version' | 'create' | 'mod' | 'value' | 'lease'
export type CompareResult = '=' | '!=' | '<' | '>'

/** One guard of a transaction, on a single key (an absent key has revisions/version/lease 0). */
export interface Compare {
  key: string
  target: CompareTarget
  result: CompareResult
  /** A number for version/create/mod/lease, bytes for value. */
  value: number | Uint8Array
}

export interface PutOp {
  put: {
    key: string
    value: Uint8Array
    /** Lease to attach (0 = none). Must exist. */
    lease?: number
    /** Keep the current value (the key must exist): etcd's ignore_value. */
    ignoreValue?: boolean
    /** Keep the current lease (the key must exist): etcd's ignore_lease. */
    ignoreLease?: boolean
  }
}
export interface RangeOp { range: RangeOptions }
export interface DeleteOp { delete: { key: string, rangeEnd?: string } }
export type Op = PutOp | RangeOp | DeleteOp

export interface TxnRequest {
  compare: Compare[]
  success: Op[]
  failure: Op[]
}

export type OpResult =
  | { put: { revision: number, prevKv?: KeyValue } }
  | { range: RangeResult }
  | { delete: { revision: number, deleted: number, prevKvs: KeyValue[] } }

export interface TxnResult {
  /** The store's revision after the transaction. */
  revision: number
  succeeded: boolean
  results: OpResult[]
}

export type EventType = 'put' | 'delete'

export interface WatchEvent {
  type: EventType
  /** For a delete: the tombstone (key, modRevision = the delete's revision, empty value). */
  kv: KeyValue
  /** The key's previous state (absent for a create). */
  prevKv?: KeyValue
}

export interface WatchOptions {
  key: string
  /** As in RangeOptions: absent = single key, `'\0'` = from key, prefixEnd(p) = prefix. */
  rangeEnd?: string
  /**
   * Deliver events with revision >= startRevision (replayed from history), then live ones.
   * 0 or absent: live events only. Below the compact revision: throws `compacted`.
   */
  startRevision?: number
  /** Most events buffered for a consumer that does not keep up; past it the watch ends with `watcher-slow`. Default 10000. */
  maxBuffered?: number
  /**
   * A pre-filter for a prefix watch (the apiserver watch cache's trigger function): live events
   * are delivered only when `of(kv)` or `of(prevKv)` equals `value` — e.g. a kubelet's pods by
   * spec.nodeName. Watches naming the same `index` share one `of` call per event. Replayed
   * events are not filtered.
   */
  trigger?: { index: string, of: (kv: KeyValue) => string | undefined, value: string }
  /**
   * Hand each batch to this function as it is committed, before the write is acknowledged,
   * instead of buffering it for next(): an in-memory mirror of a prefix then reflects every
   * acknowledged write and holds no backlog. If it throws, the watch ends with that error.
   */
  deliver?: (events: WatchEvent[]) => void
}

/**
 * A running watch. Pull batches with `next()` (or `for await`); each batch holds the events of one
 * or more revisions in order. `next()` resolves to null once the watch is closed by `close()`; it
 * rejects with a StoreError when the store ends it (`watcher-slow`, `closed`).
 */
export interface Watcher extends AsyncIterable<WatchEvent[]> {
  next(): Promise<WatchEvent[] | null>
  close(): void
  readonly closed: boolean
}

export interface LeaseInfo {
  id: number
  /** Granted TTL, seconds. */
  ttl: number
  /** Seconds left, rounded up as etcd does; -1 if expired. */
  remaining: number
  keys: string[]
}

export interface Leases {
  /** Grant a lease of `ttl` seconds; `id` 0 or absent = pick one. Fails `lease-exists` if taken. */
  grant(options: { ttl: number, id?: number }): Promise<{ id: number, ttl: number, revision: number }>
  /** Revoke: delete every attached key (one delete event each). Fails `lease-not-found`. */
  revoke(id: number): Promise<{ revision: number }>
  /** Restart the lease's TTL; returns the TTL. Fails `lease-not-found`. */
  keepAlive(id: number): Promise<{ ttl: number, revision: number }>
  timeToLive(id: number): Promise<LeaseInfo>
  list(): Promise<number[]>
}

export interface BackendStatus {
  revision: number
  compactRevision: number
  /** Bytes in use by the data (sqlite: (page_count - freelist_count) * page_size). */
  dbSizeInUse: number
  /** Bytes allocated on disk or in memory. */
  dbSize: number
}

export interface Backend {
  /** The newest revision (1 on an empty store, as etcd: the first write is revision 2). */
  readonly revision: number
  /** Reads below this revision fail with `compacted`. */
  readonly compactRevision: number
  readonly leases: Leases

  range(options: RangeOptions): Promise<RangeResult>
  /**
   * The same read, answered synchronously (every backend here is in-process): for the few
   * callers that cannot wait, such as the library's `cluster.events()`.
   */
  rangeNow(options: RangeOptions): RangeResult
  /** Evaluate the guards and run one branch, atomically: no other write lands in between. */
  txn(request: TxnRequest): Promise<TxnResult>
  watch(options: WatchOptions): Watcher
  /**
   * Remove rows superseded at or before `revision`, and tombstones at or before it.
   * Fails `compacted` if already compacted past it, `future-revision` if beyond the current one.
   */
  compact(revision: number): Promise<{ revision: number }>
  status(): Promise<BackendStatus>
  /**
   * Call `listener` with the new revision after each group of writes commits (its watchers have
   * its events); returns the unsubscribe function. For bookkeeping such as compaction by volume.
   */
  onCommit(listener: (revision: number) => void): () => void
  /** Drop what is kept only for speed, at rest (util/idle-memory.ts); optional. */
  trim?(): void
  /** Finish in-flight writes, end watches (`closed`), release files. */
  close(): Promise<void>
}
