// Events (upstream printEvent). One apiserver storage serves core/v1 and events.k8s.io/v1 events
// through the internal api.Event, so the events.k8s.io shape is mapped to the core one first
// (regarding → involvedObject, note → message, deprecated* → the old timestamps, count, source).
import { type Printer, column, nameColumn, wide } from './types.ts'
import { parseTime, translateAge } from './time.ts'

const columns = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  column('Object', 'The object that this event is about.'),
  wide('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
  wide('Source', 'The component reporting this event. Should be a short machine understandable string.'),
  column('Message', 'A human-readable description of the status of this operation.'),
  wide('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
  wide('Count', 'The number of times this event has occurred.'),
  { ...nameColumn, priority: 1 }
]

/** An events.k8s.io/v1 Event in core/v1 field names. */
export function toCoreEvent (ev: any): any {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding ?? {},
    reason: ev.reason,
    message: ev.note,
    source: ev.deprecatedSource ?? {},
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    type: ev.type,
    eventTime: ev.eventTime,
    series: ev.series,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance
  }
}

const isZero = (t: unknown): boolean => parseTime(t) === undefined

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance). */
function eventSource (ev: any): string {
  const component = ev.source?.component || ev.reportingComponent || ''
  const instance = ev.source?.host || ev.reportingInstance || ''
  return instance === '' ? component : `${component}, ${instance}`
}

function printEvent (ev: any, now: number): unknown[] {
  let firstSeen = translateAge(ev.firstTimestamp, now)
  if (isZero(ev.firstTimestamp)) firstSeen = translateAge(ev.eventTime, now)
  let lastSeen = translateAge(ev.lastTimestamp, now)
  if (isZero(ev.lastTimestamp)) lastSeen = firstSeen
  let count: number = ev.count ?? 0
  if (ev.series !== undefined && ev.series !== null) {
    lastSeen = translateAge(ev.series.lastObservedTime, now)
    count = ev.series.count ?? 0
  } else if (count === 0) {
    count = 1 // singleton events don't have a count set in the new API
  }
  const involved = ev.involvedObject ?? {}
  const kind = String(involved.kind ?? '').toLowerCase()
  const target = involved.name ? `${kind}/${involved.name}` : kind
  return [
    lastSeen, ev.type ?? '', ev.reason ?? '', target, involved.fieldPath ?? '', eventSource(ev),
    String(ev.message ?? '').trim(), firstSeen, count, ev.metadata?.name ?? ''
  ]
}

export const eventPrinter: Printer = { columns, row: printEvent }

export const eventsV1Printer: Printer = { columns, row: (ev, now) => printEvent(toCoreEvent(ev), now) }
