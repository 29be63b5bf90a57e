// Choose a backend the way k3s lays out its data dir: <dataDir>/db/state.db.
import { join } from 'node:path'
import type { Clock } from '../util/clock.ts'
import type { Backend } from './backend.ts'
import { MemoryBackend } from './memory/memory-backend.ts'
import { SqliteBackend } from './sqlite/sqlite-backend.ts'

export interface OpenBackendOptions {
  /** Data directory; the database is <dataDir>/db/state.db. Absent: in-memory SQLite. */
  dataDir?: string
  /** 'sqlite' (default) or 'memory' (plain JS structures, nothing on disk). */
  kind?: 'sqlite' | 'memory'
  clock?: Clock
  fsync?: boolean
}

export function databasePath (dataDir: string): string {
  return join(dataDir, 'db', 'state.db')
}

export async function openBackend (options: OpenBackendOptions = {}): Promise<Backend> {
  if (options.kind === 'memory') return new MemoryBackend({ clock: options.clock })
  const path = options.dataDir === undefined ? ':memory:' : databasePath(options.dataDir)
  return SqliteBackend.open({ path, clock: options.clock, fsync: options.fsync })
}
