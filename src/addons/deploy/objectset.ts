// Applying a file's objects as one owned set, as wrangler's apply does for k3s's deploy
// controller: every object carries its owner in `objectset.rio.cattle.io/*` annotations and the
// set's hash label; objects the owner applied before but the file no longer names are pruned.
// Objects are written with server-side apply (force), so the deploy controller owns the fields
// it sets and leaves fields set by others alone.
import { createHash } from 'node:crypto'
import type { KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'

export const LABEL_HASH = 'objectset.rio.cattle.io/hash'
export const ANNOTATION_ID = 'objectset.rio.cattle.io/id'
export const ANNOTATION_OWNER_GVK = 'objectset.rio.cattle.io/owner-gvk'
export const ANNOTATION_OWNER_NAME = 'objectset.rio.cattle.io/owner-name'
export const ANNOTATION_OWNER_NAMESPACE = 'objectset.rio.cattle.io/owner-namespace'

export interface SetOwner { apiVersion: string, kind: string, name: string, namespace: string }

/** true/false for a served kind; undefined when the API server does not serve it. */
export type NamespacedLookup = (apiVersion: string, kind: string) => boolean | undefined

/** Go's schema.GroupVersionKind.String(): "apps/v1, Kind=Deployment", "/v1, Kind=Service". */
export function gvkString (apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${kind}`
}

export function parseGvk (s: string): { apiVersion: string, kind: string } | undefined {
  const m = /^([^,]*), Kind=(.+)$/.exec(s)
  if (m === null) return undefined
  return { apiVersion: m[1].startsWith('/') ? m[1].slice(1) : m[1], kind: m[2] }
}

function ownerAnnotations (owner: SetOwner): Record<string, string> {
  return {
    [ANNOTATION_ID]: '',
    [ANNOTATION_OWNER_GVK]: gvkString(owner.apiVersion, owner.kind),
    [ANNOTATION_OWNER_NAME]: owner.name,
    [ANNOTATION_OWNER_NAMESPACE]: owner.namespace,
  }
}

/** The set's label value: a SHA-1 of its owner annotations (sorted key=value lines). */
export function setHash (owner: SetOwner): string {
  const a = ownerAnnotations(owner)
  const text = Object.keys(a).sort().map(k => `${k}=${a[k]}`).join('\n')
  return createHash('sha1').update(text).digest('hex')
}

const rank = (o: KubeObject): number => o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2

/**
 * Apply `objects` as the set owned by `owner` and prune what the set held before (listed under
 * `previousGvks` or the objects' own kinds) but no longer holds (unless `prune` is false: a set
 * applied for the first time has held nothing). Returns the set's GVK strings.
 * Throws on the first object the API server refuses (kubectl apply's message shape).
 */
export async function applyObjectSet (client: Client, owner: SetOwner, objects: KubeObject[], options: { namespaced: NamespacedLookup, previousGvks: string[], fieldManager: string, prune?: boolean }): Promise<string[]> {
  const hash = setHash(owner)
  const annotations = ownerAnnotations(owner)
  const desired = new Set<string>()
  const gvks: string[] = []
  const prepared = objects.map(o => {
    const namespaced = options.namespaced(o.apiVersion!, o.kind!)
    if (namespaced === undefined) throw new Error(`resource mapping not found for name: "${o.metadata.name}" namespace: "${o.metadata.namespace ?? ''}": no matches for kind "${o.kind}" in version "${o.apiVersion}"`)
    const namespace = namespaced ? o.metadata.namespace ?? 'default' : undefined
    const gvk = gvkString(o.apiVersion!, o.kind!)
    if (!gvks.includes(gvk)) gvks.push(gvk)
    desired.add(`${gvk}|${namespace ?? ''}|${o.metadata.name}`)
    const metadata = { ...o.metadata, namespace, labels: { ...o.metadata.labels, [LABEL_HASH]: hash }, annotations: { ...o.metadata.annotations, ...annotations } }
    if (namespace === undefined) delete metadata.namespace
    return { ...o, metadata } as KubeObject
  })
  for (const o of prepared.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(x => x.o)) {
    try {
      await client.patch(o.apiVersion!, o.kind!, o.metadata.namespace, o.metadata.name!, o, { type: 'apply', fieldManager: options.fieldManager, force: true })
    } catch (err) {
      const what = `${o.kind} "${o.metadata.name}"${o.metadata.namespace === undefined ? '' : ` in namespace "${o.metadata.namespace}"`}`
      throw new Error(`failed to apply ${what}: ${(err as Error).message}`)
    }
  }
  if (options.prune === false) return gvks
  for (const gvk of new Set([...options.previousGvks, ...gvks])) {
    const parsed = parseGvk(gvk)
    if (parsed === undefined || options.namespaced(parsed.apiVersion, parsed.kind) === undefined) continue
    const { items } = await client.list(parsed.apiVersion, parsed.kind, { labelSelector: `${LABEL_HASH}=${hash}` })
    for (const item of items) {
      if (desired.has(`${gvk}|${item.metadata.namespace ?? ''}|${item.metadata.name}`)) continue
      if (item.metadata.annotations?.[ANNOTATION_OWNER_NAME] !== owner.name) continue
      await client.delete(parsed.apiVersion, parsed.kind, item.metadata.namespace, item.metadata.name!).catch(err => { if (!isStatusError(err, 404)) throw err })
    }
  }
  return gvks
}
