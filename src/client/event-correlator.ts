// client-go's EventCorrelator (tools/record/events_cache.go), which every component's recorder
// runs before writing: the aggregator turns more than 10 events of one object, reason and type
// that differ only by message within 10 minutes into one "(combined from similar events): …"
// event; the logger turns a repeat into a count bump (a patch); the spam filter lets one source
// write 25 events about an object, then one more every 5 minutes, and skips the rest.
import { digest } from '../util/digest.ts'

const MAX_LRU_ENTRIES = 4096
const AGGREGATE_MAX_EVENTS = 10
const AGGREGATE_INTERVAL_MS = 600_000
const SPAM_BURST = 25
const SPAM_QPS = 1 / 300

/** What the correlator looks at of an event. */
export interface CorrelatedEvent {
  component: string
  host: string
  /** kind, namespace, name, uid, apiVersion of the involved object, joined. */
  object: string
  fieldPath: string
  type: string
  reason: string
  message: string
}

/** What to write: a new event, a patch of an earlier one (count + 1), or nothing. */
export type Correlation =
  | { action: 'create', key: number, message: string }
  | { action: 'patch', key: number, message: string, name: string, namespace: string, count: number, first: string }
  | { action: 'skip' }

interface Observed { name: string, namespace: string, count: number, first: string }

/**
 * groupcache's LRU, as client-go bounds these caches: a Map in use order, by key digest — a key
 * holds the component, host, object and message (~250 characters), and every kubelet has a
 * recorder with thousands of entries; two keys share a digest with odds of ~1e-9. (Not
 * lru-cache: that allocates its full capacity up front, and every kubelet has a recorder —
 * 5,000 nodes, 15,000 caches of 4,096 slots.)
 */
export class Lru<V> {
  private readonly map = new Map<number, V>()
  private readonly max: number
  /**
   * Where the oldest entry is: a live iterator, which moves past what it has returned. A fresh
   * `keys()` per eviction starts at the front and steps over every entry deleted there since the
   * Map last rehashed (thousands, for a recorder that sees thousands of objects: the scheduler's).
   * Everything before it has been evicted, and a refreshed key moves behind it, so its next key is
   * always the least recently used. Made at the first eviction: an iterator keeps the Map's
   * table of its making alive after the Map outgrows it (~4 KB for each of the 3,000 recorders'
   * caches of 1,000 kubelets, which never fill).
   */
  private oldest: MapIterator<number> | undefined

  constructor (max = MAX_LRU_ENTRIES) { this.max = max }

  /** `d`: the key's digest (computed once per event, not once per lookup). */
  get (d: number): V | undefined {
    const v = this.map.get(d)
    if (v !== undefined) { this.map.delete(d); this.map.set(d, v) }
    return v
  }

  set (d: number, value: V): void {
    this.map.delete(d)
    this.map.set(d, value)
    if (this.map.size > this.max) this.map.delete(this.nextOldest())
  }

  private nextOldest (): number {
    this.oldest ??= this.map.keys()
    let r = this.oldest.next()
    // Spent only if it once reached the end with nothing left to return: start over.
    if (r.done === true) { this.oldest = this.map.keys(); r = this.oldest.next() }
    return r.value!
  }

  /** Keys from least to most recently used (for tests). */
  keys (): number[] { return [...this.map.keys()] }
}

export class EventCorrelator {
  /**
   * Per aggregate key: the digests of the distinct messages seen (one number until a second
   * comes: most objects see one message per reason, and a Set costs ~150 bytes — 10 MB over
   * 1,000 kubelets' recorders at 10,000 pods), and when the last came.
   */
  private readonly aggregates = new Lru<{ messages: number | Set<number>, last: number }>()
  private readonly observed = new Lru<Observed>()
  private readonly spam = new Lru<{ tokens: number, at: number }>()

  /** EventCorrelate: aggregate, then observe (repeat → patch), then the spam filter. */
  correlate (e: CorrelatedEvent, now: number): Correlation {
    const source = `${e.component}\u0000${e.host}\u0000${e.object}`
    const sourceKey = digest(source)
    let key = digest(`${source}\u0000${e.fieldPath}\u0000${e.type}\u0000${e.reason}\u0000${e.message}`)
    let message = e.message
    // EventAggregatorByReasonFunc: reportingController and reportingInstance are the source here.
    const aggregateKey = digest(`${source}\u0000${e.type}\u0000${e.reason}`)
    const d = digest(e.message)
    let record = this.aggregates.get(aggregateKey)
    if (record === undefined || now - record.last > AGGREGATE_INTERVAL_MS) record = { messages: d, last: now }
    else if (typeof record.messages === 'number') { if (record.messages !== d) record.messages = new Set([record.messages, d]) } else record.messages.add(d)
    record.last = now
    this.aggregates.set(aggregateKey, record)
    if (typeof record.messages !== 'number' && record.messages.size >= AGGREGATE_MAX_EVENTS) {
      // Do not grow the set any larger (PopAny), and key the event by the aggregate so the
      // combined event is the one counted up from now on.
      record.messages.delete(record.messages.values().next().value!)
      key = aggregateKey
      message = `(combined from similar events): ${e.message}`
    }
    if (!this.allow(sourceKey, now)) return { action: 'skip' }
    const seen = this.observed.get(key)
    return seen === undefined
      ? { action: 'create', key, message }
      : { action: 'patch', key, message, name: seen.name, namespace: seen.namespace, count: seen.count + 1, first: seen.first }
  }

  /** After the write: remember the event under its key (eventObserve's cache update). */
  written (key: number, event: Observed): void {
    this.observed.set(key, event)
  }

  /** EventSourceObjectSpamFilter: a token bucket per source and object, full at first. */
  private allow (source: number, now: number): boolean {
    const bucket = this.spam.get(source) ?? { tokens: SPAM_BURST, at: now }
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + ((now - bucket.at) / 1000) * SPAM_QPS)
    bucket.at = now
    const ok = bucket.tokens >= 1
    if (ok) bucket.tokens -= 1
    this.spam.set(source, bucket)
    return ok
  }
}
