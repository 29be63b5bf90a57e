// The library's front door (ARCHITECTURE.md, "Library"): a whole k3s-like cluster in this
// process — store, API server (HTTPS only if asked), controllers and one kubelet per node —
// with a real or virtual clock and `settle()` so tests never sleep.
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../api/object.ts'
import type { ResourceInfo } from '../api/resources.ts'
import type { KeyValue } from '../store/backend.ts'
import { filterEvents, type EventFilter } from './event-filter.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from '../client/client.ts'
import { InProcessClient } from '../client/in-process.ts'
import { ProfileRegistry } from '../runtime/profiles/index.ts'
import { parseDuration, RealClock, VirtualClock, type Clock } from '../util/clock.ts'
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.ts'
import type { ControllerDefinition } from '../controllers/types.ts'
import { replicaSetController } from '../controllers/replicaset/index.ts'
import { resourceQuotaController } from '../controllers/resourcequota/index.ts'
import { pvcProtectionController, pvProtectionController } from '../controllers/volume-protection/index.ts'
import { ephemeralVolumeController } from '../controllers/ephemeral-volume/index.ts'
import type { ResourceKind } from '../controllers/resources.ts'
import { deploymentController } from '../controllers/deployment/index.ts'
import { jobController } from '../controllers/job/index.ts'
import { cronJobController } from '../controllers/cronjob/index.ts'
import { ttlAfterFinishedController } from '../controllers/ttl-after-finished/index.ts'
import { podGarbageCollector } from '../controllers/podgc/index.ts'
import { endpointsController } from '../controllers/endpoints/index.ts'
import { endpointSliceController } from '../controllers/endpointslice/index.ts'
import { daemonSetController } from '../controllers/daemonset/index.ts'
import { statefulSetController } from '../controllers/statefulset/index.ts'
import { MetricsServer } from '../addons/metrics-server/index.ts'
import { horizontalPodAutoscalerController } from '../controllers/horizontal-pod-autoscaler/index.ts'
import { installK3sAddons, k3sAddons } from '../addons/manifests/index.ts'
import { serviceLBController } from '../addons/servicelb/index.ts'
import { localPathProvisioner } from '../addons/local-path/index.ts'
import { traefikIngressStatus } from '../addons/traefik/index.ts'
import { nodeHostsController } from '../addons/coredns/node-hosts.ts'
import { deployController, SCAN_KEY, type DeployController } from '../addons/deploy/index.ts'
import { parseApiVersion } from '../api/resources.ts'
import { K3S_VERSION } from '../api/version.ts'
import { existsSync, statSync } from 'node:fs'
import { NodePool, storedNodeSpecs, type NodeSize, type NodeSpec, type NodeState } from './nodes.ts'
import { nodeAdmin } from './node-admin.ts'
import { streamSource } from './stream-source.ts'
import type { Kubelet } from '../kubelet/kubelet.ts'
import type { Scheduler } from '../scheduler/scheduler.ts'
import type { ProfileOverrides } from '../scheduler/profile.ts'
import { settle, type Quiescence } from './settle.ts'
import { ControlPlaneLeases } from './control-plane-leases.ts'
import { ensureControllerServiceAccounts } from '../controllers/serviceaccount/controller-accounts.ts'
import type { DockerCluster } from '../runtime/docker/docker-cluster.ts'

