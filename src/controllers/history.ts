// ControllerRevisions for DaemonSets and StatefulSets (pkg/controller/history, v1.32): the hash of the pod
// template (FNV-32a over canonical JSON plus status.collisionCount, printed with
// rand.SafeEncodeString, as controller.ComputeHash) names the revision `<owner>-<hash>`; DaemonSet pods
// carry `controller-revision-hash: <hash>`, StatefulSet pods the whole revision name. The revision's data is the strategic-merge patch
// `{spec: {template: {..., $patch: replace}}}`; revisions number 1, 2, … and a template that
// comes back gets its old revision renumbered to the newest.
import { clone, type KubeObject } from '../api/object.ts'
import type { ControllerContext } from './types.ts'

type Json = Record<string, any>

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

function fnv32a (bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash
  for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0 }
  return h >>> 0
}

function prune (v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(x => prune(x) ?? null)
  if (v !== null && typeof v === 'object') {
    const out: Json = {}
    for (const k of Object.keys(v).sort()) {
      const p = prune((v as Json)[k])
      if (p !== undefined) out[k] = p
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  return v === null ? undefined : v
}

/** controller.ComputeHash over canonical JSON (stable, though not a real cluster's value). */
export function computeHash (template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(JSON.stringify(prune(template)) ?? ''))
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv32a(bytes, h)
  }
  let out = ''
  for (const ch of String(h)) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length]
  return out
}

export function ownerRef (owner: KubeObject): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  return { apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }
}

export const isNotFound = (err: unknown): boolean => (err as { code?: number }).code === 404

/** The revisions the owner controls, oldest revision number first. */
export async function ownedRevisions (ctx: ControllerContext, owner: KubeObject): Promise<KubeObject[]> {
  const list = await ctx.client.list('apps/v1', 'ControllerRevision', { namespace: owner.metadata.namespace })
  return list.items
    .filter(r => r.metadata.ownerReferences?.some(o => o.controller === true && o.uid === owner.metadata.uid))
    .sort((a, b) => ((a as Json).revision ?? 0) - ((b as Json).revision ?? 0))
}

export interface RevisionOptions {
  /** Labels on the revision besides the owner's template labels. */
  hashLabel: (hash: string) => Record<string, string>
}

/**
 * Find or create the revision for the owner's current template; returns it with its hash.
 * An existing revision of the same template that is not the newest is renumbered.
 */
export async function ensureRevision (ctx: ControllerContext, owner: KubeObject, o: RevisionOptions): Promise<{ revision: KubeObject, hash: string, all: KubeObject[] }> {
  const template = (owner.spec as Json).template ?? {}
  const hash = computeHash(template, (owner.status as Json | undefined)?.collisionCount ?? 0)
  const name = `${owner.metadata.name}-${hash}`
  const all = await ownedRevisions(ctx, owner)
  const max = all.reduce((m, r) => Math.max(m, (r as Json).revision ?? 0), 0)
  const existing = all.find(r => r.metadata.name === name)
  if (existing !== undefined) {
    if ((existing as Json).revision === max) return { revision: existing, hash, all }
    const bumped = await ctx.client.patch('apps/v1', 'ControllerRevision', owner.metadata.namespace, name, { revision: max + 1 }, { type: 'merge' })
    return { revision: bumped, hash, all: [...all.filter(r => r !== existing), bumped] }
  }
  const cr: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...o.hashLabel(hash) },
      ownerReferences: [ownerRef(owner)],
    },
    data: { spec: { template: { ...clone(template), $patch: 'replace' } } },
    revision: max + 1,
  } as KubeObject
  const created = await ctx.client.create(cr)
  return { revision: created, hash, all: [...all, created] }
}

/** The pod template stored in a revision. */
export function templateOf (revision: KubeObject): Json {
  const t = clone(((revision as Json).data?.spec?.template ?? {}) as Json)
  delete t.$patch
  return t
}

/** Delete the oldest revisions beyond the history limit that no live pod uses. */
export async function truncateHistory (ctx: ControllerContext, all: KubeObject[], live: Set<string>, limit: number): Promise<void> {
  const old = all.filter(r => !live.has(r.metadata.name!))
  for (const r of old.slice(0, Math.max(0, old.length - limit))) {
    await ctx.client.delete('apps/v1', 'ControllerRevision', r.metadata.namespace, r.metadata.name!).catch(err => { if (!isNotFound(err)) throw err })
  }
}
