// The garbage collector (kube-controller-manager's garbage-collector-controller): ownerReferences
// across every watched kind. Background: a dependent whose owners are all gone is deleted.
// Orphan: the owner's `orphan` finalizer is honoured by un-owning its dependents. Foreground:
// the owner's `foregroundDeletion` finalizer stays until its blocking dependents are gone.
// Depends only on the Client; the kinds to watch are an option (see servedResources()).
import { groupResource, type ResourceKind } from '../resources.ts'
import type { ControllerDefinition, EventRule, InformerSpec } from '../types.ts'
import { attemptToDelete, type GcSyncContext } from './attempt-to-delete.ts'
import { attemptToOrphan } from './attempt-to-orphan.ts'
import { OwnerGraph } from './graph.ts'
import { GraphBuilder } from './graph-builder.ts'
import { parseItemKey } from './items.ts'

/** Upstream's DefaultIgnoredResources: events are never owners nor collected. */
export const GC_IGNORED_RESOURCES: readonly string[] = ['events', 'events.events.k8s.io']

export interface GarbageCollectorOptions {
  /** Kinds to watch, e.g. `servedResources(core.index.all())`. */
  resources: readonly ResourceKind[]
  /** `resource.group` names left alone; default GC_IGNORED_RESOURCES. */
  ignoredResources?: readonly string[]
  /** Upstream's --concurrent-gc-syncs (default 20). */
  workers?: number
}

export interface GarbageCollector extends ControllerDefinition {
  /** The owner → dependents graph, for inspection. */
  readonly graph: OwnerGraph
  /** Feeds the graph; the event table calls it (tests may too). */
  readonly builder: GraphBuilder
}

export function garbageCollector (options: GarbageCollectorOptions): GarbageCollector {
  const ignored = new Set(options.ignoredResources ?? GC_IGNORED_RESOURCES)
  const resources = options.resources.filter(r => !ignored.has(groupResource(r)))
  const graph = new OwnerGraph()
  const builder = new GraphBuilder(graph)
  const informers: Record<string, InformerSpec> = {}
  const events: EventRule[] = []
  for (const r of resources) {
    const name = groupResource(r)
    informers[name] = { apiVersion: r.apiVersion, kind: r.kind }
    events.push({ informer: name, on: ['add', 'update', 'delete'], keys: event => builder.process(event) })
  }
  return {
    name: 'garbage-collector',
    workers: options.workers ?? 20,
    informers,
    events,
    graph,
    builder,
    async sync (key, ctx) {
      const { action, identity } = parseItemKey(key)
      const gc: GcSyncContext = { client: ctx.client, graph, resources, enqueue: k => ctx.enqueue(k) }
      if (action === 'orphan') await attemptToOrphan(gc, identity)
      else await attemptToDelete(gc, identity)
    },
  }
}

export { itemKey, parseItemKey } from './items.ts'
export { OwnerGraph } from './graph.ts'