export interface ClusterOptions {
  name?: string
  /** Nodes of a new cluster; a restart on a data dir brings back the nodes it stored instead. */
  servers?: number
  agents?: number
  /** Size of each node; default this host's CPUs and memory, 110 pods. */
  node?: NodeSize
  /** ':memory:' (default: in-memory SQLite), a SQLite file path, or 'memory' (no SQLite). */
  store?: string
  clock?: 'real' | 'virtual'
  /** 'docker': pods run as real containers through the Docker Engine API (DOCKER_HOST or /var/run/docker.sock). */
  runtime?: 'fake' | 'docker'
  /** Docker runtime: host ports on 127.0.0.1 forwarded to a LoadBalancer port (`-p HOST:PORT@loadbalancer`). */
  loadBalancerPorts?: Array<{ hostPort: number, port: number }>
  seed?: number
  /** k3s --disable names: coredns, servicelb, traefik, local-storage, metrics-server. */
  disable?: string[]
  /** An auto-deploy directory (k3s's server/manifests): every *.yaml, *.yml and *.json file in
   * it is applied at start and again when it changes, tracked by an Addon in kube-system. */
  manifests?: string
  /** Serve the HTTPS API (for kubectl): { port: 0 } picks a free port. Default: none. */
  apiServer?: { port?: number, host?: string } | false
  /** k3s's data dir layout (db/state.db, server/tls, kubeconfig.yaml); overrides `store`. */
  dataDir?: string
  /** Serve the etcd API on this port (0: a free one). Default: none. */
  etcdPort?: number
  /** Extra lifecycle profiles by name (see fixtures/profiles/). */
  profiles?: Record<string, unknown>
  /** The default scheduler's profile: plugins to disable, score weights, plugin args; false = none. */
  scheduler?: ProfileOverrides | false
  /**
   * The kube-system Leases a k3s server keeps (kube-controller-manager, kube-scheduler,
   * k3s-cloud-controller-manager, k3s, apiserver-<hash>), renewed every 2 s (the identity every
   * 10 s). Default: on with the real clock; off with the virtual one, where a fast-forwarded day
   * would spend most of its writes renewing them.
   */
  leaderElection?: boolean
  /** More controllers to run (the garbage collector, namespace and node lifecycle ones always run). */
  controllers?: ControlPlaneOptions['controllers']
  log?: (msg: string) => void
}

/** kube-controller-manager's controllers beyond the core three (names unique: extra ones with
 * the same name are not started twice). */
function workloadControllers (disable: ReadonlySet<string>, served: () => readonly ResourceKind[], log?: (msg: string) => void): ControllerDefinition[] {
  const addons = [
    ...(disable.has('servicelb') ? [] : [serviceLBController()]),
    ...(disable.has('local-storage') ? [] : [localPathProvisioner()]),
    ...(disable.has('traefik') ? [] : [traefikIngressStatus()]),
    ...(disable.has('coredns') ? [] : [nodeHostsController()]),
  ]
  return [...addons, replicaSetController(), deploymentController(), jobController(), cronJobController(), ttlAfterFinishedController(), podGarbageCollector(), endpointsController(), endpointSliceController(), daemonSetController(), statefulSetController(), resourceQuotaController({ served }), pvcProtectionController(), pvProtectionController(), ephemeralVolumeController(), horizontalPodAutoscalerController({ log })]
}

/** The cluster's clock: time, and on a virtual clock `advance()` that settles between timers. */
export interface ClusterClock extends Clock {
  readonly virtual: boolean
  advance(duration: number | string): Promise<void>
}

export type { EventFilter } from './event-filter.ts'

/**
 * k3s's setClusterDNSConfig: kube-system/cluster-dns with the cluster DNS address and domain, for
 * agents, created once by the supervisor (user agent `k3s-supervisor@<node>/…`).
 */
async function clusterDnsConfig (client: InProcessClient, server: string): Promise<void> {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-dns', namespace: 'kube-system' }, data: { clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local' } } as KubeObject
  await client.create(cm, { fieldManager: `k3s-supervisor@${server}` }).catch(err => { if (!isStatusError(err, 409)) throw err })
}

export class Cluster {
  readonly name: string
  readonly client: Client
  readonly clock: ClusterClock
  private readonly cp: ControlPlane
  private readonly pool: NodePool
  private readonly virtual: VirtualClock | undefined
  private readonly docker: DockerCluster | undefined
  private eventRowsAtStop: KeyValue[] | undefined
  private deploy: DeployController | undefined
  private leases: ControlPlaneLeases | undefined
  /** The metrics-server add-on (unless disabled), and how to take its API out of the aggregator. */
  metricsServer: MetricsServer | undefined
  private unregisterMetrics: (() => void) | undefined

