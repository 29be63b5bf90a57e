// The API server without its HTTP face: the resource table, storage, strategies and handlers,
// plus what k3s's apiserver creates at start (namespaces, the `kubernetes` Service).
import type { KubeObject } from '../api/object.ts'
import type { ResourceInfo } from '../api/resources.ts'
import type { Backend } from '../store/backend.ts'
import { RealClock, type Clock } from '../util/clock.ts'
import { Ids } from '../util/random.ts'
import { isStatusError, StatusError } from './errors.ts'
import type { ApiContext } from './handlers/context.ts'
import { AUTHENTICATION_TRUST, authenticationTrust, LEGACY_TOKEN_TRACKING, legacyTokenTracking } from './system-configmaps.ts'
import { serve, type Served } from './handlers/index.ts'
import { ResourceIndex } from './resource-index.ts'
import { ObjectStorage } from './registry/storage.ts'
import type { ApiRequest, UserInfo } from './request.ts'
import { strategies } from './strategies/index.ts'
import { CrdRegistry } from './crd/registry.ts'
import { NamespaceCache } from './registry/namespace-cache.ts'
import { ServiceAccountTokens } from './service-account-tokens.ts'
import { MirroredMap } from './registry/store-mirror.ts'
import { PriorityClassCache } from './registry/priority-classes.ts'
import { PodsByNode } from './registry/pods-by-node.ts'
import { RbacAuthorizer, isPrivileged } from './rbac/authorizer.ts'
import { requestAttributes } from './rbac/attributes.ts'
import { ensureBootstrapPolicy } from './rbac/bootstrap.ts'
import { Admission } from './admission/index.ts'
import { K3S_VERSION } from '../api/version.ts'
import { SYSTEM_PRIORITY_CLASSES } from '../api/priority-classes.ts'
import { KubernetesServiceController, kubernetesService } from './kubernetes-service.ts'
import { Aggregator } from './aggregator/index.ts'
import { AutoRegister } from './aggregator/autoregister.ts'
import type { StreamSource } from './streaming/options.ts'
import type { NodeProxySource } from './proxy/node-proxy.ts'
import { FlowControlConfig } from './flowcontrol/config-controller.ts'
import { RequestMetrics } from './metrics/request-metrics.ts'
import { apiserverMetrics } from './metrics/index.ts'
import type { ApiWatch } from './handlers/watch.ts'

export const SYSTEM_USER: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] }

/** Where pod logs come from: the kubelet of the pod's node (wired by the cluster). */
export interface LogSource {
  read(pod: KubeObject, container: string, options: Record<string, string>): Promise<string>
  /** Stream new output after what `read` returned; `onEnd` when the container stops. Returns a stop function. */
  follow(pod: KubeObject, container: string, options: Record<string, string>, onData: (chunk: string) => void, onEnd: () => void): () => void
}

export interface ApiServerCoreOptions {
  backend: Backend
  clock?: Clock
  ids?: Ids
  /** Where the service-account signing key is kept (k3s: server/tls/service.key); none: in memory. */
  serviceAccountKeyFile?: string
  /** Where start-up problems that do not stop the server are reported. */
  log?: (msg: string) => void
}

const EVENT_TTL = 3600
const LEASE_REUSE = 60

export class ApiServerCore {
  readonly index = new ResourceIndex()
  /** What /metrics reports of the requests served, from every client (in-process ones too). */
  readonly requestMetrics = new RequestMetrics()
  readonly clock: Clock
  readonly ctx: ApiContext
  readonly crds: CrdRegistry
  /** In-process aggregated APIs (metrics.k8s.io from the metrics-server add-on). */
  readonly aggregator: Aggregator
  private readonly autoregister: AutoRegister
  logSource: LogSource | undefined
  /** Where exec, attach and port-forward go: the kubelets (wired by the cluster). */
  streamSource: StreamSource | undefined
  /** Where nodes/proxy goes: the kubelets' HTTPS servers (wired by the cluster). */
  nodeProxy: NodeProxySource | undefined
  private readonly kubernetesService: KubernetesServiceController
  /** API Priority and Fairness: the bootstrap objects and the FlowSchemas' Dangling condition. */
  private readonly flowControl: FlowControlConfig
  private readonly log: (msg: string) => void
  private eventLeaseState: { id: number, from: number } | undefined

