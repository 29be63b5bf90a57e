// kube-aggregator's part of the apiserver, for APIs k3sim serves in-process: a backend (the
// metrics-server add-on's metrics.k8s.io) registers its group/version and resources; requests to
// them are authorized as any other and handed to the backend when the APIService that names it
// exists and is Available, else 503 as the aggregator's proxy answers
// (`the server is currently unable to handle the request`). Discovery lists a backend's resources
// while it is registered. An APIService pointing at any other Service cannot be proxied to: the
// availability controller marks it unavailable (controllers/apiservice-availability).
import type { ResourceInfo } from '../../api/resources.ts'
import type { Backend } from '../../store/backend.ts'
import * as ops from '../../store/ops.ts'
import { StatusError } from '../errors.ts'
import type { Served } from '../handlers/index.ts'
import { MirroredMap } from '../registry/store-mirror.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { ApiRequest } from '../request.ts'

/** What discovery reads of the resource table. */
export type DiscoverableIndex = Pick<ResourceIndex, 'groups' | 'inGroupVersion'>

export interface AggregatedBackend {
  group: string
  version: string
  resources: ResourceInfo[]
  serve(req: ApiRequest): Promise<Served>
}

/** What the aggregator reads of an APIService: whether its Available condition is True. */
interface ApiServiceEntry { local: boolean, available: boolean }

/**
 * The aggregator's proxy answers an unavailable APIService with http.Error's plain text
 * `service unavailable` (client-go words it `the server is currently unable to handle the
 * request`); in-process callers see this Status.
 */
export class ServiceUnavailableError extends StatusError {
  readonly plainText = 'service unavailable\n'
  constructor () { super(503, 'ServiceUnavailable', 'the server is currently unable to handle the request') }
}

export const APISERVICES_PREFIX = '/registry/apiregistration.k8s.io/apiservices/'

/** An APIService's name: `<version>.<group>` (`v1.` for the core group). */
export const apiServiceName = (group: string, version: string): string => `${version}.${group}`

export class Aggregator {
  private readonly index: ResourceIndex
  private readonly backends = new Map<string, AggregatedBackend>()
  private readonly removedListeners: Array<(name: string) => void> = []
  private readonly apiServices = new MirroredMap<ApiServiceEntry>({
    prefix: APISERVICES_PREFIX,
    read: readEntry,
    onRemove: name => { for (const fn of this.removedListeners) fn(name) },
  })

  /** Told when an APIService is deleted (autoregister puts back the ones it keeps). */
  onApiServiceRemoved (fn: (name: string) => void): void { this.removedListeners.push(fn) }

  private backend: Backend | undefined

  constructor (index: ResourceIndex) { this.index = index }

  async start (backend: Backend): Promise<void> {
    this.backend = backend
    await this.apiServices.start(backend)
  }

  stop (): void { this.apiServices.stop() }

  /** Serve a group/version in-process from now on; the returned function unregisters it. */
  register (backend: AggregatedBackend): () => void {
    const name = apiServiceName(backend.group, backend.version)
    if (this.backends.has(name)) throw new Error(`an aggregated API ${name} is registered already`)
    this.backends.set(name, backend)
    for (const r of backend.resources) this.index.add({ ...r, aggregated: true })
    return () => {
      if (this.backends.get(name) !== backend) return
      this.backends.delete(name)
      for (const r of backend.resources) this.index.remove(r.group, r.resource)
    }
  }

  /** Whether an in-process backend serves this group/version (the availability controller's discovery check). */
  serves (group: string, version: string): boolean { return this.backends.has(apiServiceName(group, version)) }

  /**
   * Whether a registered group/version's APIService is there but not Available: its discovery is
   * Stale (client-go drops it: `kubectl top` says `Metrics API not available`) and its requests
   * get the proxy's 503.
   */
  unavailable (group: string, version: string): boolean {
    const name = apiServiceName(group, version)
    if (!this.backends.has(name)) return false
    const entry = this.apiServices.get(name)
    return entry !== undefined && !entry.local && !entry.available
  }

  /**
   * The resource table as discovery shows it: a registered group/version without its APIService
   * (deleted, or not applied yet) is not there, as the aggregator serves only what APIServices name.
   */
  discoverable (): DiscoverableIndex {
    const hidden = (group: string, version: string): boolean => {
      const name = apiServiceName(group, version)
      return this.backends.has(name) && this.apiServices.known() && this.apiServices.get(name) === undefined
    }
    return {
      groups: () => {
        const out = new Map<string, string[]>()
        for (const [g, vs] of this.index.groups()) {
          const shown = vs.filter(v => !hidden(g, v))
          if (shown.length > 0) out.set(g, shown)
        }
        return out
      },
      inGroupVersion: (group, version) => hidden(group, version) ? [] : this.index.inGroupVersion(group, version),
    }
  }

  async serve (req: ApiRequest): Promise<Served> {
    const name = apiServiceName(req.info.group, req.info.version)
    const backend = this.backends.get(name)
    if (backend === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    const entry = await this.entry(name)
    if (entry === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    if (!entry.local && !entry.available) throw new ServiceUnavailableError()
    return backend.serve(req)
  }

  /**
   * The APIService's entry: from the mirror, or — while the mirror is not following the store
   * (its watch ended) — read from the store, as the other mirrors' owners do. (Restarting the
   * mirror here made a new watch per request until one of them had loaded.)
   */
  private async entry (name: string): Promise<ApiServiceEntry | undefined> {
    if (this.apiServices.known()) return this.apiServices.get(name)
    const { kv } = await ops.get(this.backend!, APISERVICES_PREFIX + name)
    if (kv === undefined) return undefined
    try {
      return readEntry(JSON.parse(new TextDecoder().decode(kv.value)))
    } catch {
      return undefined // not an object's JSON (written through etcd): not there
    }
  }
}

function readEntry (obj: unknown): ApiServiceEntry {
  const o = obj as { spec?: { service?: unknown }, status?: { conditions?: Array<{ type?: string, status?: string }> } }
  return { local: o.spec?.service == null, available: (o.status?.conditions ?? []).some(c => c.type === 'Available' && c.status === 'True') }
}
