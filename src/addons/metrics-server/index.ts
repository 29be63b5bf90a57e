// k3s's metrics-server add-on, in-process: every `--metric-resolution` (15 s on k3s) it scrapes
// each running kubelet's resource usage (kubelet /metrics/resource; the cluster wires the
// kubelets in) and serves metrics.k8s.io/v1beta1 through the API server's aggregator, as the
// APIService v1beta1.metrics.k8s.io names it. `kubectl top` and the HPA controller read it.
// Scrapes run on the cluster clock: with a virtual clock, advance 30 s and there are metrics.
import type { NodeUsageSample } from '../../api/resource-usage.ts'
import type { AggregatedBackend } from '../../apiserver/aggregator/index.ts'
import type { Client } from '../../client/client.ts'
import { Informer } from '../../client/informer.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { Clock, TimerHandle } from '../../util/clock.ts'
import { METRICS_GROUP, METRICS_VERSION, NODE_METRICS, POD_METRICS, serveMetrics, type MetricsListers } from './api.ts'
import { MetricsStorage } from './storage.ts'

export const METRIC_RESOLUTION_MS = 15_000

/** A node's kubelet as metrics-server reaches it; scrape() fails while the node is down. */
export interface ScrapeTarget { name: string, scrape(): Promise<NodeUsageSample> }

export interface MetricsServerOptions {
  client: Client
  clock: Clock
  targets: () => Iterable<ScrapeTarget>
  resolutionMs?: number
  log?: (msg: string) => void
}

export class MetricsServer {
  readonly backend: AggregatedBackend
  private readonly o: MetricsServerOptions
  private readonly storage: MetricsStorage
  private readonly nodes: Informer
  private timer: TimerHandle | undefined
  private scraping: Promise<void> | undefined
  /** Nodes whose last scrape failed (logged once, not every 15 s). */
  private readonly failing = new Set<string>()

  constructor (options: MetricsServerOptions) {
    this.o = options
    this.storage = new MetricsStorage(options.resolutionMs ?? METRIC_RESOLUTION_MS)
    this.nodes = new Informer({ client: options.client, apiVersion: 'v1', kind: 'Node' })
    const listers: MetricsListers = {
      node: name => this.nodes.get(name),
      nodes: () => this.nodes.list(),
      podExists: async (namespace, name) => {
        try {
          await options.client.get('v1', 'Pod', namespace, name)
          return true
        } catch (err) {
          if (isStatusError(err, 404)) return false
          throw err
        }
      },
    }
    this.backend = {
      group: METRICS_GROUP,
      version: METRICS_VERSION,
      resources: [NODE_METRICS, POD_METRICS],
      serve: req => serveMetrics(req, this.storage, listers, this.o.clock.now()),
    }
  }

  async start (): Promise<void> {
    await this.nodes.start()
    this.timer = this.o.clock.setInterval(() => { void this.scrape() }, this.o.resolutionMs ?? METRIC_RESOLUTION_MS)
  }

  stop (): void {
    this.timer?.cancel()
    this.nodes.stop()
  }

  /** A scrape is under way (the cluster's settle() waits for it). */
  busy (): boolean { return this.scraping !== undefined }

  /** One scrape of every node (a node that cannot be reached is left out, as metrics-server logs and skips it). */
  scrape (): Promise<void> {
    this.scraping ??= this.scrapeAll().finally(() => { this.scraping = undefined })
    return this.scraping
  }

  private async scrapeAll (): Promise<void> {
    const targets = [...this.o.targets()]
    const names = new Set(targets.map(t => t.name))
    for (const n of this.failing) if (!names.has(n)) this.failing.delete(n)
    const samples = await Promise.all(targets.map(async t => {
      try {
        const sample = await t.scrape()
        this.failing.delete(t.name)
        return sample
      } catch (err) {
        if (!this.failing.has(t.name)) this.o.log?.(`metrics-server: failed to scrape node ${t.name}: ${err instanceof Error ? err.message : String(err)}`)
        this.failing.add(t.name)
        return undefined
      }
    }))
    this.storage.store(samples.filter(s => s !== undefined))
  }
}
