// The control plane of one k3sim server: the store, its etcd API, the API server over HTTPS,
// the PKI and the admin kubeconfig. Controllers, scheduler and kubelets join in later issues.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ApiServerCore, SYSTEM_USER } from '../apiserver/core.ts'
import { startApiListener, type ApiListener } from '../apiserver/https.ts'
import type { UserInfo } from '../apiserver/request.ts'
import { startEtcdServer, type EtcdServer } from '../etcd/server.ts'
import type { Backend } from '../store/backend.ts'
import { Compactor } from '../store/compactor.ts'
import { holdIdleMemoryRelease } from '../util/idle-memory.ts'
import { openBackend } from '../store/open.ts'
import { SqliteBackend } from '../store/sqlite/sqlite-backend.ts'
import type { ControllerDefinition } from '../controllers/types.ts'
import { RealClock, type Clock } from '../util/clock.ts'
import { Ids } from '../util/random.ts'
import { generatePki, loadOrCreatePki, pkiDir, type ClusterPki } from './certificates.ts'
import { selfSignedCa } from './self-signed-ca.ts'
import { InProcessClient } from '../client/in-process.ts'
import { ControllerRunner } from '../controllers/runner.ts'
import { garbageCollector } from '../controllers/garbage-collector/index.ts'
import { namespaceController } from '../controllers/namespace/index.ts'
import { nodeLifecycleController } from '../controllers/node-lifecycle/index.ts'
import { servedResources } from '../controllers/resources.ts'
import { rootCACertPublisher, serviceAccountController } from '../controllers/serviceaccount/index.ts'
import { clusterRoleAggregationController } from '../controllers/clusterrole-aggregation/index.ts'
import { apiServiceAvailabilityController } from '../controllers/apiservice-availability/index.ts'
import { csrSigningController, type CsrSigner } from '../controllers/csr-signing/index.ts'
import { Scheduler } from '../scheduler/scheduler.ts'
import { buildProfile, profileConfig, type ProfileOverrides } from '../scheduler/profile.ts'
import { kubeconfigYaml } from './kubeconfig.ts'

export interface ControlPlaneOptions {
  /** Cluster name, for kubeconfig names (`k3sim-<name>`). */
  name?: string
  /** Data directory (k3s layout: db/state.db, server/tls, server/token). Absent: all in memory. */
  dataDir?: string
  host?: string
  /** API port; 0 = a free one; false = no HTTPS listener. */
  apiPort?: number | false
  /** etcd API port; 0 = a free one; false = none. */
  etcdPort?: number | false
  clock?: Clock
  seed?: number
  /** The store: a SQLite file path, ':memory:' (default without dataDir), or 'memory' (no SQLite). */
  store?: string
  /** Publish the cluster CA as ConfigMap kube-root-ca.crt in every namespace (pods mount it). */
  publishRootCA?: boolean
  /** The default scheduler's profile changes; false = no scheduler. */
  scheduler?: ProfileOverrides | false
  /**
   * Controllers to run besides the garbage collector and the namespace controller: given the kinds
   * served at start, and a function answering the kinds served now (CRDs come and go).
   */
  controllers?: (resources: ReturnType<typeof servedResources>, served: () => ReturnType<typeof servedResources>) => ControllerDefinition[]
  log?: (msg: string) => void
}

function uniqueByName (list: ControllerDefinition[]): ControllerDefinition[] {
  const seen = new Set<string>()
  return list.filter(c => !seen.has(c.name) && seen.add(c.name) !== undefined)
}

export interface ControlPlane {
  name: string
  backend: Backend
  core: ApiServerCore
  api?: ApiListener
  etcd?: EtcdServer
  /** Absent for an in-memory cluster without an HTTPS API. */
  pki?: ClusterPki
  /** The admin's bearer token. */
  token: string
  ids: Ids
  clock: Clock
  controllers: ControllerRunner
  scheduler?: Scheduler
  kubeconfig(): string
  stop(): Promise<void>
}

