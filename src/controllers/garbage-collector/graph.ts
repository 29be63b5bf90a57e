// The garbage collector's owner → dependents graph (upstream's uidToNode), keyed by uid and
// kept up to date from informer events by the GraphBuilder, so a sync never lists everything.
// A node is "virtual" when only referenced as an owner and not (yet) observed itself.
import type { KubeObject, OwnerReference } from '../../api/object.ts'

/** Coordinates of an object, the uid included (a re-created object is another node). */
export interface Identity {
  apiVersion: string
  kind: string
  namespace?: string
  name: string
  uid: string
}

export interface GraphNode {
  uid: string
  /** Undefined while virtual. */
  identity: Identity | undefined
  owners: OwnerReference[]
  dependents: Set<GraphNode>
  /** deletionTimestamp set. */
  beingDeleted: boolean
  /** deletionTimestamp set and the foregroundDeletion finalizer present. */
  deletingDependents: boolean
}

export const ORPHAN = 'orphan'
export const FOREGROUND = 'foregroundDeletion'

export function identityOf (obj: KubeObject): Identity {
  const { namespace, name, uid } = obj.metadata
  return { apiVersion: obj.apiVersion!, kind: obj.kind!, namespace: namespace || undefined, name: name!, uid: uid! }
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>()

  get (uid: string): GraphNode | undefined { return this.nodes.get(uid) }

  get size (): number { return this.nodes.size }

  /** The node for `uid`, created virtual when unknown. */
  ensure (uid: string): GraphNode {
    let node = this.nodes.get(uid)
    if (node === undefined) {
      node = { uid, identity: undefined, owners: [], dependents: new Set(), beingDeleted: false, deletingDependents: false }
      this.nodes.set(uid, node)
    }
    return node
  }

  /** Link `node` under each owner uid in `refs` (virtual owners are created as needed). */
  link (node: GraphNode, refs: readonly OwnerReference[]): void {
    for (const ref of refs) this.ensure(ref.uid).dependents.add(node)
  }

  /** Unlink `node` from each owner uid in `refs`; returns the owners still in the graph. */
  unlink (node: GraphNode, refs: readonly OwnerReference[]): GraphNode[] {
    const left: GraphNode[] = []
    for (const ref of refs) {
      const owner = this.nodes.get(ref.uid)
      if (owner === undefined) continue
      owner.dependents.delete(node)
      if (owner.identity === undefined && owner.dependents.size === 0) this.nodes.delete(owner.uid)
      else left.push(owner)
    }
    return left
  }

  /**
   * Drop a node whose object was deleted; returns its owners still in the graph. Its dependents
   * keep their references to its uid: a later reference to it makes a fresh virtual node.
   */
  remove (node: GraphNode): GraphNode[] {
    const owners = this.unlink(node, node.owners)
    this.nodes.delete(node.uid)
    return owners
  }

  /**
   * Dependents that really belong to `owner`: a namespaced owner only owns dependents in its own
   * namespace (a reference from elsewhere names an absent owner), a cluster-scoped one owns both.
   */
  dependentsOf (owner: GraphNode): GraphNode[] {
    const ns = owner.identity?.namespace
    return [...owner.dependents].filter(d => d.identity !== undefined && (ns === undefined || d.identity.namespace === ns))
  }

  /** Dependents whose reference to `owner` has blockOwnerDeletion: what foreground deletion waits for. */
  blockingDependentsOf (owner: GraphNode): GraphNode[] {
    return this.dependentsOf(owner).filter(d => d.owners.some(r => r.uid === owner.uid && r.blockOwnerDeletion === true))
  }
}
