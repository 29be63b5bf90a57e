// SqliteLog keeps each recently used key's newest row in memory (latest() is every write's first
// read). What it answers must be what the table says: the same rows and versions as a log opened
// fresh on the same file, through creates, updates, deletes, re-creates, a rolled-back
// transaction, a compaction (which changes the counted history) and a trim at rest.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteLog } from '../../src/store/sqlite/sqlite-log.ts'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('SqliteLog newest-row cache', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k3sim-heads-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('answers latest() exactly as the table does', () => {
    const path = join(dir, 'state.db')
    const log = new SqliteLog({ path })
    const keys = ['/a', '/b', '/c', '/d']
    // Writes as the log backend makes them: read the newest row, then append the next one.
    const write = (key: string, del: boolean): void => {
      const cur = log.latest(key, 0)
      const live = cur !== undefined && !cur.deleted
      if (del && !live) return
      log.append({
        key,
        created: !live,
        deleted: del,
        createRevision: live ? cur.kv.createRevision : 0,
        prevRevision: cur?.kv.modRevision ?? 0,
        lease: 0,
        value: enc(del ? '' : `v${log.revision()}`),
        oldValue: live ? cur.kv.value : new Uint8Array(0),
      })
    }
    const compare = (label: string): void => {
      const fresh = new SqliteLog({ path })
      for (const key of keys) {
        for (const at of [0, Math.max(1, log.revision() - 3)]) {
          assert.deepEqual(log.latest(key, at), fresh.latest(key, at), `${label}: ${key} at ${at}`)
        }
      }
      fresh.close()
    }
    let x = 11
    const random = (n: number): number => { x = (x * 48271) % 2147483647; return x % n }
    for (let step = 0; step < 300; step++) {
      log.transaction(() => write(keys[random(keys.length)], random(5) === 0))
      if (step % 25 === 0) compare(`step ${step}`)
      if (step === 100) {
        assert.throws(() => log.transaction(() => { write('/a', false); write('/b', false); throw new Error('abort') }), /abort/)
        // The next write reuses the rolled-back revision for another key, before anyone reads '/a'.
        log.transaction(() => log.append({ key: '/e', created: true, deleted: false, createRevision: 0, prevRevision: 0, lease: 0, value: enc('e'), oldValue: new Uint8Array(0) }))
        compare('after a rollback and a write to another key')
      }
      if (step === 200) {
        log.compact(log.revision() - 5)
        compare('after a compaction')
      }
      if (step === 250) {
        log.trim()
        compare('after a trim (at rest: every cached row dropped)')
      }
    }
    compare('at the end')
    log.close()
  })
})
