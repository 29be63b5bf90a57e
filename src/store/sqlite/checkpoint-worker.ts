// Worker thread entry (wal-checkpointer.ts starts it): its own connection to the store's file,
// which copies the WAL back into the database when asked, so the main thread never does.
// PASSIVE never waits for the writer: it copies what is committed and leaves the rest for the
// next request. It posts back SQLite's answer: { busy, log, checkpointed } in frames.
import { DatabaseSync } from 'node:sqlite'
import { parentPort, workerData } from 'node:worker_threads'

const { path, fsync } = workerData as { path: string, fsync: boolean }
const db = new DatabaseSync(path)
db.exec(`PRAGMA synchronous = ${fsync ? 'FULL' : 'NORMAL'}`)
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close()
    parentPort!.close()
    return
  }
  parentPort!.postMessage(checkpoint.get())
})
