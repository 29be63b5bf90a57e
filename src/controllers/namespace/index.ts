// The namespace controller (upstream's NamespaceController + namespacedResourcesDeleter): once a
// namespace has a deletionTimestamp it is marked Terminating (so no new content is admitted),
// all its content is deleted, and when none is left the `kubernetes` finalizer is removed from
// spec.finalizers through namespaces/<name>/finalize; the API server then deletes the namespace.
// Upstream polls for remaining content (requeue after an estimate); here the DELETED event of
// any object in a terminating namespace requeues the namespace, so no timer is needed.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import { groupResource, type ResourceKind } from '../resources.ts'
import type { ControllerContext, ControllerDefinition, EventRule, InformerSpec } from '../types.ts'
import { namespaceConditions, type NamespaceCondition } from './conditions.ts'
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
  const informers: Record<string, InformerSpec> = { namespaces: { apiVersion: 'v1', kind: 'Namespace' } }
  const events: EventRule[] = [{
    informer: 'namespaces',
    on: ['add', 'update'],
    keys: ({ obj }) => (obj.metadata.deletionTimestamp !== undefined ? [obj.metadata.name!] : []),
  }]
  for (const r of content) {
    informers[groupResource(r)] = { apiVersion: r.apiVersion, kind: r.kind }
    events.push({ informer: groupResource(r), on: ['delete'], keys: ({ obj }, ctx) => terminating(ctx, obj.metadata.namespace) })
  }
  return {
    name: 'namespace',
    workers: options.workers ?? 10,
    informers,
    events,
    sync: (name, ctx) => syncNamespace(ctx, content, name),
  }
}

function terminating (ctx: ControllerContext, namespace: string | undefined): string[] {
  if (namespace === undefined) return []
  return ctx.lister('namespaces').get(namespace)?.metadata.deletionTimestamp !== undefined ? [namespace] : []
}

/** Upstream's namespacedResourcesDeleter.Delete over the namespaced `resources`; a 404 on the namespace ends it. */
export async function syncNamespace (ctx: ControllerContext, resources: readonly ResourceKind[], name: string): Promise<void> {
  const { client } = ctx
  const content = resources.filter(r => r.namespaced)
  let ns = await client.get<Namespace>('v1', 'Namespace', undefined, name)
  if (ns.metadata.deletionTimestamp === undefined) return
  if (ns.status?.phase !== 'Terminating') {
    ns = await client.update<Namespace>({ ...ns, status: { ...ns.status, phase: 'Terminating' } }, { subresource: 'status', fieldManager: 'namespace-controller' })
  }
  const finalizers = ns.spec?.finalizers ?? []
  if (!finalizers.includes(FINALIZER)) return // already finalized by us
  const totals = await deleteAllContent(client, content, name)
  const conditions = namespaceConditions(ns.status?.conditions ?? [], totals, rfc3339(ctx.clock.now()))
  if (JSON.stringify(conditions) !== JSON.stringify(ns.status?.conditions ?? [])) {
    ns = await client.update<Namespace>({ ...ns, status: { ...ns.status, conditions } }, { subresource: 'status', fieldManager: 'namespace-controller' })
  }
  if (totals.errors.length > 0) throw new Error(`namespace ${name}: ${totals.errors.join('; ')}`)
  if (totals.remaining.size > 0) return // each remaining object's DELETED event requeues us
  const spec = { ...ns.spec, finalizers: finalizers.filter(f => f !== FINALIZER) }
  await client.update<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec }, { subresource: 'finalize', fieldManager: 'namespace-controller' })
}
