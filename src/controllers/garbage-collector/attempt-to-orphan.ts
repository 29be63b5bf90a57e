// Upstream's attemptToOrphanWorker: an owner deleted with propagationPolicy Orphan carries the
// `orphan` finalizer; remove the owner from every dependent's ownerReferences, then remove the
// finalizer, which lets the API server delete the owner.
import { isStatusError } from '../../apiserver/errors.ts'
import type { GcSyncContext } from './attempt-to-delete.ts'
import { ORPHAN, type Identity } from './graph.ts'
import { describe } from './items.ts'
import { removeFinalizer, removeOwnerReferences } from './writes.ts'

export async function attemptToOrphan (gc: GcSyncContext, id: Identity): Promise<void> {
  const { client, graph } = gc
  const owner = await client.get(id.apiVersion, id.kind, id.namespace, id.name)
  if (owner.metadata.uid !== id.uid) return
  if (owner.metadata.deletionTimestamp === undefined || !(owner.metadata.finalizers ?? []).includes(ORPHAN)) return
  const node = graph.get(id.uid)
  const dependents = node === undefined ? [] : graph.dependentsOf(node)
  const only = new Set([id.uid])
  // Every dependent is tried even when one fails (upstream patches them in parallel).
  const results = await Promise.allSettled(dependents.map(d => removeOwnerReferences(client, d.identity!, only)))
  const failed = results.flatMap((r, i) => (r.status === 'rejected' && !isStatusError(r.reason, 404) ? [`${describe(dependents[i].identity!)}: ${String(r.reason)}`] : []))
  if (failed.length > 0) throw new Error(`failed to orphan dependents of ${describe(id)}: ${failed.join('; ')}`)
  await removeFinalizer(client, id, ORPHAN)
}