  constructor (options: ApiServerCoreOptions) {
    this.clock = options.clock ?? new RealClock()
    this.log = options.log ?? (() => {})
    const storage = new ObjectStorage(options.backend)
    this.crds = new CrdRegistry({ index: this.index, storage })
    this.aggregator = new Aggregator(this.index)
    this.autoregister = new AutoRegister({
      index: this.index,
      storage,
      serve: req => this.serve({ ...req, user: SYSTEM_USER }),
      now: () => this.clock.now(),
      log: msg => this.log(msg),
    })
    this.aggregator.onApiServiceRemoved(() => { void this.autoregister.sync() })
    this.kubernetesService = new KubernetesServiceController({ clock: this.clock, ensure: () => this.ensureKubernetesService(), log: msg => this.log(msg) })
    this.flowControl = new FlowControlConfig({
      storage,
      flowSchemas: this.index.lookup('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas')!,
      priorityLevels: this.index.lookup('flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations')!,
      clock: this.clock,
      serve: req => this.serve({ ...req, user: SYSTEM_USER }),
      log: msg => this.log(msg),
    })
    const namespaces = new NamespaceCache()
    this.ctx = {
      storage,
      index: this.index,
      strategyFor: strategies(this.index, info => this.crds.strategy(info)),
      clock: this.clock,
      ids: options.ids ?? new Ids(),
      eventLease: () => this.eventLease(),
      namespaces,
      priorityClasses: new PriorityClassCache(),
      podsByNode: new PodsByNode(storage),
      tokens: new ServiceAccountTokens({ keyFile: options.serviceAccountKeyFile }),
      serviceAccounts: new MirroredMap({ prefix: '/registry/serviceaccounts/', read: sa => (sa as { metadata: { uid: string } }).metadata.uid }),
      scalePaths: info => this.crds.version(info)?.scale,
      authorizer: new RbacAuthorizer(options.backend),
      admission: new Admission({
        writeQuotaStatus: quota => this.writeQuotaStatus(quota),
        cachedNamespaceLabels: name => namespaces.labels(name),
        getNamespace: name => storage.tryGet(this.index.lookup('', 'v1', 'namespaces')!, undefined, name),
        listPods: async namespace => (await storage.list(this.index.lookup('', 'v1', 'pods')!, namespace)).items,
        listStorageClasses: async () => (await storage.list(this.index.lookup('storage.k8s.io', 'v1', 'storageclasses')!, undefined)).items,
        now: () => this.clock.now(),
      }),
      components: () => ({ 'controller-manager': true, scheduler: true, 'etcd-0': true }),
    }
  }

  /** The quota admission's charge, written as kube-apiserver's loopback client writes it (k3s is one binary: manager `k3s`). */
  private async writeQuotaStatus (quota: KubeObject): Promise<void> {
    const info = this.index.lookup('', 'v1', 'resourcequotas')!
    await serve(this.ctx, { verb: 'update', info, namespace: quota.metadata.namespace, name: quota.metadata.name, subresource: 'status', body: quota, options: {}, user: SYSTEM_USER, userAgent: `k3s/${K3S_VERSION}` })
  }

  async serve (req: ApiRequest): Promise<Served> {
    await this.authorize(req)
    // kube-aggregator's proxy counts nothing of what it forwards (metrics.k8s.io: kubectl top).
    if (req.info.aggregated === true) return this.aggregator.serve(req)
    const progress = this.requestMetrics.start(req)
    let served: Served
    try {
      served = await this.serveAuthorized(req)
    } catch (err) {
      progress.end(isStatusError(err) ? err.code : 500)
      throw err
    }
    if ('watch' in served) return { watch: endingWith(served.watch, () => progress.end(200)) }
    progress.end(served.status)
    return served
  }

  /** kube-apiserver's /metrics text. */
  metrics (): Promise<string> {
    return apiserverMetrics({ requests: this.requestMetrics, backend: this.ctx.storage.backend, resources: () => this.index.all() })
  }

  private async serveAuthorized (req: ApiRequest): Promise<Served> {
    if (req.info.aggregated === true) return this.aggregator.serve(req)
    const isCrd = req.info.group === 'apiextensions.k8s.io' && req.info.resource === 'customresourcedefinitions'
    if (!isCrd || req.verb === 'get' || req.verb === 'list' || req.verb === 'watch' || req.options.dryRun === true) return serve(this.ctx, req)
    return this.serveCrdWrite(req)
  }

  /** The request as the authorizer sees it (unless the HTTP layer authorized it already). */
  private async authorize (req: ApiRequest): Promise<void> {
    if (req.authorized === true || isPrivileged(req.user)) return
    await this.ctx.authorizer.require(requestAttributes(req))
  }