  private constructor (cp: ControlPlane, pool: NodePool, virtual: VirtualClock | undefined, docker: DockerCluster | undefined) {
    this.cp = cp
    this.docker = docker
    this.pool = pool
    this.name = cp.name
    this.virtual = virtual
    // The user's client: writes without a field manager are recorded as `k3sim`, as cluster.apply's are.
    this.client = new InProcessClient({ core: cp.core, userAgent: `k3sim/${K3S_VERSION}` })
    const base = cp.clock
    this.clock = {
      virtual: virtual !== undefined,
      now: () => base.now(),
      setTimeout: (fn, ms) => base.setTimeout(fn, ms),
      setInterval: (fn, ms) => base.setInterval(fn, ms),
      advance: async (duration) => {
        if (virtual === undefined) throw new Error('clock.advance() needs a virtual clock: Cluster.start({ clock: \'virtual\' })')
        await this.settle()
        await virtual.advance(parseDuration(duration), () => this.settle())
        await this.settle()
      },
    }
  }

  static async start (options: ClusterOptions = {}): Promise<Cluster> {
    const servers = options.servers ?? 1
    const agents = options.agents ?? 0
    if (!Number.isInteger(servers) || servers < 1) throw new Error(`servers must be an integer >= 1, got ${servers}`)
    if (!Number.isInteger(agents) || agents < 0) throw new Error(`agents must be an integer >= 0, got ${agents}`)
    const virtual = options.clock === 'virtual' ? new VirtualClock() : undefined
    if (options.clock !== undefined && options.clock !== 'virtual' && options.clock !== 'real') throw new Error(`clock must be 'real' or 'virtual', got "${String(options.clock)}"`)
    if (options.runtime !== undefined && options.runtime !== 'fake' && options.runtime !== 'docker') throw new Error(`runtime must be 'fake' or 'docker', got "${String(options.runtime)}"`)
    if (options.runtime === 'docker' && options.clock === 'virtual') throw new Error('the docker runtime runs real containers on real time: use clock \'real\'')
    const clock: Clock = virtual ?? new RealClock()
    const name = options.name ?? 'k3s-default'
    const api = options.apiServer
    const disable = new Set(options.disable ?? [])
    k3sAddons({ disable: [...disable] }) // refuses unknown names before anything starts
    if (options.manifests !== undefined && !(existsSync(options.manifests) && statSync(options.manifests).isDirectory())) {
      throw new Error(`manifests directory "${options.manifests}" does not exist or is not a directory`)
    }
    // The deploy controller asks the API server (once it exists) which kinds are namespaced.
    let core: ControlPlane['core'] | undefined
    const deploy = options.manifests === undefined
      ? undefined
      : deployController({ dir: options.manifests, host: `k3sim-${name}-server-0`, namespaced: (apiVersion, kind) => core === undefined ? undefined : namespacedKind(core, apiVersion, kind) })
    const cp = await startControlPlane({
      name,
      clock,
      seed: options.seed,
      store: options.store ?? ':memory:',
      dataDir: options.dataDir,
      apiPort: api === undefined || api === false ? false : api.port ?? 0,
      host: api === undefined || api === false ? undefined : api.host,
      etcdPort: options.etcdPort ?? false,
      scheduler: options.scheduler,
      publishRootCA: true,
      // A cluster runs k3s's kube-controller-manager: the workload controllers join the core ones.
      controllers: (resources, served) => [...workloadControllers(disable, served, options.log), ...(deploy === undefined ? [] : [deploy]), ...(options.controllers?.(resources, served) ?? [])],
      log: options.log,
    })
    core = cp.core
    const client = new InProcessClient({ core: cp.core })
    const profiles = ProfileRegistry.withFixtures(options.profiles)
    let docker: DockerCluster | undefined
    if (options.runtime === 'docker') {
      const { DockerCluster } = await import('../runtime/docker/docker-cluster.ts')
      try {
        docker = await DockerCluster.connect({ name, client, dataDir: options.dataDir, loadBalancerPorts: options.loadBalancerPorts, log: options.log, now: () => clock.now() })
      } catch (err) {
        deploy?.stop()
        await cp.stop()
        throw err
      }
    }
    const pool = new NodePool({ client, clock, ids: cp.ids, profiles, defaults: options.node ?? {}, log: options.log, newRuntime: docker === undefined ? undefined : node => docker.runtime(node) })
    const cluster = new Cluster(cp, pool, virtual, docker)
    cluster.deploy = deploy
    // From here on a failure stops what has started (timers would keep the process alive).
    try {
      cluster.leases = (options.leaderElection ?? virtual === undefined)
        ? new ControlPlaneLeases({ client, clock, servers: Array.from({ length: servers }, (_, i) => `k3sim-${name}-server-${i}`), scheduler: options.scheduler !== false, uuid: () => cp.ids.uid(), log: options.log })
        : undefined
      await cluster.leases?.start()
      await clusterDnsConfig(client, `k3sim-${name}-server-0`)
      await ensureControllerServiceAccounts(client)
      const kubeletOf = (pod: KubeObject): Kubelet => cluster.pool.get((pod.spec as { nodeName: string }).nodeName).kubelet
      if (!disable.has('metrics-server')) {
        const metrics = new MetricsServer({
          client,
          clock,
          targets: () => [...pool.nodes.values()].map(n => ({ name: n.name, scrape: () => n.kubelet.resourceUsage() })),
          log: options.log,
        })
        cluster.metricsServer = metrics
        cluster.unregisterMetrics = cp.core.aggregator.register(metrics.backend)
        await metrics.start()
      }
      cp.core.logSource = {
        read: (pod, container, opts) => kubeletOf(pod).logs(pod, container, opts),
        follow: (pod, container, _opts, onData, onEnd) => kubeletOf(pod).followLogs(pod, container, onData, onEnd),
      }
      cp.core.streamSource = streamSource(cluster.pool)
      cp.core.nodeProxy = name => cluster.pool.nodes.get(name)?.kubelet
      // Nodes register together; their order (pod CIDRs, IPs) is fixed when each is added. A
      // restart (a data dir with Node objects) brings back exactly the stored nodes, with their
      // index and size, as k3s nodes re-register after a reboot: `servers`/`agents` only shape a
      // new cluster, and nodes added or removed later stay so.
      const stored = await storedNodeSpecs(client)
      const specs: NodeSpec[] = stored.length > 0
        ? stored
        : [
            ...Array.from({ length: servers }, (_, i) => ({ name: `k3sim-${name}-server-${i}`, role: 'server' as const })),
            ...Array.from({ length: agents }, (_, i) => ({ name: `k3sim-${name}-agent-${i}`, role: 'agent' as const })),
          ]
      await Promise.all(specs.map(spec => pool.add(spec)))
      // As a k3s server applies server/manifests: coredns, local-path, metrics-server, traefik.
      await installK3sAddons(client, { disable: [...disable], clock: cp.clock, host: `k3sim-${name}-server-0`, onError: (file, err) => options.log?.(`deploy: failed to apply ${file}: ${err instanceof Error ? err.message : String(err)}`) })
      // Then the user's manifests, as k3s's deploy controller applies the rest of that directory.
      if (deploy !== undefined) cp.controllers.controller(deploy.name).ctx.enqueue(SCAN_KEY)
      await cluster.settle()
      cp.api?.setExtension(nodeAdmin(cluster))
    } catch (err) {
      await cluster.stop().catch(() => {})
      throw err
    }
    return cluster
  }

