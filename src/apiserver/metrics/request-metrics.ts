// What kube-apiserver's endpoints/metrics records of each request, for /metrics: the count by
// verb, dry run, group, version, resource, subresource, scope, component and code
// (apiserver_request_total), the latency histogram (apiserver_request_duration_seconds; a watch
// observed when it ends), the long-running requests now (apiserver_longrunning_requests), and the
// most requests in flight in the last second per kind (apiserver_current_inflight_requests).
// In-process clients count as k3s's components do: they are the API server's clients too.
import type { ApiRequest } from '../request.ts'
import { family, histogramFamily, type HistogramSeries, type Labels, type Sample } from './exposition.ts'

/** apiserver_request_duration_seconds' buckets (v1.32). */
export const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60]

const VERBS: Record<ApiRequest['verb'], string> = { get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' }

/** The labels of a request but its code, in the order upstream declares them. */
interface RouteLabels { verb: string, dryRun: string, group: string, version: string, resource: string, subresource: string, scope: string }

/** The reported verb (CanonicalVerb, then CleanVerb: a server-side apply is APPLY). */
export function reportedVerb (req: Pick<ApiRequest, 'verb' | 'patchType'>): string {
  return req.verb === 'patch' && req.patchType === 'apply' ? 'APPLY' : VERBS[req.verb]
}

/** The installer's scope: `resource` for a named path or a create, else the namespace's or the cluster's. */
export function routeScope (req: Pick<ApiRequest, 'verb' | 'info' | 'namespace' | 'name'>): string {
  if (req.name !== undefined || req.verb === 'create') return 'resource'
  return req.info.namespaced && req.namespace !== undefined ? 'namespace' : 'cluster'
}

function routeLabels (req: ApiRequest): RouteLabels {
  return {
    verb: reportedVerb(req),
    dryRun: req.options.dryRun === true && req.options.dryRunInBody !== true ? 'All' : '',
    group: req.info.group,
    version: req.info.version,
    resource: req.info.resource,
    subresource: req.subresource ?? '',
    scope: routeScope(req),
  }
}

const keyOf = (l: RouteLabels): string => `${l.verb}\u0000${l.dryRun}\u0000${l.group}\u0000${l.version}\u0000${l.resource}\u0000${l.subresource}\u0000${l.scope}`

interface Route { labels: RouteLabels, codes: Map<string, number>, buckets: Float64Array, sum: number, count: number }

/** apiserver_longrunning_requests' series: its labels (RequestInfo's scope) and the requests open now. */
interface Gauge { labels: Labels, active: number }

/** One request in progress: `end(code)` once it is answered (a watch: once it ends). */
export interface RequestInProgress { end(code: number): void }

export class RequestMetrics {
  private readonly routes = new Map<string, Route>()
  private readonly byInfo = new WeakMap<object, Map<string, Route>>()
  private readonly longRunning = new Map<string, Gauge>()
  private readonly inflight = { readOnly: new Watermark(), mutating: new Watermark() }
  private readonly now: () => number

  /** `now` in milliseconds of real time (latency is measured, never the cluster's clock). */
  constructor (now: () => number = () => performance.now()) { this.now = now }

  /** A request begins (after its authorization); `end` it once answered (a watch: once it ends). */
  start (req: ApiRequest): RequestInProgress {
    const route = this.route(req)
    if (req.verb === 'watch') return new InProgress(this, route, this.gauge(route.labels, req))
    return new InProgress(this, route, req.verb === 'get' || req.verb === 'list' ? this.inflight.readOnly : this.inflight.mutating)
  }

  /**
   * The long-running series of a watch. Its scope is RequestInfo's (CleanScope), not the route's:
   * a watch of one object by `metadata.name=` in its field selector is `resource`.
   */
  private gauge (l: RouteLabels, req: ApiRequest): Gauge {
    const scope = namedBySelector(req.options.fieldSelector) ? 'resource' : l.scope
    const key = `${keyOf(l)}\u0000${scope}`
    let g = this.longRunning.get(key)
    if (g === undefined) {
      g = { labels: [['verb', l.verb], ['group', l.group], ['version', l.version], ['resource', l.resource], ['subresource', l.subresource], ['scope', scope], ['component', 'apiserver']], active: 0 }
      this.longRunning.set(key, g)
    }
    return g
  }

  /** The request's counters, found by its resource first (no label string per request). */
  private route (req: ApiRequest): Route {
    let byInfo = this.byInfo.get(req.info)
    if (byInfo === undefined) { byInfo = new Map(); this.byInfo.set(req.info, byInfo) }
    const short = `${req.verb}${req.patchType === 'apply' ? '!' : ''}\u0000${req.subresource ?? ''}\u0000${routeScope(req)}\u0000${req.options.dryRun === true && req.options.dryRunInBody !== true ? 1 : 0}`
    let route = byInfo.get(short)
    if (route === undefined) {
      const labels = routeLabels(req)
      const key = keyOf(labels)
      route = this.routes.get(key)
      if (route === undefined) {
        route = { labels, codes: new Map(), buckets: new Float64Array(DURATION_BUCKETS.length), sum: 0, count: 0 }
        this.routes.set(key, route)
      }
      byInfo.set(short, route)
    }
    return route
  }

  /** @internal InProgress's bookkeeping. */
  began (open: Watermark | Gauge): number {
    const t0 = this.now()
    if (open instanceof Watermark) open.enter(t0)
    else open.active++
    return t0
  }

  /** @internal */
  ended (route: Route, open: Watermark | Gauge, t0: number, code: number): void {
    const t1 = this.now()
    if (open instanceof Watermark) open.leave(t1)
    else open.active--
    const seconds = (t1 - t0) / 1000
    const c = String(code)
    route.codes.set(c, (route.codes.get(c) ?? 0) + 1)
    let i = 0
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++
    if (i < DURATION_BUCKETS.length) route.buckets[i]++
    route.sum += seconds
    route.count++
  }

  /** The families, in name order. */
  exposition (): string {
    const total: Sample[] = []
    const durations: HistogramSeries[] = []
    const longRunning: Sample[] = []
    for (const { labels: l, codes, buckets, sum, count } of this.routes.values()) {
      const common: Labels = [['verb', l.verb], ['group', l.group], ['version', l.version], ['resource', l.resource], ['subresource', l.subresource], ['scope', l.scope], ['component', 'apiserver']]
      for (const [code, n] of codes) total.push({ labels: [...common, ['dry_run', l.dryRun], ['code', code]], value: n })
      if (count > 0) durations.push({ labels: [...common, ['dry_run', l.dryRun]], counts: buckets, sum, count })
    }
    for (const g of this.longRunning.values()) longRunning.push({ labels: g.labels, value: g.active })
    const now = this.now()
    return [
      family('apiserver_current_inflight_requests', 'gauge', '[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.', [
        { labels: [['request_kind', 'mutating']], value: this.inflight.mutating.lastSecond(now) },
        { labels: [['request_kind', 'readOnly']], value: this.inflight.readOnly.lastSecond(now) },
      ]),
      family('apiserver_longrunning_requests', 'gauge', '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.', longRunning),
      histogramFamily('apiserver_request_duration_seconds', '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', DURATION_BUCKETS, durations),
      family('apiserver_request_total', 'counter', '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', total),
    ].join('')
  }
}

/** One request's place in the metrics: in flight (its kind's watermark), or long-running (its gauge). */
class InProgress implements RequestInProgress {
  private readonly metrics: RequestMetrics
  private readonly route: Route
  private readonly open: Watermark | Gauge
  private readonly t0: number
  private done = false
  constructor (metrics: RequestMetrics, route: Route, open: Watermark | Gauge) {
    this.metrics = metrics
    this.route = route
    this.open = open
    this.t0 = metrics.began(open)
  }

  end (code: number): void {
    if (this.done) return
    this.done = true
    this.metrics.ended(this.route, this.open, this.t0, code)
  }
}

/** RequestInfo names a list or watch by a `metadata.name=` (or `==`) term of its field selector. */
function namedBySelector (selector: string | undefined): boolean {
  return selector !== undefined && selector.split(',').some(t => /^\s*metadata\.name\s*==?/.test(t))
}

/**
 * Requests in flight, and the most of them at once in each second (upstream's watermark: the
 * count recorded as each request starts, reset every second, the last whole second reported),
 * kept as requests come and go, no timer.
 */
class Watermark {
  private current = 0
  private second = -1
  private max = 0
  private previousMax = 0

  enter (now: number): void { this.roll(now); this.current++; if (this.current > this.max) this.max = this.current }
  leave (now: number): void { this.roll(now); this.current-- }

  /** The most in flight during the last whole second. */
  lastSecond (now: number): number {
    this.roll(now)
    return this.previousMax
  }

  private roll (now: number): void {
    const second = Math.floor(now / 1000)
    if (second === this.second) return
    this.previousMax = second === this.second + 1 ? this.max : 0
    this.second = second
    this.max = 0
  }
}
