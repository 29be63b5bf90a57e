// Shared fixtures for controller tests: an API server core over the memory backend with a
// virtual clock, an InProcessClient, small object builders and a settle() for the runner.
import type { KubeObject, OwnerReference } from '../../src/api/object.ts'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import type { Client } from '../../src/client/client.ts'
import { servedResources, type ResourceKind } from '../../src/controllers/resources.ts'
import type { ControllerRunner } from '../../src/controllers/runner.ts'
import type { ControllerContext } from '../../src/controllers/types.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'

export interface Api { core: ApiServerCore, client: InProcessClient, clock: VirtualClock, resources: ResourceKind[] }

export async function startApi (): Promise<Api> {
  const clock = new VirtualClock()
  const core = new ApiServerCore({ backend: new MemoryBackend(), clock, ids: new Ids({ seed: 1 }) })
  await core.bootstrap()
  return { core, client: new InProcessClient({ core }), clock, resources: servedResources(core.index.all()) }
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

/** A context for calling a controller's sync directly: enqueued keys are recorded. */
export function directContext (client: Client, clock: VirtualClock): ControllerContext & { enqueued: string[] } {
  const enqueued: string[] = []
  return {
    client,
    clock,
    enqueued,
    lister () { throw new Error('no listers in a direct sync test') },
    enqueue: key => { enqueued.push(key) },
    enqueueAfter: key => { enqueued.push(key) },
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
