// Row → KeyValue / WatchEvent conversions shared by the storages, in kine's conventions.
import type { KeyValue, WatchEvent } from './backend.ts'
import type { Row } from './log-storage.ts'

const EMPTY = new Uint8Array(0)

/** kine stores create_revision 0 on a create row; read back, it is the row's own id. */
export function kvOf (row: Row, version: number): KeyValue {
  return {
    key: row.key,
    value: row.value,
    createRevision: row.created ? row.id : row.createRevision,
    modRevision: row.id,
    version,
    lease: row.lease,
  }
}

/**
 * The watch event of a row. The previous kv comes from the row itself (old_value, prev_revision),
 * as kine does, so it survives compaction of the previous row.
 */
export function eventOf (row: Row, version: number, prevVersion?: number): WatchEvent {
  const prevKv: KeyValue | undefined = row.created
    ? undefined
    : { key: row.key, value: row.oldValue, createRevision: row.createRevision, modRevision: row.prevRevision, version: prevVersion ?? Math.max(version - 1, 1), lease: 0 }
  if (row.deleted) {
    return { type: 'delete', kv: { key: row.key, value: EMPTY, createRevision: 0, modRevision: row.id, version: 0, lease: 0 }, prevKv }
  }
  return { type: 'put', kv: kvOf(row, version), prevKv }
}

/** [from, to) bounds of a range; `to` undefined = unbounded ('\0' end) or a single key (undefined or '' end). */
export function rangeBounds (key: string, rangeEnd: string | undefined): { from: string, to?: string } {
  if (rangeEnd === undefined || rangeEnd === '' || rangeEnd === '\0') return { from: key }
  return { from: key, to: rangeEnd }
}
