// Zones and the rate-limited NoExecute tainter (upstream: nodetopology.GetZoneKey,
// ComputeZoneState, scheduler.RateLimitedTimedQueue over flowcontrol's token bucket).
// Nodes are tainted NoExecute through one queue per zone so that a zone failing all at once is
// tainted gradually: 0.1 per second by default, i.e. one node every 10 s after the first.
import type { Condition, Node } from './types.ts'

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption'

/** "" when the node has no region/zone labels (k3s nodes), else region + ":\0:" + zone. */
export function zoneKey (node: Node): string {
  const labels = node.metadata.labels ?? {}
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? ''
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? ''
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`
}

/**
 * Full disruption: no Ready node; partial: more than 2 not Ready and at least `threshold` of
 * them; normal otherwise. A node with no Ready condition counts as not Ready.
 */
export function computeZoneState (ready: ReadonlyArray<Condition | undefined>, threshold: number): { unhealthy: number, state: ZoneState } {
  const readyNodes = ready.filter(c => c?.status === 'True').length
  const notReady = ready.length - readyNodes
  if (readyNodes === 0 && notReady > 0) return { unhealthy: notReady, state: 'FullDisruption' }
  if (notReady > 2 && notReady / (notReady + readyNodes) >= threshold) return { unhealthy: notReady, state: 'PartialDisruption' }
  return { unhealthy: notReady, state: 'Normal' }
}

/**
 * A token bucket of burst 1 (what upstream uses): one token every 1/qps seconds, at most one
 * saved. qps ≤ 0 is flowcontrol's "never" limiter, which reports a QPS of 1.
 */
export class TokenBucket {
  readonly qps: number
  private availableAt: number

  constructor (qps: number, now: number) {
    this.qps = qps
    this.availableAt = now
  }

  /** flowcontrol's RateLimiter.QPS(). */
  get reportedQps (): number { return this.qps > 0 ? this.qps : 1 }

  tryAccept (now: number): boolean {
    if (this.qps <= 0 || now < this.availableAt) return false
    this.availableAt = now + 1000 / this.qps
    return true
  }

  /** When the next token is there; undefined for the never limiter. */
  nextTokenAt (now: number): number | undefined {
    return this.qps <= 0 ? undefined : Math.max(now, this.availableAt)
  }
}

interface Queued { node: string, processAt: number }

/**
 * RateLimitedTimedQueue: nodes waiting to be tainted, in processAt order. A processed node leaves
 * the queue but stays in the set, so it is not queued again until remove() (it became Ready, or
 * its taint went missing).
 */
export class ZoneTainter {
  private limiter: TokenBucket
  private queue: Queued[] = []
  private readonly set = new Set<string>()

  constructor (qps: number, now: number) { this.limiter = new TokenBucket(qps, now) }

  get qps (): number { return this.limiter.qps }
  get length (): number { return this.queue.length }

  /** False if the node is already in the set. */
  add (node: string, now: number): boolean {
    if (this.set.has(node)) return false
    this.set.add(node)
    this.insert({ node, processAt: now })
    return true
  }

  /** Out of the set and the queue; true if it was waiting in the queue. */
  remove (node: string): boolean {
    this.set.delete(node)
    const before = this.queue.length
    this.queue = this.queue.filter(q => q.node !== node)
    return this.queue.length !== before
  }

  /** SwapLimiter: a new full bucket, drained at once if the old one had no token left. */
  swapLimiter (qps: number, now: number): void {
    if (this.limiter.reportedQps === qps) return
    const next = new TokenBucket(qps, now)
    if (qps > 0 && !this.limiter.tryAccept(now)) next.tryAccept(now)
    this.limiter = next
  }

  /**
   * Try: while the limiter gives a token and the head is due, run `fn`; done → dropped from the
   * queue (kept in the set), not done → retried `retryMs` later. A token is spent per attempt.
   */
  async try (now: number, fn: (node: string) => Promise<{ done: boolean, retryMs?: number }>): Promise<void> {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      if (!this.limiter.tryAccept(now) || now < head.processAt) break
      const { done, retryMs = 0 } = await fn(head.node)
      this.queue = this.queue.filter(q => q !== head)
      if (!done && this.set.has(head.node)) this.insert({ node: head.node, processAt: now + retryMs + 1 })
    }
  }

  /** When try() could next make progress; undefined if the queue is empty or never limited. */
  nextAttemptAt (now: number): number | undefined {
    const head = this.queue[0]
    const token = this.limiter.nextTokenAt(now)
    return head === undefined || token === undefined ? undefined : Math.max(token, head.processAt)
  }

  private insert (item: Queued): void {
    const i = this.queue.findIndex(q => q.processAt > item.processAt)
    if (i < 0) this.queue.push(item)
    else this.queue.splice(i, 0, item)
  }
}
