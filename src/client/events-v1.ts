// Recording Events through events.k8s.io/v1, as client-go's tools/events broadcaster does for
// kube-scheduler (v1.32): an Event named <object>.<16 hex of Unix ns> with eventTime (MicroTime),
// reportingController and reportingInstance, regarding (and related), note and action — no
// source, count or first/last timestamps. An isomorphic repeat (same type, action, reason,
// controller, instance, regarding and related — not the note, as getKey) within 6 minutes becomes a series: the second patches
// `series: {count: 2, lastObservedTime}`, later ones count in memory and are written when the
// series ends (6 minutes without a repeat) or every 30 minutes while it lasts, on the cluster clock.
import { type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'
import type { Client } from './client.ts'
import type { RecordOptions } from './events.ts'

type Involved = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>

/** finishTime and refreshTime of client-go's events broadcaster. */
const FINISH_MS = 6 * 60_000
const REFRESH_MS = 30 * 60_000
/**
 * Events remembered for series, the least recently seen forgotten first. client-go's map is not
 * bounded (its 6-minute sweep empties it), but a burst on a clock that does not move (a virtual
 * one) would keep every Scheduled event: bounded as client-go's core/v1 correlator is.
 */
const MAX_CACHED = 4096

interface Cached {
  name: string
  namespace: string
  eventTime: number
  /** The first occurrence's note (a series keeps it). */
  note: string
  series?: { count: number, lastObservedTime: number }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

function reference (obj: Involved): Record<string, unknown> {
  const ref: Record<string, unknown> = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion }
  for (const k of Object.keys(ref)) if (ref[k] === undefined) delete ref[k]
  return ref
}

export class EventsV1Recorder {
  private readonly client: Client
  private readonly clock: Clock
  private readonly controller: string
  private readonly instance: string
  private readonly cache = new Map<string, Cached>()
  private finishTimer: TimerHandle | undefined
  private refreshTimer: TimerHandle | undefined
  /** The timers' writes, one after another. */
  private writing: Promise<void> = Promise.resolve()
  private stopped = false
  private seq = Math.floor(Math.random() * 1_000_000)

  /** `instance`: reportingInstance, `<controller>-<hostname>` as NewRecorder makes it. */
  constructor (options: { client: Client, clock: Clock, controller: string, instance: string }) {
    this.client = options.client
    this.clock = options.clock
    this.controller = options.controller
    this.instance = options.instance
  }

  /** Write the event (or count it in its series). Failures are returned, never thrown (best effort, as upstream). */
  async record (obj: Involved, o: RecordOptions & { related?: Involved }): Promise<Error | undefined> {
    // Stopped with its component (the broadcaster shut down): nothing more is recorded.
    if (this.stopped) return undefined
    const now = this.clock.now()
    const regarding = reference(obj)
    const related = o.related === undefined ? undefined : reference(o.related)
    const key = JSON.stringify([o.type, o.action ?? '', o.reason, this.controller, regarding, related ?? null])
    const cached = this.cache.get(key)
    try {
      if (cached === undefined) {
        const name = `${obj.metadata.name}.${this.suffix(now)}`
        const namespace = obj.metadata.namespace ?? 'default'
        const body: Record<string, unknown> = {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name, namespace },
          eventTime: microTime(now),
          reportingController: this.controller,
          reportingInstance: this.instance,
          action: o.action ?? '',
          reason: o.reason,
          regarding,
          ...(related === undefined ? {} : { related }),
          note: o.message,
          type: o.type,
        }
        this.remember(key, { name, namespace, eventTime: now, note: o.message })
        this.startTimers()
        await this.client.create(body as unknown as KubeObject)
        return undefined
      }
      this.remember(key, cached)
      if (cached.series !== undefined) {
        // Counted here; written when the series ends or at the next refresh.
        cached.series.count++
        cached.series.lastObservedTime = now
        return undefined
      }
      cached.series = { count: 2, lastObservedTime: now }
      await this.writeSeries(key, cached)
      return undefined
    } catch (err) {
      return err as Error
    }
  }

  /** Resolves once the series writes the timers started are done. */
  drained (): Promise<void> { return this.writing }

  /** Stop the series timers (the component stops). */
  stop (): void {
    this.stopped = true
    this.finishTimer?.cancel()
    this.refreshTimer?.cancel()
    this.finishTimer = undefined
    this.refreshTimer = undefined
  }

  /**
   * Kept as the most recently seen (a Map iterates in insertion order: the first is the oldest).
   * Over the bound, the oldest lone event goes (a series keeps its count until it ends), else the oldest.
   */
  private remember (key: string, c: Cached): void {
    this.cache.delete(key)
    this.cache.set(key, c)
    if (this.cache.size <= MAX_CACHED) return
    let n = 0
    for (const [k, v] of this.cache) {
      if (v.series === undefined || ++n > 64) { this.cache.delete(k); return }
    }
  }

  /** The series as it stands, as a patch of the event; a create if the event is gone (rebuilt from its key). */
  private async writeSeries (key: string, c: Cached): Promise<void> {
    const series = { count: c.series!.count, lastObservedTime: microTime(c.series!.lastObservedTime) }
    try {
      await this.client.patch('events.k8s.io/v1', 'Event', c.namespace, c.name, { series }, { type: 'strategic' })
    } catch (err) {
      if (!isStatusError(err, 404)) throw err
      const [type, action, reason, controller, regarding, related] = JSON.parse(key) as [string, string, string, string, Record<string, unknown>, Record<string, unknown> | null]
      await this.client.create({
        apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: c.name, namespace: c.namespace }, eventTime: microTime(c.eventTime), series,
        reportingController: controller, reportingInstance: this.instance, action, reason, regarding, ...(related === null ? {} : { related }), note: c.note, type,
      } as unknown as KubeObject)
    }
  }

  private startTimers (): void {
    if (this.stopped) return
    this.finishTimer ??= this.clock.setInterval(() => { this.writing = this.writing.then(() => this.finishSeries()) }, FINISH_MS)
    this.refreshTimer ??= this.clock.setInterval(() => { this.writing = this.writing.then(() => this.refreshSeries()) }, REFRESH_MS)
  }

  /** finishSeries: a series without a repeat for 6 minutes is written and forgotten; so is a lone event that old. */
  private async finishSeries (): Promise<void> {
    const cutoff = this.clock.now() - FINISH_MS
    for (const [key, c] of [...this.cache]) {
      if (c.series !== undefined ? c.series.lastObservedTime >= cutoff : c.eventTime >= cutoff) continue
      this.cache.delete(key)
      if (c.series !== undefined) await this.writeSeries(key, c).catch(() => undefined)
    }
    if (this.cache.size === 0) this.stop()
  }

  /** refreshExistingEventSeries: every series still open is written as it stands. */
  private async refreshSeries (): Promise<void> {
    for (const [key, c] of [...this.cache]) if (c.series !== undefined) await this.writeSeries(key, c).catch(() => undefined)
  }

  /** 16 hex digits of a Unix-nanosecond timestamp, unique per recorder. */
  private suffix (now: number): string {
    const ns = BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)
    return ns.toString(16).padStart(16, '0').slice(-16)
  }
}
