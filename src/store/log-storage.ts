// The layer under LogBackend, as kine's SQL log sits under its logstructured layer: rows in
// kine's shape and the few synchronous primitives the log needs. `memory/` and `sqlite/`
// implement it; everything with semantics (guards, leases, watch, grouping) lives above.
import type { KeyValue, RangeOptions, RangeResult, WatchEvent } from './backend.ts'

/** One row of kine's table. `id` is the revision. */
export interface Row {
  id: number
  key: string
  created: boolean
  deleted: boolean
  /** Revision of the create row of this incarnation (kine stores 0 on the create row itself). */
  createRevision: number
  /** Id of the key's previous row (0 for a first create). */
  prevRevision: number
  lease: number
  value: Uint8Array
  oldValue: Uint8Array
}

export type NewRow = Omit<Row, 'id'>

export interface LogStorage {
  /** Max id (1 on an empty log: revision 1 is the empty store, as in etcd). */
  revision(): number
  compactRevision(): number
  /** The key's newest row at `revision` (0 = latest), tombstones included, with its version. */
  latest(key: string, revision: number): { kv: KeyValue, deleted: boolean } | undefined
  /** Live keys in the range at `options.revision` (resolved, > 0), sorted by key. */
  range(options: RangeOptions & { revision: number }): Omit<RangeResult, 'revision'>
  /** Append one row; returns its id. */
  append(row: NewRow): number
  /** Events of rows with id >= `from` whose key is in the range, in id order. */
  eventsSince(from: number, key: string, rangeEnd: string | undefined): WatchEvent[]
  /** Remove superseded rows and tombstones with id <= revision; record the compact revision. */
  compact(revision: number): void
  /** Run `fn` atomically: all its appends land, or none. Nested calls are savepoints. */
  transaction<T>(fn: () => T): T
  /** Lease table: granted leases survive a restart (their TTL restarts then, as in etcd). */
  saveLease(id: number, ttl: number): void
  deleteLease(id: number): void
  loadLeases(): Array<{ id: number, ttl: number }>
  /** Keys whose current row is attached to a lease. */
  leasedKeys(): Array<{ key: string, lease: number }>
  size(): { inUse: number, allocated: number }
  /** Drop what is kept only for speed (the SQLite log's newest rows per key). */
  trim?(): void
  close(): void | Promise<void>
}
