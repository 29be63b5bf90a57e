// Shared fixtures for controller tests: an API server core over the memory backend with a
// virtual clock, an InProcessClient, small object builders and a settle() for the runner.
import type { KubeObject, OwnerReference } from '../../src/api/object.ts'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchOptions, WatchOptions, WatchStream, WriteOptions } from '../../src/client/client.ts'
import { servedResources, type ResourceKind } from '../../src/controllers/resources.ts'
import type { ControllerRunner } from '../../src/controllers/runner.ts'
import type { ControllerContext, ControllerDefinition, Lister } from '../../src/controllers/types.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { EventRecorder } from '../../src/client/events.ts'
import { createDefaultServiceAccounts } from '../support/service-accounts.ts'

export interface Api { core: ApiServerCore, client: InProcessClient, clock: VirtualClock, resources: ResourceKind[] }

export async function startApi (): Promise<Api> {
  const clock = new VirtualClock()
  const core = new ApiServerCore({ backend: new MemoryBackend(), clock, ids: new Ids({ seed: 1 }) })
  await core.bootstrap()
  const client = new InProcessClient({ core })
  await createDefaultServiceAccounts(client)
  return { core, client, clock, resources: servedResources(core.index.all()) }
}

/** Wait for the runner to go idle, advancing the virtual clock while retries are pending. */
export async function settle (runner: ControllerRunner, clock: VirtualClock): Promise<void> {
  await runner.idle()
  for (let i = 0; i < 50 && runner.pendingRetries() > 0; i++) {
    await clock.advance('1s', () => runner.idle())
    await runner.idle()
  }
  if (runner.pendingRetries() > 0) throw new Error('controllers still retrying after 50 virtual seconds')
}

/** A lister over fixed objects, as an informer whose cache holds exactly these. */
export function staticLister (objs: readonly KubeObject[]): Lister {
  const key = (o: KubeObject): string => (o.metadata.namespace === undefined ? o.metadata.name! : `${o.metadata.namespace}/${o.metadata.name}`)
  const controller = (o: KubeObject): string | undefined => o.metadata.ownerReferences?.find(r => r.controller === true)?.uid
  return {
    list: () => objs,
    get: k => objs.find(o => key(o) === k),
    inNamespace: ns => objs.filter(o => (o.metadata.namespace ?? '') === ns),
    controlledBy: uid => objs.filter(o => controller(o) === uid),
    orphans: ns => objs.filter(o => (o.metadata.namespace ?? '') === ns && controller(o) === undefined),
    hasSynced: true,
  }
}

/**
 * A context for calling a controller's sync directly: enqueued keys are recorded; `listers`
 * (informer name → cached objects) answer ctx.lister(), any other informer name throws.
 */
export function directContext (client: Client, clock: VirtualClock, options: { listers?: Record<string, readonly KubeObject[]> } = {}): ControllerContext & { enqueued: string[] } {
  const enqueued: string[] = []
  const listers = options.listers ?? {}
  const recorders = new Map<string, EventRecorder>()
  return {
    client,
    clock,
    enqueued,
    recorder (component, host) {
      let r = recorders.get(`${component}\u0000${host ?? ''}`)
      if (r === undefined) recorders.set(`${component}\u0000${host ?? ''}`, r = new EventRecorder({ client, clock, source: { component, host } }))
      return r
    },
    lister (name) {
      const objs = listers[name]
      if (objs === undefined) throw new Error(`no lister "${name}" given to this direct sync test`)
      return staticLister(objs)
    },
    enqueue: key => { enqueued.push(key) },
    enqueueAfter: key => { enqueued.push(key) },
  }
}

/** What the controller's informers would hold once synced: each informer's objects, listed now. */
export async function informerSnapshot (client: Client, definition: ControllerDefinition): Promise<Record<string, KubeObject[]>> {
  const out: Record<string, KubeObject[]> = {}
  for (const [name, spec] of Object.entries(definition.informers)) {
    const { apiVersion, kind, ...options } = spec
    // As the Informer does: list items carry no apiVersion/kind of their own.
    out[name] = (await client.list(apiVersion, kind, options)).items.map(item => ({ apiVersion, kind, ...item }))
  }
  return out
}

/** One write a RecordingClient passed on: `"create Pod default/web-0"` and what was sent. */
export interface RecordedWrite {
  /** `<verb> <Kind> <namespace>/<name>[ <subresource>]`; a generateName create shows the prefix: `default/agent-`. */
  call: string
  /** The object sent (create, update), the patch (patch), or the delete options (delete). */
  sent: any
}

/**
 * The sample-controller fake client's recorded actions, over a real Client: every create,
 * update, patch and delete is passed on and recorded; Events go to `events` instead
 * (`"<reason> <message>"`) so writes read as the controller's own actions.
 */
export class RecordingClient implements Client {
  readonly writes: RecordedWrite[] = []
  readonly events: string[] = []
  private readonly inner: Client

  constructor (inner: Client) { this.inner = inner }