function loadOrCreateToken (dataDir: string | undefined): string {
  if (dataDir === undefined) return randomBytes(24).toString('hex')
  const file = join(dataDir, 'server', 'token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(24).toString('hex')
  mkdirSync(join(dataDir, 'server'), { recursive: true, mode: 0o700 })
  writeFileSync(file, token + '\n', { mode: 0o600 })
  return token
}

export async function startControlPlane (options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const name = options.name ?? 'k3s-default'
  const clock = options.clock ?? new RealClock()
  const host = options.host ?? '127.0.0.1'
  const backend = options.store === undefined || options.dataDir !== undefined
    ? await openBackend({ dataDir: options.dataDir, clock })
    : options.store === 'memory'
      ? await openBackend({ kind: 'memory', clock })
      : await SqliteBackend.open({ path: options.store, clock })
  const compactor = new Compactor({ backend, clock, onError: err => options.log?.(`compaction failed: ${String(err)}`) })
  const ids = new Ids({ seed: options.seed })
  const core = new ApiServerCore({ backend, clock, ids, serviceAccountKeyFile: options.dataDir === undefined ? undefined : join(pkiDir(options.dataDir), 'service.key'), log: options.log })
  await core.bootstrap()
  core.startLoops()
  // The controllers that make deletion work as in Kubernetes (more join with the controllers issue).
  const client = new InProcessClient({ core })
  // The PKI costs ~70 ms to generate: a library cluster without an HTTPS API does without it,
  // and makes only a CA for the kube-root-ca.crt ConfigMaps its pods mount (~1 ms).
  const pki = options.dataDir !== undefined
    ? await loadOrCreatePki(pkiDir(options.dataDir))
    : options.apiPort === false ? undefined : await generatePki()
  // extension-apiserver-authentication: a cluster without the full PKI publishes CAs of its own
  // (~1 ms each), as it does for kube-root-ca.crt.
  await core.publishAuthenticationTrust((pki?.clientCa ?? selfSignedCa('k3s-client-ca')).cert, (pki?.requestHeaderCa ?? selfSignedCa('k3s-request-header-ca')).cert)
  const resources = servedResources(core.index.all())
  const nodeLifecycle = nodeLifecycleController()
  const controllers = new ControllerRunner({
    client,
    clock,
    // The controllers every control plane runs; the workload controllers (replicaset, deployment,
    // job, cronjob, endpoints, endpointslice, serviceaccount: src/controllers/) are opt-in through
    // `controllers` until the controllers issue makes them the default.
    // Extra controllers; one already running (by default or listed before) is not started twice.
    controllers: uniqueByName([
      // The `default` ServiceAccount per namespace: pods are refused until theirs exists.
      garbageCollector({ resources }), namespaceController({ resources }), nodeLifecycle, serviceAccountController(), clusterRoleAggregationController(),
      apiServiceAvailabilityController({ serves: (group, version) => core.aggregator.serves(group, version) }),
      // k3s's --cluster-signing-* files: the client CA for client certificates, the server CA for serving ones.
      // Certificates are checked by the real TLS stack, so their validity is on the wall clock, as the PKI's.
      ...(pki === undefined ? [] : [csrSigningController(clusterSigner(pki, () => Date.now()))]),
      ...(options.publishRootCA === true ? [rootCACertPublisher({ rootCA: (pki?.serverCa ?? selfSignedCa('k3s-server-ca')).cert })] : []),
      ...(options.controllers?.(resources, () => servedResources(core.index.all())) ?? []),
    ]),
    onError: e => options.log?.(`${e.controller}: ${e.key ?? ''}: ${String(e.error)}`),
  })
  await controllers.start()
  const scheduler = options.scheduler === false ? undefined : new Scheduler({ client, clock, ids, profile: listers => buildProfile(profileConfig(options.scheduler === false ? {} : options.scheduler ?? {}), { clock, listers }), explainAnnotation: options.scheduler?.explainAnnotation === true, log: options.log, host: `k3sim-${name}-server-0` })
  await scheduler?.start()
  // ComponentStatus probes: the controller manager always runs here; the scheduler may be off.
  core.ctx.components = () => ({ 'controller-manager': true, scheduler: scheduler !== undefined, 'etcd-0': true })
  const token = loadOrCreateToken(options.dataDir)
  const admin: UserInfo = { name: 'system:admin', groups: ['system:masters'] }
  const tokens = new Map<string, UserInfo>([[token, admin]])
  const api = options.apiPort === false || pki === undefined ? undefined : await startApiListener({ core, pki, tokens, host, port: options.apiPort ?? 6443, log: options.log })
  // The etcd API has no authentication (k3s keeps kine on a unix socket, and its etcd wants
  // client certificates): it listens on loopback whatever address the API is bound to.
  const etcdHost = host.includes(':') ? '::1' : '127.0.0.1'
  const etcd = options.etcdPort === false ? undefined : await startEtcdServer({ backend, host: etcdHost, port: options.etcdPort ?? 2379, clock })
  const kubeconfig = (): string => {
    if (pki === undefined) throw new Error('this cluster has no HTTPS API, so no kubeconfig')
    return kubeconfigYaml({ name, server: api?.url ?? 'https://127.0.0.1:6443', pki })
  }
  if (options.dataDir !== undefined) writeFileSync(join(options.dataDir, 'kubeconfig.yaml'), kubeconfig(), { mode: 0o600 })
  // A burst's heap high-water mark goes back to the OS once the process is at rest (util/idle-memory).
  const letGoOfIdleRelease = holdIdleMemoryRelease(() => { core.ctx.storage.trim(); backend.trim?.() })
  return {
    name,
    backend,
    core,
    api,
    etcd,
    pki,
    token,
    ids,
    clock,
    controllers,
    scheduler,
    kubeconfig,
    async stop () {
      letGoOfIdleRelease()
      compactor.stop()
      scheduler?.stop()
      await controllers.stop()
      nodeLifecycle.stop()
      core.stop()
      await api?.close()
      await etcd?.close()
      await backend.close()
    },
  }
}

export { SYSTEM_USER }

/** The cluster's CAs as csrsigning's signers (the x509 code loads on the first signature). */
function clusterSigner (pki: ClusterPki, now: () => number): CsrSigner {
  const caFor = (signerName: string): ClusterPki['clientCa'] | undefined => {
    switch (signerName) {
      case 'kubernetes.io/kube-apiserver-client':
      case 'kubernetes.io/kube-apiserver-client-kubelet': return pki.clientCa
      case 'kubernetes.io/kubelet-serving':
      case 'kubernetes.io/legacy-unknown': return pki.serverCa
    }
    return undefined
  }
  return {
    signs: signerName => caFor(signerName) !== undefined,
    async sign (signerName, request) {
      const { signCsr } = await import('./csr-signer.ts')
      return await signCsr(caFor(signerName)!, { ...request, now: now() })
    },
  }
}
