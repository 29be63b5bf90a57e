// The log in SQLite through node:sqlite, in kine's table. The connection is synchronous, so a
// transaction is a plain BEGIN ... COMMIT around JS code and savepoints nest inside it.
// Durability: WAL with synchronous=NORMAL survives a kill -9 of the process (the WAL write is
// in the OS before COMMIT returns); `fsync: true` (synchronous=FULL) also survives power loss.
import { LRUCache } from 'lru-cache'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { KeyValue, RangeOptions, WatchEvent } from '../backend.ts'
import type { LogStorage, NewRow, Row } from '../log-storage.ts'
import { eventOf, kvOf, rangeBounds } from '../rows.ts'
import { KeyFilter } from './key-filter.ts'
import { COMPACT_REV_KEY, SCHEMA, SQL } from './schema.ts'
import { WalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer.ts'

export interface SqliteLogOptions {
  /** File path, or ':memory:'. */
  path: string
  /** fsync every commit (synchronous=FULL). Default false: durable against process crash. */
  fsync?: boolean
  /** WAL checkpoints on a worker thread (wal-checkpointer.ts); default true for a file. */
  checkpointWorker?: boolean | WalCheckpointerOptions
}

type Params = Array<string | number | Uint8Array | null>

interface Head { kv: KeyValue, deleted: boolean, id: number }

export class SqliteLog implements LogStorage {
  private readonly db: DatabaseSync
  readonly checkpointer: WalCheckpointer | undefined
  private readonly cache = new Map<string, StatementSync>()
  private rev: number
  private compactRev: number
  private depth = 0
  /**
   * Each recently used key's newest row, as `latest` reads it: every write first reads its key's
   * newest row, and that query (its version count scans the key's history) was the largest cost
   * of a write. Kept exact: an append replaces its key's entry (version + 1) and a rollback or a
   * compaction (which changes the counted history) empties it. Bounded by the values' bytes.
   */
  private readonly heads = new LRUCache<string, Head>({ maxSize: 16 * 2 ** 20, sizeCalculation: h => Math.max(1, h.kv.value.length) })
  /** Keys that surely have no row (key-filter.ts): a create of a new key reads nothing. */
  private readonly keys: KeyFilter

  constructor (options: SqliteLogOptions) {
    this.db = new DatabaseSync(options.path)
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; PRAGMA synchronous = ${options.fsync === true ? 'FULL' : 'NORMAL'};`)
    this.db.exec(SCHEMA)
    const inFile = options.path !== ':memory:' && options.path !== ''
    if (inFile && options.checkpointWorker !== false) {
      const own = typeof options.checkpointWorker === 'object' ? options.checkpointWorker : {}
      this.checkpointer = new WalCheckpointer(this.db, options.path, { fsync: options.fsync, ...own })
    }
    if (this.stmt(SQL.compactRevision).get() === undefined) this.stmt(SQL.insertCompactRow).run()
    this.rev = Number((this.stmt(SQL.revision).get() as { id: number }).id)
    this.compactRev = Number((this.stmt(SQL.compactRevision).get() as { prev_revision: number }).prev_revision)
    this.keys = new KeyFilter(() => (this.arrays(SQL.names).all() as unknown as Array<[string]>).map(r => r[0]))
  }

  trim (): void { this.heads.clear() }

  revision (): number { return this.rev }
  compactRevision (): number { return this.compactRev }

  latest (key: string, revision: number): { kv: KeyValue, deleted: boolean } | undefined {
    if (key === COMPACT_REV_KEY) return undefined
    const at = revision === 0 ? this.rev : revision
    const head = this.heads.get(key)
    // The newest row overall is the newest at any revision from its own on.
    if (head !== undefined && at >= head.id) return head
    if (head === undefined && !this.keys.mightHave(key)) return undefined
    const r = this.stmt(SQL.latest).get(key, at) as DbRow | undefined
    if (r === undefined) return undefined
    const found = { kv: kvOf(toRow(r), Number(r.version)), deleted: r.deleted === 1, id: Number(r.id) }
    if (at === this.rev) this.heads.set(key, found)
    return found
  }

  range (o: RangeOptions & { revision: number }): { kvs: KeyValue[], more: boolean, count: number } {
    if (o.rangeEnd === undefined || o.rangeEnd === '') {
      const r = this.latest(o.key, o.revision)
      const live = r !== undefined && !r.deleted
      const kvs = live && o.countOnly !== true ? [o.keysOnly === true ? { ...r.kv, value: new Uint8Array(0) } : r.kv] : []
      return { kvs, more: false, count: live ? 1 : 0 }
    }
    const { from, to } = rangeBounds(o.key, o.rangeEnd)
    const bounded = to !== undefined
    const where: Params = bounded ? [from, to, o.revision] : [from, o.revision]
    const limited = o.limit !== undefined && o.limit > 0
    if (o.countOnly === true) return { kvs: [], more: false, count: this.count(bounded, where) }
    const rows = this.arrays(SQL.list(bounded, o.keysOnly === true)).all(...where, limited ? o.limit! + 1 : -1) as unknown as DbTuple[]
    const more = limited && rows.length > o.limit!
    if (more) rows.pop()
    const kvs = rows.map(r => kvOf(tupleRow(r), Number(r[9])))
    if (!isSorted(kvs)) kvs.sort((a, b) => (a.key < b.key ? -1 : 1))
    return { kvs, more, count: more ? this.count(bounded, where) : kvs.length }
  }

  private count (bounded: boolean, where: Params): number {
    return Number((this.stmt(SQL.count(bounded)).get(...where) as { n: number }).n)
  }

  append (row: NewRow): number {
    const r = this.stmt(SQL.insert).run(row.key, row.created ? 1 : 0, row.deleted ? 1 : 0, row.createRevision,
      row.prevRevision, row.lease, row.value, row.oldValue)
    this.rev = Number(r.lastInsertRowid)
    this.keys.add(row.key, row.created)
    this.checkpointer?.wrote(row.key.length + row.value.length + row.oldValue.length)
    const prev = this.heads.get(row.key)
    if (row.created) this.heads.set(row.key, { kv: kvOf({ ...row, id: this.rev }, 1), deleted: row.deleted, id: this.rev })
    else if (prev !== undefined && prev.id === row.prevRevision) this.heads.set(row.key, { kv: kvOf({ ...row, id: this.rev }, prev.kv.version + 1), deleted: row.deleted, id: this.rev })
    else this.heads.delete(row.key)
    return this.rev
  }

  eventsSince (from: number, key: string, rangeEnd: string | undefined): WatchEvent[] {
    const single = rangeEnd === undefined || rangeEnd === ''
    const { to } = rangeBounds(key, rangeEnd)
    const bounded = single || to !== undefined
    const params: Params = bounded ? [from, key, single ? key + '\0' : to!] : [from, key]
    const rows = this.stmt(SQL.eventsSince(bounded)).all(...params) as unknown as DbRow[]
    return rows.map(r => {
      const version = Number(r.version)
      return eventOf(toRow(r), version, Math.max(version - 1, 1))
    })
  }

  compact (revision: number): void {
    this.heads.clear()
    this.stmt(SQL.compact).run(revision, revision)
    this.stmt(SQL.setCompactRevision).run(revision)
    this.compactRev = revision
  }

  transaction<T> (fn: () => T): T {
    const name = `sp${this.depth}`
    const rev = this.rev
    this.db.exec(this.depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`)
    this.depth++
    let result: T
    try {
      result = fn()
      this.depth--
    } catch (err) {
      this.depth--
      this.undo(name, rev)
      throw err
    }
    try {
      this.db.exec(this.depth === 0 ? 'COMMIT' : `RELEASE ${name}`)
    } catch (err) {
      this.undo(name, rev)
      throw err
    }
    // After the commit, outside the rollback's reach: a checkpoint never fails a write.
    if (this.depth === 0) this.checkpointer?.committed()
    return result
  }

  /** Roll back to before `name` (a failed COMMIT may have ended the transaction already). */
  private undo (name: string, rev: number): void {
    try {
      this.db.exec(this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`)
    } catch (err) {
      if (this.db.isTransaction) throw err
    }
    this.heads.clear()
    this.rev = rev
    this.compactRev = Number((this.stmt(SQL.compactRevision).get() as { prev_revision: number }).prev_revision)
  }

  saveLease (id: number, ttl: number): void { this.stmt(SQL.saveLease).run(id, ttl) }
  deleteLease (id: number): void { this.stmt(SQL.deleteLease).run(id) }

  loadLeases (): Array<{ id: number, ttl: number }> {
    return (this.stmt(SQL.loadLeases).all() as Array<{ id: number, ttl: number }>).map(r => ({ id: Number(r.id), ttl: Number(r.ttl) }))
  }

  leasedKeys (): Array<{ key: string, lease: number }> {
    return (this.stmt(SQL.leasedKeys).all() as Array<{ name: string, lease: number }>).map(r => ({ key: r.name, lease: Number(r.lease) }))
  }

  size (): { inUse: number, allocated: number } {
    const pragma = (name: string): number => Number(Object.values(this.db.prepare(`PRAGMA ${name}`).get() as object)[0])
    const pageSize = pragma('page_size')
    return { inUse: (pragma('page_count') - pragma('freelist_count')) * pageSize, allocated: pragma('page_count') * pageSize }
  }

  async close (): Promise<void> {
    await this.checkpointer?.close()
    if (this.db.isOpen) this.db.close()
  }

  /** A statement returning rows as arrays: about a third faster than objects for big lists. */
  private arrays (sql: string): StatementSync {
    const key = `arrays:${sql}`
    let s = this.cache.get(key)
    if (s === undefined) {
      s = this.db.prepare(sql)
      s.setReturnArrays(true)
      this.cache.set(key, s)
    }
    return s
  }

  private stmt (sql: string): StatementSync {
    let s = this.cache.get(sql)
    if (s === undefined) {
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }
}

interface DbRow {
  id: number, name: string, created: number, deleted: number, create_revision: number, prev_revision: number
  lease: number, value: Uint8Array, old_value: Uint8Array, version: number
}

/** id, name, created, deleted, create_revision, prev_revision, lease, value, old_value, version */
type DbTuple = [number, string, number, number, number, number, number, Uint8Array, Uint8Array, number]

function tupleRow (r: DbTuple): Row {
  return {
    id: Number(r[0]),
    key: r[1],
    created: r[2] === 1,
    deleted: r[3] === 1,
    createRevision: Number(r[4]),
    prevRevision: Number(r[5]),
    lease: Number(r[6]),
    value: r[7] ?? new Uint8Array(0),
    oldValue: r[8] ?? new Uint8Array(0),
  }
}

function isSorted (kvs: KeyValue[]): boolean {
  for (let i = 1; i < kvs.length; i++) if (kvs[i - 1].key >= kvs[i].key) return false
  return true
}

function toRow (r: DbRow): Row {
  return {
    id: Number(r.id),
    key: r.name,
    created: r.created === 1,
    deleted: r.deleted === 1,
    createRevision: Number(r.create_revision),
    prevRevision: Number(r.prev_revision),
    lease: Number(r.lease),
    value: r.value ?? new Uint8Array(0),
    oldValue: r.old_value ?? new Uint8Array(0),
  }
}
