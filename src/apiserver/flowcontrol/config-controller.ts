// kube-apiserver's two API Priority and Fairness loops, as far as the stored objects show them:
// - the config producer (post-start hook priority-and-fairness-config-producer) creates the
//   bootstrap PriorityLevelConfigurations and FlowSchemas missing at start (bootstrap-config.ts);
//   existing ones are left as they are (upstream also rewrites the spec of mandatory objects and of
//   suggested ones still annotated autoupdate-spec "true": not emulated);
// - the config consumer (util/flowcontrol/apf_controller.go) keeps each FlowSchema's `Dangling`
//   condition whenever a FlowSchema or priority level changes, written to the status as manager
//   api-priority-and-fairness-config-consumer-v1 (upstream applies it server-side; here it is an
//   update of the status subresource, so managedFields say Update rather than Apply).
// Requests are not classified or throttled: nothing reads these objects to limit anything.
import type { KubeObject } from '../../api/object.ts'
import { rfc3339 } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { Backend, Watcher } from '../../store/backend.ts'
import type { Clock } from '../../util/clock.ts'
import type { ObjectStorage } from '../registry/storage.ts'
import { collectionRange } from '../registry/keys.ts'
import { isStatusError } from '../errors.ts'
import type { ApiRequest } from '../request.ts'
import { bootstrapFlowSchemas, bootstrapPriorityLevels } from './bootstrap-config.ts'

export const PRODUCER_MANAGER = 'api-priority-and-fairness-config-producer-v1'
export const CONSUMER_MANAGER = 'api-priority-and-fairness-config-consumer-v1'

type Json = Record<string, any>
type Request = Omit<ApiRequest, 'user'>

export interface FlowControlConfigOptions {
  storage: ObjectStorage
  flowSchemas: ResourceInfo
  priorityLevels: ResourceInfo
  clock: Clock
  /** Serve a request as the API server itself (system:masters). */
  serve: (req: Request) => Promise<unknown>
  log: (msg: string) => void
}

/** presyncFlowSchemaStatus: the Dangling condition a FlowSchema should carry. */
export function danglingCondition (fs: KubeObject, levels: Set<string>): { status: string, reason: string, message: string } {
  const name = String((fs as Json).spec?.priorityLevelConfiguration?.name ?? '')
  return levels.has(name)
    ? { status: 'False', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(name)} and it exists` }
    : { status: 'True', reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(name)} but there is no such object` }
}

export class FlowControlConfig {
  private readonly o: FlowControlConfigOptions
  private readonly watchers: Watcher[] = []
  private dirty = false
  private running: Promise<void> | undefined

  constructor (options: FlowControlConfigOptions) { this.o = options }

  /** The producer's pass: create the bootstrap objects not stored yet, priority levels first. */
  async ensure (): Promise<void> {
    for (const [info, objects] of [[this.o.priorityLevels, bootstrapPriorityLevels()], [this.o.flowSchemas, bootstrapFlowSchemas()]] as const) {
      const stored = new Set((await this.o.storage.list(info, undefined)).items.map(o => o.metadata.name))
      for (const obj of objects) {
        if (stored.has(obj.metadata.name)) continue
        try {
          await this.o.serve({ verb: 'create', info, body: obj, options: { fieldManager: PRODUCER_MANAGER } })
        } catch (err) {
          if (!isStatusError(err, 409)) this.o.log(`priority-and-fairness-config-producer: ${obj.kind} ${obj.metadata.name}: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
    }
  }

  /** Follow both kinds from the store and bring the FlowSchemas' status up to date now. */
  async start (backend: Backend): Promise<void> {
    const { revision } = await this.o.storage.list(this.o.flowSchemas, undefined, { limit: 1 })
    for (const info of [this.o.flowSchemas, this.o.priorityLevels]) {
      this.watchers.push(backend.watch({ ...collectionRange(info), startRevision: revision + 1, deliver: () => this.enqueue() }))
    }
    this.enqueue()
    await this.running
  }

  stop (): void { for (const w of this.watchers.splice(0)) w.close() }

  /** True while a status sync is due or running (the cluster's settle() waits for it). */
  busy (): boolean { return this.dirty || this.running !== undefined }

  private enqueue (): void {
    this.dirty = true
    this.running ??= this.drain().finally(() => { this.running = undefined })
  }

  private async drain (): Promise<void> {
    await Promise.resolve()
    while (this.dirty) {
      this.dirty = false
      await this.sync().catch(err => this.o.log(`priority-and-fairness-config-consumer: ${err instanceof Error ? err.message : String(err)}`))
    }
  }

  /** One pass of the consumer: write the Dangling condition wherever it differs. */
  private async sync (): Promise<void> {
    const levels = new Set((await this.o.storage.list(this.o.priorityLevels, undefined)).items.map(o => o.metadata.name!))
    for (const fs of (await this.o.storage.list(this.o.flowSchemas, undefined)).items) {
      const want = danglingCondition(fs, levels)
      const have = ((fs as Json).status?.conditions ?? []).find((c: Json) => c?.type === 'Dangling') as Json | undefined
      if (have !== undefined && have.status === want.status && have.reason === want.reason && have.message === want.message) continue
      const condition = { type: 'Dangling', status: want.status, lastTransitionTime: rfc3339(this.o.clock.now()), reason: want.reason, message: want.message }
      const others = ((fs as Json).status?.conditions ?? []).filter((c: Json) => c?.type !== 'Dangling')
      const body = { ...fs, status: { ...(fs as Json).status, conditions: [...others, condition] } } as KubeObject
      await this.o.serve({ verb: 'update', info: this.o.flowSchemas, name: fs.metadata.name, subresource: 'status', body, options: { fieldManager: CONSUMER_MANAGER } })
        .catch(err => {
          if (isStatusError(err, 409)) this.dirty = true // written since our list: the next pass redoes it
          else if (!isStatusError(err, 404)) throw err
        })
    }
  }
}
