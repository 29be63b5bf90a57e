// kine's table and indexes, exactly (k3s-facts.md §1.1), plus one table of our own for leases,
// which kine does not keep (it fakes them as TTLs) and etcd does.

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT, created INTEGER, deleted INTEGER,
  create_revision INTEGER, prev_revision INTEGER,
  lease INTEGER, value BLOB, old_value BLOB
);
CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name);
CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id);
CREATE INDEX IF NOT EXISTS kine_id_deleted_index ON kine (id, deleted);
CREATE INDEX IF NOT EXISTS kine_prev_revision_index ON kine (prev_revision);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
CREATE TABLE IF NOT EXISTS k3sim_leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
`

/** kine's bookkeeping row: its prev_revision is the compact revision. It is revision 1. */
export const COMPACT_REV_KEY = 'compact_rev_key'

const COLUMNS = 'kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.lease, kv.value, kv.old_value'

/** Rows of this incarnation kept in history, up to this one: the key's version. */
const VERSION = `(SELECT COUNT(*) FROM kine v WHERE v.name = kv.name
  AND v.id >= (CASE WHEN kv.created = 1 THEN kv.id ELSE kv.create_revision END) AND v.id <= kv.id) AS version`

/** The newest row per name at a revision (kine's listSQL shape). */
function newest (bounded: boolean): string {
  return `SELECT MAX(m.id) AS id FROM kine m WHERE m.name >= ? ${bounded ? 'AND m.name < ?' : ''}
    AND m.name != '${COMPACT_REV_KEY}' AND m.id <= ? GROUP BY m.name`
}

export const SQL = {
  insertCompactRow: `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value)
    VALUES ('${COMPACT_REV_KEY}', 0, 0, 0, 0, 0, x'', x'')`,
  compactRevision: `SELECT prev_revision FROM kine WHERE name = '${COMPACT_REV_KEY}'`,
  revision: 'SELECT MAX(id) AS id FROM kine',
  names: 'SELECT DISTINCT name FROM kine',
  latest: `SELECT ${COLUMNS}, ${VERSION} FROM kine kv WHERE kv.name = ? AND kv.id <= ? ORDER BY kv.id DESC LIMIT 1`,
  // Rows come back in name order from the GROUP BY (the range reader checks, and sorts if not).
  list: (bounded: boolean, keysOnly: boolean): string =>
    `SELECT kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.lease,
     ${keysOnly ? "x''" : 'kv.value'}, x'', ${VERSION}
     FROM (${newest(bounded)}) n CROSS JOIN kine kv ON kv.id = n.id WHERE kv.deleted = 0 LIMIT ?`,
  count: (bounded: boolean): string =>
    `SELECT COUNT(*) AS n FROM kine kv JOIN (${newest(bounded)}) n ON n.id = kv.id WHERE kv.deleted = 0`,
  insert: `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  eventsSince: (bounded: boolean): string =>
    `SELECT ${COLUMNS}, ${VERSION} FROM kine kv WHERE kv.id >= ? AND kv.name >= ? ${bounded ? 'AND kv.name < ?' : ''}
     AND kv.name != '${COMPACT_REV_KEY}' ORDER BY kv.id`,
  // kine's compactSQL: rows superseded by a row at or below the revision, and old tombstones.
  compact: `DELETE FROM kine WHERE id IN (
      SELECT kp.prev_revision FROM kine kp WHERE kp.name != '${COMPACT_REV_KEY}' AND kp.prev_revision != 0 AND kp.id <= ?
      UNION SELECT kd.id FROM kine kd WHERE kd.deleted != 0 AND kd.id <= ?)`,
  setCompactRevision: `UPDATE kine SET prev_revision = ? WHERE name = '${COMPACT_REV_KEY}'`,
  leasedKeys: `SELECT kv.name, kv.lease FROM kine kv JOIN (SELECT MAX(id) AS id FROM kine GROUP BY name) n ON n.id = kv.id
    WHERE kv.deleted = 0 AND kv.lease != 0 AND kv.name != '${COMPACT_REV_KEY}'`,
  saveLease: 'INSERT OR REPLACE INTO k3sim_leases (id, ttl) VALUES (?, ?)',
  deleteLease: 'DELETE FROM k3sim_leases WHERE id = ?',
  loadLeases: 'SELECT id, ttl FROM k3sim_leases',
}