  /** Resolves when no controller, kubelet or store has work left (and no virtual timer is due). */
  settle (options: { maxTurns?: number, maxWaitMs?: number } = {}): Promise<void> {
    return settle(this.quiescence, this.virtual, options)
  }

  /** Create or update every document, like `kubectl apply --server-side --force-conflicts`. */
  async apply (yamlText: string): Promise<KubeObject[]> {
    const out: KubeObject[] = []
    for (const doc of parseAllDocuments(yamlText)) {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`)
      const obj = doc.toJS() as KubeObject | null
      if (obj === null) continue
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || obj.metadata?.name === undefined) {
        throw new Error('each document needs apiVersion, kind and metadata.name')
      }
      const namespaced = namespacedKind(this.cp.core, obj.apiVersion, obj.kind)
      if (namespaced === undefined) throw new Error(`no resource for kind "${obj.kind}" in version "${obj.apiVersion}"`)
      const namespace = obj.metadata.namespace ?? (namespaced ? 'default' : undefined)
      if (namespace !== undefined) obj.metadata.namespace = namespace
      out.push(await this.client.patch(obj.apiVersion, obj.kind, namespace, obj.metadata.name, obj, { type: 'apply', fieldManager: 'k3sim', force: true }))
    }
    return out
  }

  /**
   * The Events stored now (core/v1), filtered, in the order they were last written; after
   * `stop()`, those stored when it stopped. Read from the store when asked (no cache of every
   * Event: a 10,000-pod cluster writes ~40,000, and decoding each one as it was written cost a
   * third of an Event write and 33 MB); a row the filter rules out is not even decoded. The
   * objects are frozen (shared with the API server's readers): copy one to change it.
   */
  events (filter: EventFilter = {}): KubeObject[] {
    const storage = this.cp.core.ctx.storage
    const rows = this.eventRowsAtStop ?? storage.rowsNow(this.eventInfo(), filter.namespace)
    return filterEvents(rows, filter, kv => storage.decodeAside(kv))
  }

  private eventInfo (): ResourceInfo {
    return this.cp.core.index.byGroupVersionKind('', 'v1', 'Event')!
  }

  async addNode (spec: Partial<NodeSpec> & { name: string }): Promise<void> {
    await this.pool.add({ role: 'agent', ...spec })
    await this.settle()
  }

  /** The node loses power: heartbeats and pod work stop (Kubernetes notices after its grace period). */
  async stopNode (name: string): Promise<void> { this.pool.stop(name); await this.settle() }

  async startNode (name: string): Promise<void> { await this.pool.start(name); await this.settle() }

  /** Stop the node and delete its Node object. */
  async removeNode (name: string): Promise<void> {
    await this.pool.remove(name)
    await this.client.delete('v1', 'Node', undefined, name).catch(err => { if (!isStatusError(err, 404)) throw err })
    await this.settle()
  }

  nodeNames (): string[] { return [...this.pool.nodes.keys()] }

  /** Every node with its role and whether its kubelet runs (`k3sim node list`). */
  nodes (): NodeState[] {
    return [...this.pool.nodes.values()].map(n => ({ name: n.name, role: n.role, running: n.running }))
  }

  /** The scheduler, for `explain(pod)`: per-node filter results and scores of its last attempt. */
  get scheduler (): { explain: Scheduler['explain'] } {
    const s = this.cp.scheduler
    if (s === undefined) throw new Error('this cluster runs no scheduler (scheduler: false)')
    return { explain: pod => s.explain(pod) }
  }

  /** The HTTPS API's URL and the etcd API's address, when served. */
  get endpoints (): { api?: string, etcd?: string } {
    return { api: this.cp.api?.url, etcd: this.cp.etcd === undefined ? undefined : `${this.cp.etcd.host}:${this.cp.etcd.port}` }
  }

  /** Admin kubeconfig YAML (needs `apiServer` in the options to be reachable). */
  kubeconfig (): string {
    if (this.cp.api === undefined) throw new Error('this cluster serves no HTTPS API: start it with apiServer: { port: 0 } to use kubectl')
    return this.cp.kubeconfig()
  }

  async stop (): Promise<void> {
    // What events() answers from now on (its rows only: decoded if asked).
    if (this.eventRowsAtStop === undefined) {
      try { this.eventRowsAtStop = this.cp.core.ctx.storage.rowsNow(this.eventInfo(), undefined) } catch { this.eventRowsAtStop = [] }
    }
    this.deploy?.stop()
    await this.leases?.stop()
    this.metricsServer?.stop()
    this.unregisterMetrics?.()
    await this.pool.closeAll()
    await this.docker?.close()
    await this.cp.stop()
  }

  private readonly quiescence: Quiescence = {
    anyBusy: () => this.cp.core.busy() || this.cp.controllers.busy() || this.cp.scheduler?.busy() === true || this.pool.anyKubeletBusy || this.metricsServer?.busy() === true,
    busyNames: () => [
      ...(this.cp.core.busy() ? ['apiserver'] : []),
      ...(this.cp.controllers.busy() ? ['controllers'] : []),
      ...(this.cp.scheduler?.busy() === true ? ['scheduler'] : []),
      ...(this.metricsServer?.busy() === true ? ['metrics-server'] : []),
      ...[...this.pool.nodes.values()].filter(n => n.kubelet.busy()).map(n => `kubelet ${n.name}`),
    ],
  }
}

/** Whether the API server serves `kind` of `apiVersion` as namespaced (undefined: not served). */
function namespacedKind (core: ControlPlane['core'], apiVersion: string, kind: string): boolean | undefined {
  const { group, version } = parseApiVersion(apiVersion)
  return core.index.byGroupVersionKind(group, version, kind)?.namespaced
}
