// Recording Events as client-go's EventRecorder does for the components k3s runs: core/v1 Events
// named <object>.<16 hex of Unix ns>, with source, count and first/last timestamps, through
// client-go's correlator: a repeat bumps count instead of adding an event, similar events are
// combined, and a source writes at most 25 events about one object in a burst.
import { rfc3339, type KubeObject } from '../api/object.ts'
import type { Clock } from '../util/clock.ts'
import type { Client } from './client.ts'
import { EventCorrelator } from './event-correlator.ts'

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
  private readonly correlator = new EventCorrelator()
  // Starts at a random point so two recorders on one (virtual) clock don't name events alike.
  private seq = Math.floor(Math.random() * 1_000_000)

  constructor (options: { client: Client, clock: Clock, source: EventSource }) {
    this.client = options.client
    this.clock = options.clock
    this.source = options.source
  }

  /**
   * Write the event as client-go's recorder does after its correlator (event-correlator.ts): a new
   * Event, a count bump of an earlier one, or nothing once the source has written too many about
   * the object. Failures are returned, never thrown (events are best effort upstream too).
   */
  async record (obj: Involved, o: RecordOptions): Promise<Error | undefined> {
    const namespace = obj.metadata.namespace ?? 'default'
    const clockNow = this.clock.now()
    const now = rfc3339(clockNow)
    const c = this.correlator.correlate({
      component: this.source.component,
      host: this.source.host ?? '',
      object: `${obj.kind}\u0000${obj.metadata.namespace ?? ''}\u0000${obj.metadata.name}\u0000${obj.metadata.uid ?? ''}\u0000${obj.apiVersion}`,
      fieldPath: o.fieldPath ?? '',
      type: o.type,
      reason: o.reason,
      message: o.message,
    }, clockNow)
    try {
      if (c.action === 'skip') return undefined
      if (c.action === 'patch') {
        await this.client.patch('v1', 'Event', c.namespace, c.name, { count: c.count, lastTimestamp: now, message: c.message }, { type: 'merge' })
        this.correlator.written(c.key, { name: c.name, namespace: c.namespace, count: c.count, first: c.first })
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
        message: c.message,
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
      this.correlator.written(c.key, { name, namespace, count: 1, first: now })
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
