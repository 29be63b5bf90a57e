// Upstream's deleteAllContent (namespaced_resources_deleter.go): for every namespaced kind,
// delete each object in the namespace (Background propagation, so the garbage collector takes
// care of what they own), then list again and account for what is still there.
import { isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import type { ResourceKind } from '../resources.ts'
import type { ContentTotals } from './conditions.ts'
import type { RemainingKind } from './content-watch.ts'

/** What the pass found, and the kinds with objects left (with their list's revision). */
export type DeletionPass = ContentTotals & { left: RemainingKind[] }

export async function deleteAllContent (client: Client, kinds: readonly ResourceKind[], namespace: string): Promise<DeletionPass> {
  const totals: DeletionPass = { remaining: new Map(), finalizers: new Map(), errors: [], left: [] }
  for (const kind of kinds) {
    try {
      await deleteKind(client, kind, namespace, totals)
    } catch (err) {
      totals.errors.push(err instanceof Error ? err.message : String(err))
    }
  }
  return totals
}

async function deleteKind (client: Client, kind: ResourceKind, namespace: string, totals: DeletionPass): Promise<void> {
  const { apiVersion } = kind
  const listed = await client.list(apiVersion, kind.kind, { namespace })
  for (const item of listed.items) {
    // Already terminating (a pod's grace period, a finalizer): deleting again changes nothing.
    if (item.metadata.deletionTimestamp !== undefined) continue
    try {
      await client.delete(apiVersion, kind.kind, namespace, item.metadata.name!, { propagationPolicy: 'Background' })
    } catch (err) {
      if (!isStatusError(err, 404)) throw err
    }
  }
  const after = await client.list(apiVersion, kind.kind, { namespace })
  const left = after.items
  if (left.length === 0) return
  totals.left.push({ kind, resourceVersion: after.metadata.resourceVersion })
  // Upstream prints `<resource>.<group>`: `pods.` for the core group.
  totals.remaining.set(`${kind.resource}.${kind.group}`, left.length)
  let unexpected = false
  for (const item of left) {
    const finalizers = item.metadata.finalizers ?? []
    for (const f of finalizers) totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1)
    // Waiting on a finalizer or a pod's grace period is normal; anything else should be gone.
    if (finalizers.length === 0 && item.metadata.deletionTimestamp === undefined) unexpected = true
  }
  if (unexpected) {
    const gvr = `${kind.group}/${apiVersion.slice(apiVersion.indexOf('/') + 1)}, Resource=${kind.resource}`
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvr}`)
  }
}
