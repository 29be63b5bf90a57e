import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import { runBackendContract } from './contract.ts'

const dirs: string[] = []
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

runBackendContract('sqlite (file)', {
  newBackend: async clock => {
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-sqlite-'))
    dirs.push(dir)
    return SqliteBackend.open({ path: join(dir, 'db', 'state.db'), clock })
  },
})
runBackendContract('sqlite (:memory:)', { newBackend: async clock => SqliteBackend.open({ path: ':memory:', clock }) })
