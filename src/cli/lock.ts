// One CLI command at a time per cluster: a lock file ($K3SIM_HOME/clusters/.NAME.lock, created
// exclusively, holding the holder's pid) so two invocations racing on a cluster (two creates, a
// stop during a start) run one after the other instead of corrupting its state. A lock whose
// process is gone (a killed CLI) is taken over.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { clustersDir } from './home.ts'
import { CliError } from './output.ts'

const WAIT_MS = 120_000
const POLL_MS = 25

/** Whether `pid` is a live process (a zombie waiting for a parent to reap it is not). */
export function processAlive (pid: number): boolean {
  try { process.kill(pid, 0) } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM' }
  try { return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z' } catch { return true }
}

function tryLock (file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600)
    writeSync(fd, String(process.pid))
    closeSync(fd)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    let holder = NaN
    try { holder = Number(readFileSync(file, 'utf8')) } catch {}
    // Written but not yet filled in by a live process: wait. Dead holder: take it over.
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) rmSync(file, { force: true })
    return false
  }
}

/** Run `fn` holding the lock of each named cluster (taken in name order, so --all never deadlocks). */
export async function withLocks<T> (names: string[], fn: () => Promise<T>): Promise<T> {
  mkdirSync(clustersDir(), { recursive: true, mode: 0o700 })
  const files = [...new Set(names)].sort().map(n => join(clustersDir(), `.${n}.lock`))
  const held: string[] = []
  try {
    for (const file of files) {
      const deadline = Date.now() + WAIT_MS
      while (!tryLock(file)) {
        if (Date.now() > deadline) throw new CliError(`another k3sim command holds ${file} (pid ${readFileSync(file, 'utf8')}); wait for it to finish, or remove the file if that process is gone`)
        await sleep(POLL_MS)
      }
      held.push(file)
    }
    return await fn()
  } finally {
    for (const file of held) rmSync(file, { force: true })
  }
}
