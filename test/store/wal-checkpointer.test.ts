// The SQLite log's WAL is checkpointed on a worker thread during bursts of writes, not inside
// the main thread's COMMIT: a lone checkpoint runs on the main connection (no thread for a
// cluster that writes slowly), the next one in a burst on the worker, which copies committed
// pages into the database file, stops at rest and starts again in the next burst. The log
// closes the worker's connection before its own (whose close removes the WAL), and a worker that
// fails hands checkpoints back to the main connection (SQLite's default of 1,000 pages).
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteLog } from '../../src/store/sqlite/sqlite-log.ts'
import { FALLBACK_PAGES, WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.ts'

const value = new Uint8Array(2000).fill(120)

function appendRows (log: SqliteLog, n: number, prefix: string): void {
  log.transaction(() => {
    for (let i = 0; i < n; i++) {
      log.append({ key: `/${prefix}/${i}`, created: true, deleted: false, createRevision: 0, prevRevision: 0, lease: 0, value, oldValue: new Uint8Array(0) })
    }
  })
}

describe('WAL checkpoints on a worker thread', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k3sim-wal-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('checkpoints a lone crossing on the main connection, and a burst on the worker', async () => {
    const path = join(dir, 'state.db')
    const log = new SqliteLog({ path, checkpointWorker: { thresholdBytes: 100_000, burstWindowMs: Infinity } })
    const checkpointer = log.checkpointer!
    const before = statSync(path).size
    appendRows(log, 10, 'small') // 20 kB: under the threshold
    assert.equal(checkpointer.mainCheckpoints + checkpointer.checkpoints, 0)
    assert.equal(statSync(path).size, before, 'nothing checkpointed yet')

    appendRows(log, 100, 'first') // 200 kB more: the first checkpoint, not in a burst
    assert.equal(checkpointer.mainCheckpoints, 1)
    assert.equal(checkpointer.running, false, 'no worker outside a burst')
    const afterFirst = statSync(path).size
    assert.ok(afterFirst > before + 200_000, `database file ${afterFirst} bytes holds the rows`)

    appendRows(log, 100, 'second') // within the window: a burst
    assert.equal(checkpointer.running, true)
    await checkpointer.settled()
    assert.equal(checkpointer.checkpoints, 1)
    assert.ok(statSync(path).size > afterFirst + 200_000, 'the worker checkpointed')

    // At rest the worker stops; the next burst starts another.
    await checkpointer.rest()
    assert.equal(checkpointer.running, false)
    appendRows(log, 100, 'third')
    assert.equal(checkpointer.running, true)
    await checkpointer.settled()
    assert.equal(checkpointer.checkpoints, 2)
    assert.equal(checkpointer.mainCheckpoints, 1)

    await log.close()
    assert.equal(existsSync(`${path}-wal`), false, "the worker's connection closed first, so the last close removed the WAL")
    const reopened = new SqliteLog({ path, checkpointWorker: false })
    assert.equal(reopened.range({ key: '/', rangeEnd: '0', revision: reopened.revision() }).count, 310)
    await reopened.close()
  })

  it('never starts a worker for checkpoints further apart than the window', async () => {
    const log = new SqliteLog({ path: join(dir, 'state.db'), checkpointWorker: { thresholdBytes: 100_000, burstWindowMs: 0 } })
    for (let i = 0; i < 3; i++) appendRows(log, 100, `batch${i}`)
    assert.equal(log.checkpointer!.mainCheckpoints, 3)
    assert.equal(log.checkpointer!.running, false)
    await log.close()
  })

  it('never fails or wedges a committed write when a checkpoint cannot start', async () => {
    const log = new SqliteLog({ path: join(dir, 'state.db'), checkpointWorker: { thresholdBytes: 1, burstWindowMs: Infinity, entry: new URL('http://example.invalid/checkpoint-worker.js') } })
    const warnings: string[] = []
    const onWarning = (w: Error): void => { warnings.push(w.message) }
    process.on('warning', onWarning)
    try {
      appendRows(log, 1, 'a') // the first checkpoint: on the main connection
      appendRows(log, 1, 'b') // a burst: the worker cannot start
      appendRows(log, 1, 'c')
      assert.equal(log.range({ key: '/', rangeEnd: '0', revision: log.revision() }).count, 3)
      await new Promise(resolve => setImmediate(resolve))
      assert.match(warnings.join('\n'), /WAL checkpoint failed/)
    } finally {
      process.off('warning', onWarning)
      await log.close()
    }
  })

  it('hands checkpoints back to the main connection when its worker fails', async () => {
    const path = join(dir, 'state.db')
    const db = new DatabaseSync(path)
    db.exec('PRAGMA journal_mode = WAL')
    const autocheckpoint = (): number => Number((db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint)
    const warnings: string[] = []
    const onWarning = (w: Error): void => { warnings.push(w.message) }
    process.on('warning', onWarning)
    try {
      const checkpointer = new WalCheckpointer(db, path, { thresholdBytes: 1, burstWindowMs: Infinity, entry: new URL('data:text/javascript,throw new Error("no sqlite here")') })
      assert.equal(autocheckpoint(), FALLBACK_PAGES)
      checkpointer.wrote(10)
      checkpointer.committed() // the first: on the main connection
      checkpointer.wrote(10)
      checkpointer.committed() // a burst: the worker, which fails
      await checkpointer.settled()
      assert.equal(checkpointer.failed, true)
      assert.equal(autocheckpoint(), 1000, "SQLite's default again")
      checkpointer.wrote(10)
      checkpointer.committed() // no new worker
      assert.equal(checkpointer.running, false)
      await new Promise(resolve => setImmediate(resolve))
      assert.match(warnings.join('\n'), /WAL checkpoints are back on the main thread: their worker stopped \(no sqlite here\)/)
      await checkpointer.close()
    } finally {
      process.off('warning', onWarning)
      db.close()
    }
  })
})