  /** The calls in order, e.g. `['create Pod default/web-0', 'update StatefulSet default/web status']`. */
  get calls (): string[] { return this.writes.map(w => w.call) }

  /** The sent objects of the writes whose call matches. */
  sent (call: RegExp | string): any[] {
    return this.writes.filter(w => (typeof call === 'string' ? w.call === call : call.test(w.call))).map(w => w.sent)
  }

  get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: { subresource?: string }): Promise<T> {
    return this.inner.get<T>(apiVersion, kind, namespace, name, options)
  }

  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, options?: ListOptions): Promise<ObjectList<T>> {
    return this.inner.list<T>(apiVersion, kind, options)
  }

  watch (apiVersion: string, kind: string, options?: WatchOptions): Promise<WatchStream> { return this.inner.watch(apiVersion, kind, options) }

  post (apiVersion: string, kind: string, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown> {
    this.record('post', kind, namespace, `${name} ${subresource}`, body)
    return this.inner.post(apiVersion, kind, namespace, name, subresource, body)
  }

  async create<T extends KubeObject = KubeObject>(obj: T, options?: WriteOptions): Promise<T> {
    if (obj.kind === 'Event') {
      this.events.push(`${String((obj as any).reason)} ${String((obj as any).message)}`)
      return await this.inner.create(obj, options)
    }
    this.record('create', obj.kind!, obj.metadata.namespace, obj.metadata.name ?? obj.metadata.generateName!, obj, options?.subresource)
    return await this.inner.create(obj, options)
  }

  async update<T extends KubeObject = KubeObject>(obj: T, options?: WriteOptions): Promise<T> {
    this.record('update', obj.kind!, obj.metadata.namespace, obj.metadata.name!, obj, options?.subresource)
    return await this.inner.update(obj, options)
  }

  async patch<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown, options?: PatchOptions): Promise<T> {
    // An EventRecorder bumping a repeated event's count is an event, not a write.
    if (kind !== 'Event') this.record('patch', kind, namespace, name, patch, options?.subresource)
    return await this.inner.patch<T>(apiVersion, kind, namespace, name, patch, options)
  }

  async delete (apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<KubeObject> {
    this.record('delete', kind, namespace, name, options)
    return await this.inner.delete(apiVersion, kind, namespace, name, options)
  }

  private record (verb: string, kind: string, namespace: string | undefined, name: string, sent: unknown, subresource?: string): void {
    const where = namespace === undefined ? name : `${namespace}/${name}`
    this.writes.push({ call: `${verb} ${kind} ${where}${subresource === undefined ? '' : ` ${subresource}`}`, sent: structuredClone(sent) })
  }
}

export function ownerRef (owner: KubeObject, opts: { block?: boolean, controller?: boolean } = {}): OwnerReference {
  const ref: OwnerReference = { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid! }
  if (opts.controller !== undefined) ref.controller = opts.controller
  if (opts.block !== undefined) ref.blockOwnerDeletion = opts.block
  return ref
}

export function configMap (name: string, namespace = 'default', meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...meta }, data: { k: 'v' } }
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }

export function deployment (name: string, namespace = 'default'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } }
}

export function replicaSet (name: string, owner: KubeObject, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace, ownerReferences: [ownerRef(owner, { controller: true, block: true })] },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template },
  }
}

export function pod (name: string, owner: KubeObject, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: owner.metadata.namespace ?? 'default', labels: { app: 'web' }, ownerReferences: [ownerRef(owner, { controller: true, block: true })], ...meta },
    spec: template.spec,
  }
}

/** The live object, or undefined after a 404. */
export async function tryGet (client: Client, obj: KubeObject): Promise<KubeObject | undefined> {
  try {
    return await client.get(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!)
  } catch (err) {
    if (isStatusError(err, 404)) return undefined
    throw err
  }
}

/**
 * One sync of a fresh controller against a RecordingClient, its listers filled from the API as
 * synced informers would be; returns the recorded writes and events and the keys it enqueued.
 */
export async function syncOnce (api: Api, controller: () => ControllerDefinition, key: string): Promise<RecordingClient & { enqueued: string[] }> {
  const definition = controller()
  const client = new RecordingClient(api.client)
  const ctx = directContext(client, api.clock, { listers: await informerSnapshot(api.client, definition) })
  await definition.sync(key, ctx)
  return Object.assign(client, { enqueued: ctx.enqueued })
}

/** Write a pod's status as a kubelet would: `Running` and Ready by default. */
export async function setPodStatus (client: Client, pod: KubeObject, o: { phase?: string, ready?: boolean, readySince?: number } = {}): Promise<KubeObject> {
  const live = await client.get('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!)
  const ready = o.ready ?? (o.phase ?? 'Running') === 'Running'
  const since = new Date(o.readySince ?? 0).toISOString().replace(/\.\d+Z$/, 'Z')
  const status = { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since }] }
  return await client.update({ ...live, status }, { subresource: 'status' })
}
