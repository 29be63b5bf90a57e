// ControllerRefManager (pkg/controller/controller_ref_manager.go): an owner claims the objects
// its selector matches. Orphans that match are adopted (a controller ownerReference is added),
// owned objects that no longer match are released (the reference is removed); objects owned by
// another controller are left alone. Adoption first re-reads the owner, as upstream's
// RecheckDeletionTimestamp does, so a deleted or recreated owner adopts nothing.
import type { KubeObject, OwnerReference } from '../../api/object.ts'
import type { Selector } from '../../api/labels.ts'
import type { Client } from '../../client/client.ts'

const isController = (r: OwnerReference): boolean => r.controller === true

export function controllerOf (obj: KubeObject): OwnerReference | undefined {
  // A plain loop: called for every candidate of every claim.
  const refs = obj.metadata.ownerReferences
  if (refs === undefined) return undefined
  for (let i = 0; i < refs.length; i++) if (isController(refs[i])) return refs[i]
  return undefined
}

export function controllerRef (owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }
}

export const isNotFound = (err: unknown): boolean => (err as { code?: number }).code === 404

export interface ClaimOptions {
  client: Client
  owner: KubeObject
  selector: Selector
  /** The kind of the objects claimed. */
  apiVersion: string
  kind: string
  /** Candidates in the owner's namespace (from a lister: frozen, never mutated). */
  objects: readonly KubeObject[]
  /** Only these candidates are considered (e.g. active pods): tested in the same pass. */
  keep?: (obj: KubeObject) => boolean
}

/** The objects the owner controls after adopting and releasing; writes as upstream does. */
export async function claim (o: ClaimOptions): Promise<KubeObject[]> {
  const { client, owner, selector } = o
  const uid = owner.metadata.uid
  const claimed: KubeObject[] = []
  let canAdopt: boolean | undefined
  for (let i = 0; i < o.objects.length; i++) {
    const obj = o.objects[i]
    if (o.keep !== undefined && !o.keep(obj)) continue
    const ref = controllerOf(obj)
    if (ref !== undefined) {
      if (ref.uid !== uid) continue
      if (selector.matches(obj.metadata.labels)) { claimed.push(obj); continue }
      if (owner.metadata.deletionTimestamp !== undefined) continue
      await writeOwners(o, obj, (obj.metadata.ownerReferences ?? []).filter(r => r.uid !== uid))
      continue
    }
    if (owner.metadata.deletionTimestamp !== undefined || !selector.matches(obj.metadata.labels)) continue
    if (obj.metadata.deletionTimestamp !== undefined) continue
    if (canAdopt === undefined) {
      const fresh = await client.get(owner.apiVersion!, owner.kind!, owner.metadata.namespace, owner.metadata.name!).catch(() => undefined)
      canAdopt = fresh !== undefined && fresh.metadata.uid === uid && fresh.metadata.deletionTimestamp === undefined
    }
    if (!canAdopt) continue
    const adopted = await writeOwners(o, obj, [...(obj.metadata.ownerReferences ?? []), controllerRef(owner)])
    if (adopted !== undefined) claimed.push(adopted)
  }
  return claimed
}

/** Replace the ownerReferences, guarded by the resourceVersion; a vanished object is skipped. */
async function writeOwners (o: ClaimOptions, obj: KubeObject, refs: OwnerReference[]): Promise<KubeObject | undefined> {
  try {
    return await o.client.patch(o.apiVersion, o.kind, obj.metadata.namespace, obj.metadata.name!,
      { metadata: { ownerReferences: refs.length === 0 ? null : refs, resourceVersion: obj.metadata.resourceVersion } }, { type: 'merge' })
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}
