// The SQLite log's filter of keys that surely have no row (key-filter.ts): it may say "maybe"
// for a key never written, never "absent" for one that was — through growth, and for keys
// found in a file written before it was opened.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeyFilter } from '../../src/store/sqlite/key-filter.ts'
import { SqliteLog } from '../../src/store/sqlite/sqlite-log.ts'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('SqliteLog key filter', () => {
  it('never calls a written key absent while it grows from 0 to 200,000 keys, and rarely calls an unwritten one present', () => {
    const written: string[] = []
    const filter = new KeyFilter(() => written)
    for (let i = 0; i < 200_000; i++) {
      const key = `/registry/events/default/load-7d9f-${i.toString(36)}.${(i * 7919).toString(16)}`
      written.push(key)
      filter.add(key, true)
      // Keys written before the latest growth (a rebuild from the source) and just now.
      if (i % 997 === 0) for (let j = 0; j <= i; j += 131) assert.equal(filter.mightHave(written[j]), true, `key ${j} of ${i}`)
    }
    for (const key of written) assert.equal(filter.mightHave(key), true)
    let maybe = 0
    for (let i = 0; i < 20_000; i++) if (filter.mightHave(`/registry/pods/default/never-${i}`)) maybe++
    assert.ok(maybe < 20_000 * 0.05, `${maybe} of 20,000 unwritten keys called present`)
  })

  it('keeps every key of a transaction that grows it, and of one rolled back, as "maybe"', () => {
    const log = new SqliteLog({ path: ':memory:' })
    const keys = Array.from({ length: 20_000 }, (_, i) => `/registry/events/default/e-${i}`)
    log.transaction(() => {
      for (const key of keys) log.append({ key, created: true, deleted: false, createRevision: 0, prevRevision: 0, lease: 0, value: enc('{}'), oldValue: new Uint8Array(0) })
    })
    log.trim() // no newest-row cache: latest() must ask the filter, then the table
    for (const key of [keys[0], keys[6_000], keys[19_999]]) assert.equal(log.latest(key, 0)?.kv.key, key)
    assert.throws(() => log.transaction(() => {
      log.append({ key: '/registry/pods/default/rolled-back', created: true, deleted: false, createRevision: 0, prevRevision: 0, lease: 0, value: enc('{}'), oldValue: new Uint8Array(0) })
      throw new Error('abort')
    }), /abort/)
    assert.equal(log.latest('/registry/pods/default/rolled-back', 0), undefined, 'rolled back: no row, whatever the filter says')
  })

  it('finds the rows of a file written before it was opened (a create of such a key must see them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-keys-'))
    try {
      const path = join(dir, 'state.db')
      const first = new SqliteLog({ path })
      first.transaction(() => first.append({ key: '/registry/pods/default/web', created: true, deleted: false, createRevision: 0, prevRevision: 0, lease: 0, value: enc('{}'), oldValue: new Uint8Array(0) }))
      await first.close()
      const reopened = new SqliteLog({ path })
      const latest = reopened.latest('/registry/pods/default/web', 0)
      assert.equal(latest?.kv.modRevision, 2, 'the row written before the open is found')
      assert.equal(reopened.latest('/registry/pods/default/other', 0), undefined)
      await reopened.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
