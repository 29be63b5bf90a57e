// What only the SQLite backend promises: kine's exact table, state across a restart, and no
// acknowledged write lost when the process is killed with SIGKILL.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import * as ops from '../../src/store/ops.ts'
import { VirtualClock } from '../../src/util/clock.ts'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('SqliteBackend on a file', () => {
  let dir: string
  let path: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k3sim-file-')); path = join(dir, 'db', 'state.db') })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('uses kine\'s table, indexes and row conventions, in WAL mode', async () => {
    const b = await SqliteBackend.open({ path })
    const c = await ops.create(b, '/registry/pods/default/a', enc('1'))
    await ops.update(b, '/registry/pods/default/a', enc('2'), { modRevision: c.revision })
    await ops.remove(b, '/registry/pods/default/a')
    await b.close()
    const db = new DatabaseSync(path)
    const cols = (db.prepare('PRAGMA table_info(kine)').all() as Array<{ name: string, type: string }>).map(c => `${c.name} ${c.type}`)
    assert.deepEqual(cols, ['id INTEGER', 'name TEXT', 'created INTEGER', 'deleted INTEGER', 'create_revision INTEGER',
      'prev_revision INTEGER', 'lease INTEGER', 'value BLOB', 'old_value BLOB'])
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kine' AND sql IS NOT NULL ORDER BY name").all() as Array<{ name: string }>).map(r => r.name)
    assert.deepEqual(indexes, ['kine_id_deleted_index', 'kine_name_id_index', 'kine_name_index', 'kine_name_prev_revision_uindex', 'kine_prev_revision_index'])
    assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal')
    const rows = db.prepare('SELECT id, name, created, deleted, create_revision, prev_revision, CAST(value AS TEXT) v, CAST(old_value AS TEXT) o FROM kine ORDER BY id').all()
    assert.deepEqual(rows.map(r => ({ ...r })), [
      { id: 1, name: 'compact_rev_key', created: 0, deleted: 0, create_revision: 0, prev_revision: 0, v: '', o: '' },
      { id: 2, name: '/registry/pods/default/a', created: 1, deleted: 0, create_revision: 0, prev_revision: 0, v: '1', o: '' },
      { id: 3, name: '/registry/pods/default/a', created: 0, deleted: 0, create_revision: 2, prev_revision: 2, v: '2', o: '1' },
      { id: 4, name: '/registry/pods/default/a', created: 0, deleted: 1, create_revision: 2, prev_revision: 3, v: '', o: '2' },
    ])
    db.close()
  })

  it('comes back after a restart with its data, history, compaction point and leases', async () => {
    const clock = new VirtualClock()
    let b = await SqliteBackend.open({ path, clock })
    const lease = await b.leases.grant({ ttl: 30 })
    await ops.put(b, '/a', enc('1'))
    await ops.put(b, '/a', enc('2'))
    await ops.put(b, '/leased', enc('x'), { lease: lease.id })
    await b.compact(3)
    await b.close()
    b = await SqliteBackend.open({ path, clock })
    assert.deepEqual([b.revision, b.compactRevision], [4, 3])
    assert.equal(dec((await ops.get(b, '/a', { revision: 3 })).kv!.value), '2')
    assert.deepEqual((await b.leases.timeToLive(lease.id)).keys, ['/leased'])
    await clock.advance('31s')
    assert.equal((await ops.get(b, '/leased')).kv, undefined)
    await b.close()
  })

  it('loses no acknowledged write when the writing process is killed with SIGKILL', async function () {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'support', 'durability-writer.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] })
    const acked = new Map<string, number>()
    let buffered = ''
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.on('exit', () => resolve())
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop()!
        for (const line of lines) {
          const [key, rev] = line.split(' ')
          acked.set(key, Number(rev))
        }
        if (acked.size >= 3000 && child.exitCode === null) child.kill('SIGKILL')
      })
    })
    assert.ok(acked.size >= 3000, `the writer acknowledged only ${acked.size} writes`)
    const b = await SqliteBackend.open({ path })
    const all = await ops.list(b, { prefix: '/registry/durable/' })
    const stored = new Map(all.kvs.map(kv => [kv.key, kv]))
    for (const [key, rev] of acked) {
      const kv = stored.get(key)
      assert.ok(kv, `acknowledged key ${key} is missing after the kill`)
      assert.equal(kv.modRevision, rev)
      assert.equal(dec(kv.value), `value-of-${key}`)
    }
    // The revision sequence has no holes: revisions 2..N are exactly the stored keys.
    const revs = all.kvs.map(kv => kv.modRevision).sort((x, y) => x - y)
    assert.deepEqual(revs, Array.from({ length: revs.length }, (_, i) => i + 2))
    assert.equal(b.revision, revs.length + 1)
    await b.close()
  })
})
