// Child process for the durability test: writes as fast as it can, 16 writes in flight at a
// time, and prints each acknowledged key with its revision. The parent kills it with SIGKILL.
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import * as ops from '../../src/store/ops.ts'

const backend = await SqliteBackend.open({ path: process.argv[2] })
let n = 0
const writer = async (): Promise<never> => {
  for (;;) {
    const key = `/registry/durable/${String(n++).padStart(8, '0')}`
    const r = await ops.create(backend, key, new TextEncoder().encode(`value-of-${key}`))
    process.stdout.write(`${key} ${r.revision}\n`)
  }
}
await Promise.all(Array.from({ length: 16 }, writer))
