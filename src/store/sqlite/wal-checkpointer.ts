// Checkpoints of the SQLite log's WAL, on a worker thread during bursts of writes. SQLite's own
// automatic checkpoint runs inside the COMMIT that crosses 1,000 pages of WAL: on the main
// thread, where it copies every page back into the database file and syncs both files while the
// API server, the scheduler and the kubelets wait (~15 % of a 10,000-pod Deployment's time).
// Here the main connection keeps an automatic checkpoint only as a bound (FALLBACK_PAGES), and
// after each commit that brings the value bytes appended since the last checkpoint past
// `thresholdBytes` (the WAL grows by more: index and table pages) a checkpoint runs:
// - in a burst (the previous one was less than `burstWindowMs` ago), or while the worker is up:
//   on a worker with its own connection, on another core;
// - otherwise on the main connection, as SQLite would have: a cluster that writes slowly never
//   starts a thread, which costs ~20 MB of RSS (~15 MB of it kept by Node after it stops).
// Durability is SQLite's either way: a checkpoint only copies committed frames.
//
// The worker stops 10 s of real time after its last checkpoint, so a cluster at rest holds no
// thread. If it fails, the main connection goes back to SQLite's default (1,000 pages) and the
// store carries on.
import type { DatabaseSync } from 'node:sqlite'
import { Worker } from 'node:worker_threads'

/** SQLite's default automatic checkpoint, in pages of WAL. */
const DEFAULT_PAGES = 1000
/** The main connection's own checkpoint while the worker has them: only when the worker lags. */
export const FALLBACK_PAGES = 16 * DEFAULT_PAGES
/** Real time after the last checkpoint at which the worker stops (rest()). */
const REST_AFTER_MS = 10_000
/** Two checkpoints closer than this (real time) are a burst: the second goes to the worker. */
const BURST_WINDOW_MS = 10_000

export interface WalCheckpointerOptions {
  /** Checkpoint once this many bytes were appended since the last checkpoint. */
  thresholdBytes?: number
  /** Default 10 s; tests use 0 (never a burst) and Infinity (always one, after the first). */
  burstWindowMs?: number
  fsync?: boolean
  /** The worker's entry (tests); default checkpoint-worker beside this file. */
  entry?: URL
}

export class WalCheckpointer {
  /** Checkpoints the worker has answered (tests, benchmarks). */
  checkpoints = 0
  /** Checkpoints run on the main connection, outside bursts. */
  mainCheckpoints = 0
  failed = false
  private worker: Worker | undefined
  private written = 0
  private lastCheckpoint = -Infinity
  private inFlight = false
  private idle: Array<() => void> = []
  private readonly exiting = new Set<Promise<void>>()
  private restTimer: NodeJS.Timeout | undefined
  private readonly thresholdBytes: number
  private readonly db: DatabaseSync
  private readonly path: string
  private readonly options: WalCheckpointerOptions

  constructor (db: DatabaseSync, path: string, options: WalCheckpointerOptions = {}) {
    this.db = db
    this.path = path
    this.options = options
    this.thresholdBytes = options.thresholdBytes ?? DEFAULT_PAGES * 4096
    db.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_PAGES}`)
  }

  /** A worker is started (and not failed or closed). */
  get running (): boolean { return this.worker !== undefined }

  /** Count bytes appended to the log. */
  wrote (bytes: number): void { this.written += bytes }

  /** After a COMMIT: checkpoint if enough was written and none is running (see the top). */
  committed (): void {
    if (this.written < this.thresholdBytes || this.inFlight || this.failed) return
    this.written = 0
    const now = performance.now()
    const burst = now - this.lastCheckpoint < (this.options.burstWindowMs ?? BURST_WINDOW_MS)
    this.lastCheckpoint = now
    try {
      if (!burst && this.worker === undefined) {
        this.db.exec('PRAGMA wal_checkpoint(PASSIVE)')
        this.mainCheckpoints++
        return
      }
      this.inFlight = true
      clearTimeout(this.restTimer) // re-armed by the answer: no rest while a request is out
      this.restTimer = undefined
      this.start().postMessage('checkpoint')
    } catch (err) {
      // As SQLite's own automatic checkpoint: a failure is not the commit's (the next one retries).
      this.inFlight = false
      process.emitWarning(`WAL checkpoint failed: ${(err as Error).message}`, { code: 'K3SIM_CHECKPOINT' })
    }
  }

  /** Resolves once no checkpoint is running. */
  async settled (): Promise<void> {
    if (this.inFlight) await new Promise<void>(resolve => this.idle.push(resolve))
  }

  /**
   * Stop the worker until the next request: a store at rest holds no thread (a worker is ~20 MB
   * of RSS). Called REST_AFTER_MS after the last checkpoint.
   */
  async rest (): Promise<void> {
    clearTimeout(this.restTimer)
    this.restTimer = undefined
    this.stopWorker()
    await Promise.all(this.exiting)
  }

  /** Close the worker's connection before the main one closes (that last close removes the WAL). */
  async close (): Promise<void> {
    this.failed = true
    await this.rest()
  }

  private stopWorker (): void {
    const worker = this.worker
    if (worker === undefined) return
    this.worker = undefined
    const exited: Promise<void> = new Promise<void>(resolve => worker.once('exit', () => resolve())).then(() => {
      this.exiting.delete(exited)
      this.done() // a checkpoint it had not answered is over too
    })
    this.exiting.add(exited)
    worker.ref() // an unref'd worker's exit would not keep the process waiting for it
    worker.postMessage('close')
  }

  private start (): Worker {
    if (this.worker !== undefined) return this.worker
    // Run from src/ (Node strips the types) or built (dist/, dist/bundle/): the worker file is the sibling.
    const entry = this.options.entry ?? new URL(import.meta.url.endsWith('.ts') ? './checkpoint-worker.ts' : './checkpoint-worker.js', import.meta.url)
    const worker = new Worker(entry, { workerData: { path: this.path, fsync: this.options.fsync === true } })
    worker.unref()
    worker.on('message', () => {
      this.checkpoints++
      this.done()
      if (this.restTimer === undefined) {
        this.restTimer = setTimeout(() => { void this.rest() }, REST_AFTER_MS)
        this.restTimer.unref()
      } else this.restTimer.refresh()
    })
    worker.on('error', err => { if (this.worker === worker) this.fail(err) })
    worker.on('exit', code => { if (this.worker === worker) this.fail(new Error(`exit code ${code}`)) })
    this.worker = worker
    return worker
  }

  private fail (err: Error): void {
    if (this.failed) return
    this.failed = true
    this.worker = undefined
    clearTimeout(this.restTimer)
    process.emitWarning(`WAL checkpoints are back on the main thread: their worker stopped (${err.message})`, { code: 'K3SIM_CHECKPOINT_WORKER' })
    try {
      this.db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`)
    } catch { /* the connection is closing */ }
    this.done()
  }

  private done (): void {
    this.inFlight = false
    for (const resolve of this.idle.splice(0)) resolve()
  }
}
