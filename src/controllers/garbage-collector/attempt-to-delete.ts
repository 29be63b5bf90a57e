// Upstream's attemptToDeleteItem and processDeletingDependentsItem: decide from the live object
// and its live owners whether a dependent is garbage, and finish foreground deletions.
import type { KubeObject } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'
import type { ResourceKind } from '../resources.ts'
import { FOREGROUND, ORPHAN, type GraphNode, type Identity, type OwnerGraph } from './graph.ts'
import { itemKey } from './items.ts'
import { classifyReferences } from './owners.ts'
import { deleteObject, removeFinalizer, removeOwnerReferences, unblockOwnerReferences } from './writes.ts'

export interface GcSyncContext {
  client: Client
  graph: OwnerGraph
  resources: readonly ResourceKind[]
  enqueue(key: string): void
}

/** A 404 on the first read is thrown: the runner ends the key quietly (its DELETED event follows). */
export async function attemptToDelete (gc: GcSyncContext, id: Identity): Promise<void> {
  const { client, graph } = gc
  const latest = await client.get(id.apiVersion, id.kind, id.namespace, id.name)
  if (latest.metadata.uid !== id.uid) return // re-created under the same name: another node
  const node = graph.get(id.uid)
  if (latest.metadata.deletionTimestamp !== undefined) {
    // "Being deleted" is a one-way trip; only a foreground deletion still needs us.
    if ((latest.metadata.finalizers ?? []).includes(FOREGROUND)) await processDeletingDependents(gc, id, node)
    return
  }
  const refs = latest.metadata.ownerReferences ?? []
  if (refs.length === 0) return
  const { solid, dangling, waiting } = await classifyReferences(client, gc.resources, latest, refs)
  if (solid.length > 0) {
    // Kept alive by a solid owner; forget the absent ones, and those waiting for us to go
    // (else they would wait for this dependent forever).
    if (dangling.length === 0 && waiting.length === 0) return
    await removeOwnerReferences(client, id, new Set([...dangling, ...waiting].map(r => r.uid)))
    return
  }
  const dependents = node === undefined ? [] : graph.dependentsOf(node)
  if (waiting.length > 0 && dependents.length > 0) {
    // An owner waits for us and we have dependents: go in the foreground too. A dependent of
    // ours already deleting in the foreground may be waiting on us (a cycle): unblock first.
    let current: KubeObject = latest
    if (dependents.some(d => d.deletingDependents)) current = await unblockOwnerReferences(client, id) ?? latest
    await deleteObject(client, id, current, 'Foreground')
    return
  }
  // No solid owner and nobody waits on us having dependents: collect it, honouring a
  // propagation finalizer it already carries.
  const finalizers = latest.metadata.finalizers ?? []
  const policy = finalizers.includes(ORPHAN) ? 'Orphan' : finalizers.includes(FOREGROUND) ? 'Foreground' : 'Background'
  await deleteObject(client, id, latest, policy)
}

/**
 * An owner deleted in the foreground: while dependents with blockOwnerDeletion remain, make sure
 * each is being collected; once none remain, drop the finalizer so the server deletes the owner.
 */
async function processDeletingDependents (gc: GcSyncContext, id: Identity, node: GraphNode | undefined): Promise<void> {
  if (node === undefined) return // not in the graph yet: its informer event will queue it again
  const blocking = gc.graph.blockingDependentsOf(node)
  if (blocking.length === 0) {
    await removeFinalizer(gc.client, id, FOREGROUND)
    return
  }
  for (const dep of blocking) if (!dep.deletingDependents) gc.enqueue(itemKey('delete', dep.identity!))
}
