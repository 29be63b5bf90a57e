// The garbage collector's writes. Upstream patches ownerReferences and finalizers with
// uid-keyed strategic merge patches (falling back to JSON merge patches for custom resources);
// here every metadata change is a JSON merge patch of the whole list, made safe by naming the
// uid and resourceVersion it was computed from, and retried on conflict (RetryOnConflict).
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject, OwnerReference } from '../../api/object.ts'
import type { Client, DeleteOptions } from '../../client/client.ts'
import type { Identity } from './graph.ts'

const CONFLICT_RETRIES = 5

type MetadataChange = { ownerReferences?: OwnerReference[] | null, finalizers?: string[] | null }

/**
 * Read `id`, let `change` compute new metadata fields from it (undefined: nothing to do) and
 * write them. Resolves undefined when nothing changed or the object (with this uid) is gone.
 */
export async function patchMetadata (client: Client, id: Identity, change: (latest: KubeObject) => MetadataChange | undefined): Promise<KubeObject | undefined> {
  for (let attempt = 0; ; attempt++) {
    let latest: KubeObject
    try {
      latest = await client.get(id.apiVersion, id.kind, id.namespace, id.name)
    } catch (err) {
      if (isStatusError(err, 404)) return undefined
      throw err
    }
    if (latest.metadata.uid !== id.uid) return undefined
    const fields = change(latest)
    if (fields === undefined) return undefined
    const metadata = { uid: id.uid, resourceVersion: latest.metadata.resourceVersion, ...fields }
    try {
      return await client.patch(id.apiVersion, id.kind, id.namespace, id.name, { metadata }, { type: 'merge' })
    } catch (err) {
      if (isStatusError(err, 404)) return undefined
      if (!isStatusError(err, 409) || attempt >= CONFLICT_RETRIES) throw err
    }
  }
}

/** Remove `finalizer`; when it was the last one on a deleting object, the server deletes it. */
export function removeFinalizer (client: Client, id: Identity, finalizer: string): Promise<KubeObject | undefined> {
  return patchMetadata(client, id, latest => {
    const finalizers = latest.metadata.finalizers ?? []
    if (!finalizers.includes(finalizer)) return undefined
    const rest = finalizers.filter(f => f !== finalizer)
    return { finalizers: rest.length > 0 ? rest : null }
  })
}

/** Drop the references to the owners in `uids` (orphaning, or forgetting absent owners). */
export function removeOwnerReferences (client: Client, id: Identity, uids: ReadonlySet<string>): Promise<KubeObject | undefined> {
  return patchMetadata(client, id, latest => {
    const refs = latest.metadata.ownerReferences ?? []
    const rest = refs.filter(r => !uids.has(r.uid))
    if (rest.length === refs.length) return undefined
    return { ownerReferences: rest.length > 0 ? rest : null }
  })
}

/** Set blockOwnerDeletion false on every reference (upstream's cycle breaker). */
export function unblockOwnerReferences (client: Client, id: Identity): Promise<KubeObject | undefined> {
  return patchMetadata(client, id, latest => {
    const refs = latest.metadata.ownerReferences ?? []
    if (!refs.some(r => r.blockOwnerDeletion === true)) return undefined
    return { ownerReferences: refs.map(r => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r)) }
  })
}

/**
 * Delete `latest` with a uid and resourceVersion precondition. On a conflict whose only cause
 * is an unrelated change (ownerReferences as evaluated), retry with the uid alone — upstream's
 * deleteObject. A 404 means someone else finished the job.
 */
export async function deleteObject (client: Client, id: Identity, latest: KubeObject, policy: NonNullable<DeleteOptions['propagationPolicy']>): Promise<void> {
  const del = (preconditions: DeleteOptions['preconditions']): Promise<KubeObject> =>
    client.delete(id.apiVersion, id.kind, id.namespace, id.name, { propagationPolicy: policy, preconditions })
  try {
    await del({ uid: id.uid, resourceVersion: latest.metadata.resourceVersion })
  } catch (err) {
    if (isStatusError(err, 404)) return
    if (!isStatusError(err, 409)) throw err
    let live: KubeObject
    try {
      live = await client.get(id.apiVersion, id.kind, id.namespace, id.name)
    } catch (getErr) {
      if (isStatusError(getErr, 404)) return
      throw getErr
    }
    const same = live.metadata.uid === id.uid && JSON.stringify(live.metadata.ownerReferences ?? []) === JSON.stringify(latest.metadata.ownerReferences ?? [])
    if (!same) throw err
    try {
      await del({ uid: id.uid })
    } catch (retryErr) {
      if (!isStatusError(retryErr, 404)) throw retryErr
    }
  }
}