  /** CRD writes change what is served, at once: the next request can use the new resource. */
  private async serveCrdWrite (req: ApiRequest): Promise<Served> {
    if (req.verb === 'delete' || req.verb === 'deletecollection') {
      const targets = req.verb === 'delete'
        ? [await this.ctx.storage.get(req.info, undefined, req.name!)]
        : (await this.ctx.storage.list(req.info, undefined)).items
      const served = await serve(this.ctx, req)
      for (const crd of targets) {
        if (await this.ctx.storage.tryGet(req.info, undefined, crd.metadata.name!) === undefined) await this.crds.remove(crd)
      }
      await this.autoregister.sync()
      return served
    }
    const served = await serve(this.ctx, req)
    if ('body' in served) this.crds.sync(served.body as KubeObject)
    if (req.options.dryRun !== true) await this.autoregister.sync()
    return served
  }

  /** Events live one hour; like the upstream apiserver, one lease serves a minute's worth. */
  private async eventLease (): Promise<number> {
    const now = this.clock.now()
    const s = this.eventLeaseState
    if (s !== undefined && now - s.from < LEASE_REUSE * 1000) return s.id
    const { id } = await this.ctx.storage.backend.leases.grant({ ttl: EVENT_TTL + LEASE_REUSE })
    this.eventLeaseState = { id, from: now }
    return id
  }

  /**
   * pods/log: the text so far, and with `follow=true` followLogs streams the rest. Undefined for a
   * pod not bound to a node yet: upstream's LogLocation has no location for it, so the API server
   * streams nothing and answers 204 No Content (kubectl logs prints nothing and succeeds).
   */
  async logs (req: ApiRequest): Promise<string | undefined> {
    await this.authorize(req)
    const target = await this.logTarget(req)
    if (target === undefined) return undefined
    try {
      return await this.logSource!.read(target.pod, target.container, req.options.log ?? {})
    } catch (err) {
      throw new StatusError(400, 'BadRequest', err instanceof Error ? err.message : String(err))
    }
  }

  async followLogs (req: ApiRequest, onData: (chunk: string) => void, onEnd: () => void): Promise<() => void> {
    await this.authorize(req)
    const target = await this.logTarget(req)
    if (target === undefined) { onEnd(); return () => {} }
    return this.logSource!.follow(target.pod, target.container, req.options.log ?? {}, onData, onEnd)
  }

