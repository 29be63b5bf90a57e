// The generic controller runner (kube-controller-manager in miniature): shared informers, one
// ControllerLoop (queue + workers) per controller definition, start/stop, and observable
// quiescence — busy() and idle() — so `cluster.settle()` can wait for controllers without sleeping.
//
//   const runner = new ControllerRunner({ client, clock, controllers: [garbageCollector({ resources })] })
//   await runner.start()     // informers listed and synced, workers running
//   ...; await runner.idle() // nothing queued or syncing, and nothing arrived for a few turns
//   await runner.stop()
import type { Client } from '../client/client.ts'
import { RealClock, type Clock } from '../util/clock.ts'
import { ControllerLoop, type ControllerError } from './controller.ts'
import { SharedInformers } from './informers.ts'
import type { ControllerDefinition } from './types.ts'

export interface ControllerRunnerOptions {
  client: Client
  clock?: Clock
  controllers: ControllerDefinition[]
  /** Failed syncs (already requeued) and throwing event handlers. Default: ignored. */
  onError?: (e: ControllerError) => void
}

/**
 * Event-loop turns with nothing to do before idle() believes it. A write's watch event reaches
 * the informers through promise callbacks; a turn or two later a handler has queued its key.
 */
const QUIET_TURNS = 3

export class ControllerRunner {
  readonly informers: SharedInformers
  private readonly loops: ControllerLoop[]
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new'
  private waiters: Array<() => void> = []

  constructor (options: ControllerRunnerOptions) {
    const names = new Set<string>()
    for (const c of options.controllers) {
      if (names.has(c.name)) throw new Error(`controller "${c.name}" is listed twice`)
      names.add(c.name)
    }
    const clock = options.clock ?? new RealClock()
    const onError = options.onError ?? (() => {})
    this.informers = new SharedInformers({ client: options.client })
    this.loops = options.controllers.map(definition => new ControllerLoop({
      definition, client: options.client, clock, informers: this.informers, onError, onProcessed: () => this.notify(),
    }))
  }

  /** List and watch, wait for every cache to sync, then start the workers. */
  async start (): Promise<void> {
    if (this.state !== 'new') throw new Error(`controller runner cannot start: it is ${this.state}`)
    this.state = 'starting'
    try {
      await this.informers.start()
    } catch (err) {
      this.state = 'stopped'
      this.informers.stop()
      this.notify()
      throw err
    }
    if (this.state !== 'starting') return
    this.state = 'running'
    for (const loop of this.loops) loop.run()
    this.notify()
  }

  /** Stop watching and taking keys; resolves when the syncs in flight have finished. */
  async stop (): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'stopped'
    this.informers.stop()
    await Promise.all(this.loops.map(l => l.shutDown()))
    this.notify()
  }

  /** True while starting (caches not synced) or while any controller has keys queued or syncing. */
  busy (): boolean {
    if (this.state === 'starting') return true
    if (this.state !== 'running') return false
    return !this.informers.hasSynced || this.loops.some(l => l.busy)
  }

  /** Keys waiting for their backoff timer (on the cluster clock) to requeue them. */
  pendingRetries (): number {
    return this.loops.reduce((n, l) => n + l.pendingRetries, 0)
  }

  /**
   * Resolves once no controller has work: not busy for QUIET_TURNS consecutive event-loop turns.
   * Delayed retries are clock timers and are not waited for (see pendingRetries()).
   */
  async idle (): Promise<void> {
    for (let quiet = 0; quiet < QUIET_TURNS;) {
      if (this.busy()) {
        quiet = 0
        await new Promise<void>(resolve => this.waiters.push(resolve))
        continue
      }
      await new Promise<void>(resolve => setImmediate(resolve))
      quiet = this.busy() ? 0 : quiet + 1
    }
  }

  /** A controller by name: its context, queue and `process(key)` (tests and tools). */
  controller (name: string): ControllerLoop {
    const loop = this.loops.find(l => l.name === name)
    if (loop === undefined) throw new Error(`no controller named "${name}"`)
    return loop
  }

  private notify (): void {
    for (const w of this.waiters.splice(0)) w()
  }
}
