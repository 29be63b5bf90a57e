// Upstream's GraphBuilder.processGraphChanges: every informer event of every watched kind
// updates the owner graph and yields the keys to work on. This is the one place where an event
// handler does more than enqueue: the graph is the GC's own cache, as upstream keeps it.
import type { KubeObject, OwnerReference } from '../../api/object.ts'
import type { InformerEvent } from '../types.ts'
import { FOREGROUND, identityOf, ORPHAN, type GraphNode, type OwnerGraph } from './graph.ts'
import { itemKey } from './items.ts'

export class GraphBuilder {
  readonly graph: OwnerGraph

  constructor (graph: OwnerGraph) { this.graph = graph }

  /** Apply one informer event; returns the workqueue keys it makes due. */
  process (event: InformerEvent): string[] {
    if (event.obj.metadata.uid === undefined) return []
    const keys = new Set<string>()
    if (event.type === 'delete') this.removed(event.obj, keys)
    else this.observed(event.obj, event.old, keys)
    return [...keys]
  }

  private observed (obj: KubeObject, old: KubeObject | undefined, keys: Set<string>): void {
    const { graph } = this
    const id = identityOf(obj)
    const refs: readonly OwnerReference[] = obj.metadata.ownerReferences ?? []
    const node = graph.ensure(id.uid)
    const before = node.owners
    const added = refs.filter(r => !before.some(b => b.uid === r.uid))
    const removed = before.filter(b => !refs.some(r => r.uid === b.uid))
    const unblocked = before.filter(b => b.blockOwnerDeletion === true && refs.some(r => r.uid === b.uid && r.blockOwnerDeletion !== true))
    node.identity = id
    node.owners = [...refs]
    graph.link(node, added)
    // An owner not observed (yet), or observed in another namespace, may be absent: verify the
    // dependent's owners (upstream enqueues the virtual owner node for the same check).
    if (added.some(r => this.unverified(r, id.namespace))) keys.add(itemKey('delete', id))
    // A dependent leaving, or no longer blocking, may let a foreground deletion finish.
    for (const owner of graph.unlink(node, removed)) this.recheckOwner(owner, keys)
    for (const ref of unblocked) this.recheckOwner(graph.get(ref.uid), keys)

    const finalizers = obj.metadata.finalizers ?? []
    const deleting = obj.metadata.deletionTimestamp !== undefined
    const wasDeletingDependents = node.deletingDependents
    node.beingDeleted = deleting
    node.deletingDependents = deleting && finalizers.includes(FOREGROUND)
    // startsWaitingForDependentsOrphaned: Orphan propagation asked for.
    if (deleting && finalizers.includes(ORPHAN) && !orphaning(old)) keys.add(itemKey('orphan', id))
    // startsWaitingForDependentsDeleted: Foreground propagation asked for; the owner itself is
    // queued too, so that with no blocking dependents its finalizer goes at once.
    if (node.deletingDependents && !wasDeletingDependents) {
      for (const dep of graph.dependentsOf(node)) keys.add(itemKey('delete', dep.identity!))
      keys.add(itemKey('delete', id))
    }
  }

  private removed (obj: KubeObject, keys: Set<string>): void {
    const node = this.graph.get(obj.metadata.uid!)
    if (node === undefined || node.identity === undefined) return
    // Every dependent has lost an owner: the attempt-to-delete check decides each one's fate.
    for (const dep of node.dependents) if (dep.identity !== undefined) keys.add(itemKey('delete', dep.identity))
    for (const owner of this.graph.remove(node)) this.recheckOwner(owner, keys)
  }

  private unverified (ref: OwnerReference, namespace: string | undefined): boolean {
    const owner = this.graph.get(ref.uid)?.identity
    return owner === undefined || (owner.namespace !== undefined && owner.namespace !== namespace)
  }

  private recheckOwner (owner: GraphNode | undefined, keys: Set<string>): void {
    if (owner?.deletingDependents === true && owner.identity !== undefined) keys.add(itemKey('delete', owner.identity))
  }
}

function orphaning (obj: KubeObject | undefined): boolean {
  return obj?.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).includes(ORPHAN)
}
