// kube-apiserver's autoregister and CRD registration controllers: a local APIService (no
// spec.service) for every group/version the server itself serves — `v1.`, `v1.apps`,
// `v2.autoscaling`, … with kube-apiserver's priorities (pkg/controlplane/apiserver/aggregator.go),
// and one per CRD group/version (priority 1000/100) while a CRD serves it; each Available (Local)
// from the start, as `kubectl get apiservices` shows on k3s. As upstream: built-in ones are
// labelled automanaged `onstart` and reconciled at start only (created, spec reset, removed when
// no longer served); CRD ones `true` and kept so all along (recreated when deleted). Reconciles
// run one at a time.
import { jsonEqual, rfc3339, type KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import { isStatusError } from '../errors.ts'
import type { Served } from '../handlers/index.ts'
import type { ObjectStorage } from '../registry/storage.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { ApiRequest } from '../request.ts'
import { apiServiceName } from './index.ts'

export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged'

/** kube-apiserver's apiVersionPriorities (group, then version within the group), v1.32. */
const PRIORITIES: Record<string, [number, number]> = {
  'v1.': [18000, 1],
  'v1.apiregistration.k8s.io': [18000, 15],
  'v1.apps': [17800, 15],
  'v1.events.k8s.io': [17750, 15],
  'v1.authentication.k8s.io': [17700, 15],
  'v1.authorization.k8s.io': [17600, 15],
  'v1.autoscaling': [17500, 15],
  'v2.autoscaling': [17500, 30],
  'v1.batch': [17400, 15],
  'v1.certificates.k8s.io': [17300, 15],
  'v1.networking.k8s.io': [17200, 15],
  'v1.policy': [17100, 15],
  'v1.rbac.authorization.k8s.io': [17000, 15],
  'v1.storage.k8s.io': [16800, 15],
  'v1.apiextensions.k8s.io': [16700, 15],
  'v1.admissionregistration.k8s.io': [16700, 15],
  'v1.scheduling.k8s.io': [16600, 15],
  'v1.coordination.k8s.io': [16500, 15],
  'v1.node.k8s.io': [16300, 15],
  'v1.discovery.k8s.io': [16200, 15],
  'v1.flowcontrol.apiserver.k8s.io': [16100, 21],
}

/** CRDs: low priority, versions sorted as any other group's. */
const CRD_PRIORITY: [number, number] = [1000, 100]

export interface LocalApiService { name: string, group: string, version: string, priority: [number, number], automanaged: 'onstart' | 'true' }

/** The local APIServices the resource table calls for. */
export function localApiServices (index: ResourceIndex): LocalApiService[] {
  const out: LocalApiService[] = []
  for (const [group, versions] of index.groups()) {
    for (const version of versions) {
      const resources = index.inGroupVersion(group, version)
      if (resources.length === 0 || resources.every(r => r.aggregated === true)) continue
      const name = apiServiceName(group, version)
      const custom = resources.every(r => r.custom === true)
      const priority = custom ? CRD_PRIORITY : PRIORITIES[name]
      if (priority === undefined) continue // upstream skips a group/version it has no priority for
      out.push({ name, group, version, priority, automanaged: custom ? 'true' : 'onstart' })
    }
  }
  return out
}

export function apiServiceObject (s: LocalApiService): KubeObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: s.name, labels: { [AUTOMANAGED_LABEL]: s.automanaged } },
    spec: { group: s.group, version: s.version, groupPriorityMinimum: s.priority[0], versionPriority: s.priority[1] },
  } as KubeObject
}

const LOCAL_AVAILABLE = { type: 'Available', status: 'True', reason: 'Local', message: 'Local APIServices are always available' }

export interface AutoRegisterOptions {
  index: ResourceIndex
  storage: ObjectStorage
  /** A request as the API server's own (system:apiserver). */
  serve(req: Omit<ApiRequest, 'user'>): Promise<Served>
  now(): number
  log(msg: string): void
}

export class AutoRegister {
  private readonly o: AutoRegisterOptions
  private chain: Promise<void> = Promise.resolve()

  constructor (options: AutoRegisterOptions) { this.o = options }

  /** At bootstrap: every local APIService. */
  start (): Promise<void> { return this.queue('onstart') }

  /** After a CRD write or an APIService's removal: the CRDs' ones. Never throws (it logs). */
  sync (): Promise<void> {
    return this.queue('true').catch(err => { this.o.log(`autoregister: ${err instanceof Error ? err.message : String(err)}`) })
  }

  private queue (phase: 'onstart' | 'true'): Promise<void> {
    const next = this.chain.then(() => this.reconcile(phase))
    this.chain = next.catch(() => {})
    return next
  }

  private async reconcile (phase: 'onstart' | 'true'): Promise<void> {
    const info = this.o.index.lookup('apiregistration.k8s.io', 'v1', 'apiservices')!
    const wanted = localApiServices(this.o.index).filter(s => phase === 'onstart' || s.automanaged === 'true')
    const existing = new Map((await this.o.storage.list(info, undefined)).items.map(o => [o.metadata.name!, o]))
    // Concurrent writes share the store's commits.
    await Promise.all(wanted.map(async s => {
      const current = existing.get(s.name)
      const object = apiServiceObject(s)
      if (current === undefined) return this.create(info, object)
      if (current.metadata.labels?.[AUTOMANAGED_LABEL] === undefined) return // the user's own: left alone
      if (!jsonEqual(current.spec, object.spec)) await this.o.serve({ verb: 'update', info, name: s.name, body: { ...current, spec: object.spec }, options: { fieldManager: 'k3s' } })
    }))
    const served = new Set(localApiServices(this.o.index).map(s => s.name))
    await Promise.all([...existing.values()].map(async o => {
      const label = o.metadata.labels?.[AUTOMANAGED_LABEL]
      if (served.has(o.metadata.name!) || label === undefined || (phase === 'true' && label !== 'true')) return
      await this.o.serve({ verb: 'delete', info, name: o.metadata.name, options: {} }).catch(err => { if (!isStatusError(err, 404)) throw err })
    }))
  }

  /** Created, then Available at once (as the availability controller would find it). */
  private async create (info: ResourceInfo, object: KubeObject): Promise<void> {
    let created: KubeObject
    try {
      created = (await this.o.serve({ verb: 'create', info, body: object, options: { fieldManager: 'k3s' } }) as { body: KubeObject }).body
    } catch (err) {
      if (isStatusError(err, 409)) return
      throw err
    }
    const status = { conditions: [{ ...LOCAL_AVAILABLE, lastTransitionTime: rfc3339(this.o.now()) }] }
    // The availability controller may have written it meanwhile: then it is done already.
    await this.o.serve({ verb: 'update', info, name: object.metadata.name, subresource: 'status', body: { ...created, status }, options: { fieldManager: 'k3s' } })
      .catch(err => { if (!isStatusError(err, 409)) throw err })
  }
}
