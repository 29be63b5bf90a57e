// Upstream's isDangling + classifyReferences: look each owner up live (never from a cache that
// may lag behind a fresh owner) and sort the references into solid, dangling and waiting.
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject, OwnerReference } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'
import { findKind, type ResourceKind } from '../resources.ts'
import { FOREGROUND } from './graph.ts'

export interface Classified {
  /** The owner exists and is not waiting for its dependents to go. */
  solid: OwnerReference[]
  /** The owner is absent, or a different object (another uid) has its name. */
  dangling: OwnerReference[]
  /** The owner is being deleted in the foreground (deletionTimestamp + foregroundDeletion). */
  waiting: OwnerReference[]
}

export async function classifyReferences (client: Client, resources: readonly ResourceKind[], item: KubeObject, refs: readonly OwnerReference[]): Promise<Classified> {
  const out: Classified = { solid: [], dangling: [], waiting: [] }
  for (const ref of refs) {
    const owner = await lookUpOwner(client, resources, item, ref)
    if (owner === 'unresolvable') out.solid.push(ref)
    else if (owner === undefined || owner.metadata.uid !== ref.uid) out.dangling.push(ref)
    else if (owner.metadata.deletionTimestamp !== undefined && (owner.metadata.finalizers ?? []).includes(FOREGROUND)) out.waiting.push(ref)
    else out.solid.push(ref)
  }
  return out
}

/**
 * The live owner, undefined when absent, or 'unresolvable' when the reference cannot be looked
 * up: a kind this GC does not know (upstream retries its RESTMapping error forever, so never
 * collects), or a namespaced owner of a cluster-scoped object (upstream: never collected).
 * A namespaced owner is looked up in the dependent's namespace: one elsewhere is not its owner.
 */
async function lookUpOwner (client: Client, resources: readonly ResourceKind[], item: KubeObject, ref: OwnerReference): Promise<KubeObject | undefined | 'unresolvable'> {
  const kind = findKind(resources, ref.apiVersion, ref.kind)
  if (kind === undefined) return 'unresolvable'
  const namespace = item.metadata.namespace || undefined
  if (kind.namespaced && namespace === undefined) return 'unresolvable'
  try {
    return await client.get(kind.apiVersion, kind.kind, kind.namespaced ? namespace : undefined, ref.name)
  } catch (err) {
    if (isStatusError(err, 404)) return undefined
    throw err
  }
}
