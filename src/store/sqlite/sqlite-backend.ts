// The default Backend: kine's log in a SQLite file (node:sqlite, WAL).
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Clock } from '../../util/clock.ts'
import { LogBackend } from '../log-backend.ts'
import { SqliteLog } from './sqlite-log.ts'

export interface SqliteBackendOptions {
  /** Database file (its folder is created), or ':memory:'. */
  path: string
  clock?: Clock
  /** fsync each commit; default false (durable across a process kill, not a power cut). */
  fsync?: boolean
}

export class SqliteBackend extends LogBackend {
  readonly path: string

  private constructor (options: SqliteBackendOptions, storage: SqliteLog) {
    super({ storage, clock: options.clock })
    this.path = options.path
  }

  static async open (options: SqliteBackendOptions): Promise<SqliteBackend> {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    return new SqliteBackend(options, new SqliteLog({ path: options.path, fsync: options.fsync }))
  }
}
