// The in-memory Backend: kine's log semantics with nothing on disk.
import type { Clock } from '../../util/clock.ts'
import { LogBackend } from '../log-backend.ts'
import { MemoryLog } from './memory-log.ts'

export class MemoryBackend extends LogBackend {
  constructor (options: { clock?: Clock } = {}) {
    super({ storage: new MemoryLog(), clock: options.clock })
  }
}
