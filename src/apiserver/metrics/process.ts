// client_golang's process collector, for this process: CPU seconds, open and maximum file
// descriptors, resident and virtual memory, start time (read from /proc where Linux has it).
import { readdirSync, readFileSync } from 'node:fs'
import { family } from './exposition.ts'

const startSeconds = Date.now() / 1000 - process.uptime()

function procValue<T> (read: () => T): T | undefined {
  try { return read() } catch { return undefined }
}

/** /proc/self/stat's vsize (field 23), in bytes. */
const virtualBytes = (): number | undefined => procValue(() => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[20]))
const openFds = (): number | undefined => procValue(() => readdirSync('/proc/self/fd').length)
/** A soft limit of /proc/self/limits; unlimited is the largest uint64, as procfs' reader gives it. */
const limit = (name: string): number | undefined => procValue(() => {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find(l => l.startsWith(name))
  const soft = line?.slice(name.length).trim().split(/\s+/)[0]
  return soft === undefined ? undefined : soft === 'unlimited' ? 2 ** 64 : Number(soft)
})

export function processFamilies (): string {
  const cpu = process.cpuUsage()
  const gauge = (name: string, help: string, value: number | undefined): string => value === undefined || !Number.isFinite(value) ? '' : family(name, 'gauge', help, [{ labels: [], value }])
  return [
    family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [{ labels: [], value: (cpu.user + cpu.system) / 1e6 }]),
    gauge('process_max_fds', 'Maximum number of open file descriptors.', limit('Max open files')),
    gauge('process_open_fds', 'Number of open file descriptors.', openFds()),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', process.memoryUsage.rss()),
    gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', startSeconds),
    gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', virtualBytes()),
    gauge('process_virtual_memory_max_bytes', 'Maximum amount of virtual memory available in bytes.', limit('Max address space')),
  ].join('')
}
