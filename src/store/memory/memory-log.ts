// The log in plain memory: every row by id, and each key's rows in a B+ tree sorted by key, so
// range reads walk only the keys in range and inserts stay O(log n). Used by `kind: 'memory'`.
import { BTree } from '../../util/btree.ts'
import type { KeyValue, RangeOptions, WatchEvent } from '../backend.ts'
import { inRange } from '../keys.ts'
import type { LogStorage, NewRow, Row } from '../log-storage.ts'
import { eventOf, kvOf, rangeBounds } from '../rows.ts'

export class MemoryLog implements LogStorage {
  private rev = 1
  private compactRev = 0
  private readonly rows = new Map<number, Row>()
  private readonly history = new BTree<string, Row[]>()
  private readonly leaseTtls = new Map<number, number>()
  private undo: Array<() => void> | undefined

  revision (): number { return this.rev }
  compactRevision (): number { return this.compactRev }

  latest (key: string, revision: number): { kv: KeyValue, deleted: boolean } | undefined {
    const rows = this.history.get(key)
    return rows === undefined ? undefined : latestIn(rows, revision)
  }

  range (o: RangeOptions & { revision: number }): { kvs: KeyValue[], more: boolean, count: number } {
    const { from, to } = rangeBounds(o.key, o.rangeEnd)
    const kvs: KeyValue[] = []
    let count = 0
    const limit = o.limit ?? 0
    const single = o.rangeEnd === undefined || o.rangeEnd === ''
    for (const [key, rows] of this.history.entries(from)) {
      if (to !== undefined && key >= to) break
      if (single && key !== o.key) break
      const r = latestIn(rows, o.revision)
      if (r === undefined || r.deleted) continue
      count++
      if (o.countOnly === true || (limit > 0 && kvs.length >= limit)) continue
      kvs.push(o.keysOnly === true ? { ...r.kv, value: new Uint8Array(0) } : r.kv)
    }
    return { kvs, more: limit > 0 && count > kvs.length && o.countOnly !== true, count }
  }

  append (row: NewRow): number {
    const full: Row = { ...row, id: ++this.rev }
    this.rows.set(full.id, full)
    let rows = this.history.get(row.key)
    if (rows === undefined) {
      rows = []
      this.history.set(row.key, rows)
    }
    rows.push(full)
    const list = rows
    this.undo?.push(() => {
      this.rows.delete(full.id)
      list.pop()
      if (list.length === 0) this.history.delete(row.key)
      this.rev--
    })
    return full.id
  }

  eventsSince (from: number, key: string, rangeEnd: string | undefined): WatchEvent[] {
    const events: WatchEvent[] = []
    for (let id = Math.max(from, 1); id <= this.rev; id++) {
      const row = this.rows.get(id)
      if (row === undefined || !inRange(row.key, key, rangeEnd)) continue
      const rows = this.history.get(row.key)!
      const i = rows.indexOf(row)
      const prev = i > 0 && rows[i - 1].id === row.prevRevision ? rows[i - 1] : undefined
      events.push(eventOf(row, versionAt(rows, i), prev === undefined ? undefined : versionAt(rows, i - 1)))
    }
    return events
  }

  compact (revision: number): void {
    const emptied: string[] = []
    for (const [key, rows] of this.history.entries()) {
      // Keep the newest row at or before `revision` unless it is a tombstone; drop older ones.
      const i = lastAtOrBefore(rows, revision)
      if (i < 0) continue
      const cut = rows[i].deleted ? i + 1 : i
      for (const r of rows.slice(0, cut)) this.rows.delete(r.id)
      rows.splice(0, cut)
      if (rows.length === 0) emptied.push(key)
    }
    for (const key of emptied) this.history.delete(key)
    this.compactRev = revision
  }

  transaction<T> (fn: () => T): T {
    const outer = this.undo
    const undo: Array<() => void> = []
    this.undo = undo
    try {
      const result = fn()
      outer?.push(...undo)
      return result
    } catch (err) {
      for (const u of undo.reverse()) u()
      throw err
    } finally {
      this.undo = outer
    }
  }

  saveLease (id: number, ttl: number): void { this.leaseTtls.set(id, ttl) }
  deleteLease (id: number): void { this.leaseTtls.delete(id) }
  loadLeases (): Array<{ id: number, ttl: number }> { return [...this.leaseTtls].map(([id, ttl]) => ({ id, ttl })) }
  leasedKeys (): Array<{ key: string, lease: number }> { return [] }

  size (): { inUse: number, allocated: number } {
    let bytes = 0
    for (const r of this.rows.values()) bytes += r.key.length + r.value.length + r.oldValue.length + 64
    return { inUse: bytes, allocated: bytes }
  }

  close (): void {}
}

/** Version = rows of this incarnation kept in history, up to and including row i. */
function versionAt (rows: Row[], i: number): number {
  if (rows[i].deleted) return 0
  let v = 1
  for (let j = i; j > 0 && !rows[j].created && !rows[j - 1].deleted; j--) v++
  return v
}

function lastAtOrBefore (rows: Row[], revision: number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (rows[mid].id <= revision) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

function latestIn (rows: Row[], revision: number): { kv: KeyValue, deleted: boolean } | undefined {
  const i = revision === 0 ? rows.length - 1 : lastAtOrBefore(rows, revision)
  if (i < 0) return undefined
  return { kv: kvOf(rows[i], versionAt(rows, i)), deleted: rows[i].deleted }
}
