// Recording Events as client-go's EventRecorder does for the components k3s runs: core/v1 Events
// named <object>.<16 hex of Unix ns>, with source, count and first/last timestamps; a repeat of
// the same reason/message on the same object within the series bumps count instead of adding one.
import { rfc3339, type KubeObject } from '../api/object.ts'
import type { Clock } from '../util/clock.ts'
import type { Client } from './client.ts'

export interface EventSource { component: string, host?: string }

export interface RecordOptions {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  /** For container events: `spec.containers{nginx}`. */
  fieldPath?: string
  /** What the component was doing (events.k8s.io's action: Scheduling, Binding, …). */
  action?: string
}

type Involved = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>

export class EventRecorder {
  private readonly client: Client
  private readonly clock: Clock
  private readonly source: EventSource
  private readonly recent = new Map<string, { name: string, namespace: string, count: number, first: string }>()
  // Starts at a random point so two recorders on one (virtual) clock don't name events alike.
  private seq = Math.floor(Math.random() * 1_000_000)

  constructor (options: { client: Client, clock: Clock, source: EventSource }) {
    this.client = options.client
    this.clock = options.clock
    this.source = options.source
  }

  /** Write the event; failures are returned, never thrown (events are best effort upstream too). */
  async record (obj: Involved, o: RecordOptions): Promise<Error | undefined> {
    const namespace = obj.metadata.namespace ?? 'default'
    const now = rfc3339(this.clock.now())
    const key = [obj.kind, namespace, obj.metadata.name, obj.metadata.uid, o.fieldPath, o.type, o.reason, o.message].join('\u0000')
    const seen = this.recent.get(key)
    try {
      if (seen !== undefined) {
        seen.count++
        await this.client.patch('v1', 'Event', seen.namespace, seen.name, { count: seen.count, lastTimestamp: now }, { type: 'merge' })
        return undefined
      }
      const name = `${obj.metadata.name}.${this.suffix()}`
      const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion }
      if (o.fieldPath !== undefined) involvedObject.fieldPath = o.fieldPath
      if (obj.metadata.namespace === undefined) delete involvedObject.namespace
      await this.client.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason: o.reason,
        message: o.message,
        source: this.source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type: o.type,
        eventTime: null,
        ...(o.action === undefined ? {} : { action: o.action }),
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      } as unknown as KubeObject)
      this.recent.set(key, { name, namespace, count: 1, first: now })
      if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value!)
      return undefined
    } catch (err) {
      return err as Error
    }
  }

  /** 16 hex digits of a Unix-nanosecond timestamp, unique per recorder. */
  private suffix (): string {
    const ns = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)
    return ns.toString(16).padStart(16, '0').slice(-16)
  }
}