  /** LogLocation: the pod (404), its container (400s), then its node (none: undefined). */
  private async logTarget (req: ApiRequest): Promise<{ pod: KubeObject, container: string } | undefined> {
    const pod = await this.ctx.storage.get(req.info, req.namespace, req.name!)
    const spec = pod.spec as { nodeName?: string } & Partial<Record<'initContainers' | 'containers' | 'ephemeralContainers', Array<{ name: string }>>>
    const names = (spec.containers ?? []).map(c => c.name)
    // Any container of the pod: init, regular and ephemeral, in VisitContainers' order.
    const all = [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []].map(c => c.name)
    const container = req.options.log?.container ?? pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0]
    if (req.options.log?.container === undefined && names.length > 1 && pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] === undefined) {
      throw new StatusError(400, 'BadRequest', `a container name must be specified for pod ${req.name}, choose one of: [${all.join(' ')}]`)
    }
    if (!all.includes(container!)) throw new StatusError(400, 'BadRequest', `container ${container} is not valid for pod ${req.name}`)
    if (spec.nodeName === undefined || spec.nodeName === '') return undefined
    // Bound to a node whose kubelet does not serve logs (no kubelets in this control plane).
    if (this.logSource === undefined) {
      throw new StatusError(400, 'BadRequest', `container "${container}" in pod "${req.name}" is waiting to start: ContainerCreating`)
    }
    return { pod, container: container! }
  }

  /**
   * Start the API server's own loops (upstream's post-start controllers), once bootstrapped: the
   * `kubernetes` Service is created again within 10 s of cluster time when it goes missing.
   */
  startLoops (): void { this.kubernetesService.start() }

  /** Whether one of the API server's loops is writing (the cluster's settle() waits for it). */
  busy (): boolean { return this.kubernetesService.busy() || this.flowControl.busy() }

  /** Stop background watches and loops (the backend itself is closed by its owner). */
  stop (): void {
    this.kubernetesService.stop()
    this.flowControl.stop()
    this.ctx.namespaces.stop()
    this.ctx.priorityClasses.stop()
    this.ctx.podsByNode.stop()
    this.ctx.serviceAccounts.stop()
    this.ctx.authorizer.stop()
    this.ctx.admission.stop()
    this.aggregator.stop()
  }

  /** OpenAPI schema of a resource, when one is known (CRDs carry theirs). */
  schemaFor (info: ResourceInfo): object | undefined {
    const schema = this.crds.version(info)?.schema
    if (schema === undefined) return undefined
    return { ...schema, 'x-kubernetes-group-version-kind': [{ group: info.group, version: info.version, kind: info.kind }] }
  }

  /** additionalPrinterColumns of a custom resource. */
  printerColumns (info: ResourceInfo): unknown[] | undefined { return this.crds.version(info)?.printerColumns }

  /** What a fresh k3s apiserver has: the four namespaces, the `kubernetes` Service, the system PriorityClasses, the RBAC policy and the APF configuration. */
  async bootstrap (): Promise<void> {
    await this.ctx.namespaces.start(this.ctx.storage.backend)
    await this.ctx.priorityClasses.start(this.ctx.storage.backend)
    await this.ctx.podsByNode.start()
    await this.ctx.serviceAccounts.start(this.ctx.storage.backend)
    await this.ctx.authorizer.start()
    await this.ctx.admission.start(this.ctx.storage.backend)
    await this.aggregator.start(this.ctx.storage.backend)
    await this.crds.load()
    await Promise.all(['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(name =>
      this.ensure(this.index.lookup('', 'v1', 'namespaces')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })))
    await this.ensureKubernetesService()
    const configMaps = this.index.lookup('', 'v1', 'configmaps')!
    const tracking = legacyTokenTracking(await this.ctx.storage.tryGet(configMaps, 'kube-system', LEGACY_TOKEN_TRACKING), this.clock.now())
    if (tracking !== undefined) await this.write(configMaps, tracking)
    // kube-apiserver's post-start hook scheduling/bootstrap-system-priority-classes.
    const priorityClasses = this.index.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')!
    for (const pc of SYSTEM_PRIORITY_CLASSES) {
      await this.ensure(priorityClasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description } as KubeObject)
    }
    await ensureBootstrapPolicy(this, this.log)
    // Post-start hook priority-and-fairness-config-producer, then the config consumer's loop.
    await this.flowControl.ensure()
    await this.flowControl.start(this.ctx.storage.backend)
    await this.autoregister.start()
  }

  /**
   * kube-apiserver's clusterauthenticationtrust controller: extension-apiserver-authentication
   * with these CAs (PEM) merged into what it held, updated when that differs.
   */
  async publishAuthenticationTrust (clientCa: string, requestHeaderCa: string): Promise<void> {
    const info = this.index.lookup('', 'v1', 'configmaps')!
    const existing = await this.ctx.storage.tryGet(info, 'kube-system', AUTHENTICATION_TRUST)
    const desired = authenticationTrust(clientCa, requestHeaderCa, (existing as { data?: Record<string, string> } | undefined)?.data, this.clock.now())
    if (JSON.stringify((existing as { data?: unknown } | undefined)?.data) === JSON.stringify((desired as { data?: unknown }).data)) return
    await this.write(info, existing === undefined ? desired : { ...existing, data: (desired as { data?: unknown }).data } as KubeObject)
  }

  /** Create `obj`, or update it when it carries a resourceVersion (read from the store). */
  private async write (info: ResourceInfo, obj: KubeObject): Promise<void> {
    const verb = obj.metadata.resourceVersion === undefined ? 'create' : 'update'
    await this.serve({ verb, info, namespace: obj.metadata.namespace, name: obj.metadata.name, body: obj, options: { fieldManager: 'k3s' }, user: SYSTEM_USER })
  }

  private ensureKubernetesService (): Promise<void> {
    return this.ensure(this.index.lookup('', 'v1', 'services')!, 'default', kubernetesService())
  }

  /** Create it unless it exists (a restart finds them in the store). */
  private async ensure (info: ResourceInfo, namespace: string | undefined, obj: KubeObject): Promise<void> {
    if (await this.ctx.storage.tryGet(info, namespace, obj.metadata.name!) !== undefined) return
    try {
      await this.serve({ verb: 'create', info, namespace, body: obj, options: { fieldManager: 'k3s' }, user: SYSTEM_USER })
    } catch (err) {
      if (!isStatusError(err, 409)) throw err
    }
  }
}

/** The watch, calling `ended` once when it ends (its events run out, or it is closed). */
function endingWith (watch: ApiWatch, ended: () => void): ApiWatch {
  return {
    next: async () => {
      const batch = await watch.next()
      if (batch === null) ended()
      return batch
    },
    close: () => { watch.close(); ended() },
  }
}
