// One running controller: its event table wired to the shared informers, one WorkQueue, and N
// workers running sync(key). The worker loop is sample-controller's processNextWorkItem:
// success forgets the key's backoff, NotFound ends quietly, any other error requeues the key
// rate-limited (client-go's 5 ms doubling backoff, on the cluster clock).
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from '../client/client.ts'
import { WorkQueue } from '../client/workqueue.ts'
import type { Clock } from '../util/clock.ts'
import type { SharedInformers } from './informers.ts'
import type { ControllerContext, ControllerDefinition, EventRule, InformerEvent, Lister } from './types.ts'
import { EventRecorder } from '../client/events.ts'

/** A failed sync or event handler, for logging; the key has been requeued when `key` is set. */
export interface ControllerError { controller: string, key?: string, error: unknown }

export interface ControllerLoopOptions {
  definition: ControllerDefinition
  client: Client
  clock: Clock
  informers: SharedInformers
  /** Called after every processed key (the runner's idleness signal). */
  onProcessed: () => void
  onError: (e: ControllerError) => void
}

export class ControllerLoop {
  readonly name: string
  readonly queue: WorkQueue<string>
  readonly ctx: ControllerContext
  private readonly definition: ControllerDefinition
  private readonly onProcessed: () => void
  private readonly onError: (e: ControllerError) => void
  private workers: Array<Promise<void>> = []

  constructor (options: ControllerLoopOptions) {
    const { definition, client, clock, informers } = options
    this.name = definition.name
    this.definition = definition
    this.onProcessed = options.onProcessed
    this.onError = options.onError
    this.queue = new WorkQueue<string>({ clock })
    const listers = new Map<string, Lister>()
    for (const [name, spec] of Object.entries(definition.informers)) listers.set(name, informers.for(spec))
    const queue = this.queue
    const recorders = new Map<string, EventRecorder>()
    this.ctx = {
      client,
      clock,
      lister (name) {
        const l = listers.get(name)
        if (l === undefined) throw new Error(`controller ${definition.name} has no informer named "${name}"`)
        return l
      },
      enqueue: key => queue.add(key),
      enqueueAfter: (key, ms) => queue.addAfter(key, ms),
      recorder (component, host) {
        const id = `${component}\u0000${host ?? ''}`
        let r = recorders.get(id)
        if (r === undefined) recorders.set(id, r = new EventRecorder({ client, clock, source: host === undefined ? { component } : { component, host } }))
        return r
      },
    }
    for (const rule of definition.events) {
      const informer = informers.for(definition.informers[rule.informer] ?? missing(definition.name, rule.informer))
      informer.addHandlers({
        add: rule.on.includes('add') ? obj => this.fire(rule, { type: 'add', obj }) : undefined,
        update: rule.on.includes('update') ? (old, obj) => this.fire(rule, { type: 'update', obj, old }) : undefined,
        delete: rule.on.includes('delete') ? obj => this.fire(rule, { type: 'delete', obj }) : undefined,
      })
    }
  }

  /** Start the workers (after the informers have synced, as WaitForCacheSync). */
  run (): void {
    const n = Math.max(0, this.definition.workers ?? 1)
    for (let i = 0; i < n; i++) this.workers.push(this.worker())
  }

  /** Keys queued or being synced; delayed retries are timers, not counted here. */
  get busy (): boolean { return this.queue.busy }

  get pendingRetries (): number { return this.queue.pendingDelayed }

  /** Stop taking keys; resolves when the syncs in flight have finished. */
  async shutDown (): Promise<void> {
    this.queue.shutDown()
    await Promise.all(this.workers)
    this.workers = []
    this.definition.stop?.()
  }

  /** Run one key through sync exactly as a worker would (tests and tools). */
  async process (key: string): Promise<void> {
    try {
      await this.definition.sync(key, this.ctx)
      this.queue.forget(key)
    } catch (error) {
      if (isStatusError(error, 404)) this.queue.forget(key)
      else {
        this.onError({ controller: this.name, key, error })
        this.queue.addRateLimited(key)
      }
    }
  }

  private async worker (): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.process(key)
      } finally {
        this.queue.done(key)
        this.onProcessed()
      }
    }
  }

  private fire (rule: EventRule, event: InformerEvent): void {
    try {
      for (const key of rule.keys(event, this.ctx)) {
        if (rule.delayMs === undefined) this.queue.add(key)
        else this.queue.addAfter(key, rule.delayMs)
      }
    } catch (error) {
      this.onError({ controller: this.name, error })
    }
  }
}

function missing (controller: string, informer: string): never {
  throw new Error(`controller ${controller}: event rule names unknown informer "${informer}"`)
}
