// The namespace controller (upstream's NamespaceController + namespacedResourcesDeleter): once a
// namespace has a deletionTimestamp it is marked Terminating (so no new content is admitted),
// all its content is deleted, and when none is left the `kubernetes` finalizer is removed from
// spec.finalizers through namespaces/<name>/finalize; the API server then deletes the namespace.
// Upstream polls for remaining content (requeue after an estimate); here the kinds with content
// left are watched in that namespace until it is finalized (content-watch.ts), and a DELETED
// event requeues the namespace, so no timer is needed.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { ResourceKind } from '../resources.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'
import { namespaceConditions, type NamespaceCondition } from './conditions.ts'
import { ContentWatches } from './content-watch.ts'
import { deleteAllContent } from './deleter.ts'

/** The finalizer token of the namespace controller (v1.FinalizerKubernetes). */
export const FINALIZER = 'kubernetes'

export interface NamespaceControllerOptions {
  /** Kinds to delete from a terminating namespace (the namespaced ones are used). */
  resources: readonly ResourceKind[]
  /** Upstream's --concurrent-namespace-syncs (default 10). */
  workers?: number
}

interface NamespaceStatus { phase?: string, conditions?: NamespaceCondition[] }
type Namespace = KubeObject & { spec?: { finalizers?: string[] }, status?: NamespaceStatus }

export function namespaceController (options: NamespaceControllerOptions): ControllerDefinition {
  const content = options.resources.filter(r => r.namespaced)
  let watches: ContentWatches | undefined
  return {
    name: 'namespace',
    workers: options.workers ?? 10,
    informers: { namespaces: { apiVersion: 'v1', kind: 'Namespace' } },
    events: [{
      informer: 'namespaces',
      on: ['add', 'update'],
      keys: ({ obj }) => (obj.metadata.deletionTimestamp !== undefined ? [obj.metadata.name!] : []),
    }],
    sync: (name, ctx) => syncNamespace(ctx, content, name, watches ??= new ContentWatches(ctx.client)),
    stop: () => watches?.stop(),
  }
}

/**
 * Upstream's namespacedResourcesDeleter.Delete over the namespaced `resources`; a 404 on the
 * namespace ends it. With `watches`, the kinds left requeue the namespace when something goes.
 */
export async function syncNamespace (ctx: ControllerContext, resources: readonly ResourceKind[], name: string, watches?: ContentWatches): Promise<void> {
  try {
    await deleteContent(ctx, resources, name, watches)
  } catch (err) {
    if (isStatusError(err, 404)) watches?.close(name)
    throw err
  }
}

async function deleteContent (ctx: ControllerContext, resources: readonly ResourceKind[], name: string, watches: ContentWatches | undefined): Promise<void> {
  const { client } = ctx
  const content = resources.filter(r => r.namespaced)
  let ns = await client.get<Namespace>('v1', 'Namespace', undefined, name)
  if (ns.metadata.deletionTimestamp === undefined) { watches?.close(name); return }
  if (ns.status?.phase !== 'Terminating') {
    ns = await client.update<Namespace>({ ...ns, status: { ...ns.status, phase: 'Terminating' } }, { subresource: 'status' })
  }
  const finalizers = ns.spec?.finalizers ?? []
  if (!finalizers.includes(FINALIZER)) { watches?.close(name); return } // already finalized by us
  const totals = await deleteAllContent(client, content, name)
  await watches?.follow(name, totals.left, () => ctx.enqueue(name))
  const conditions = namespaceConditions(ns.status?.conditions ?? [], totals, rfc3339(ctx.clock.now()))
  if (JSON.stringify(conditions) !== JSON.stringify(ns.status?.conditions ?? [])) {
    ns = await client.update<Namespace>({ ...ns, status: { ...ns.status, conditions } }, { subresource: 'status' })
  }
  if (totals.errors.length > 0) throw new Error(`namespace ${name}: ${totals.errors.join('; ')}`)
  if (totals.remaining.size > 0) return // a deletion among what is left requeues us
  const spec = { ...ns.spec, finalizers: finalizers.filter(f => f !== FINALIZER) }
  await client.update<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec }, { subresource: 'finalize' })
}
