// One manifest applied as k3s's deploy controller applies a file of server/manifests: an Addon
// (k3s.cattle.io/v1) in kube-system named after the file, holding its path and SHA-256; the
// file's objects applied as the Addon's object set (objectset.ts); Events ApplyingManifest,
// AppliedManifest or ApplyManifestFailed on the Addon. Used for the user's manifests directory
// and for the manifests k3s bundles (coredns, local-storage, metrics-server, ...).
import type { KubeObject } from '../../api/object.ts'
import { ignoreNotFound } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import type { EventRecorder } from '../../client/events.ts'
import { applyObjectSet, type NamespacedLookup } from './objectset.ts'

export const GVK_ANNOTATION = 'addon.k3s.cattle.io/gvks'
const GVK_SEP = ';'
const ADDON = { apiVersion: 'k3s.cattle.io/v1', kind: 'Addon', namespace: 'kube-system' } as const

export type Addon = KubeObject & { spec?: { source?: string, checksum?: string } }

export interface AddonTarget {
  client: Client
  /** The `deploy` component's recorder. */
  events: EventRecorder
  namespaced: NamespacedLookup
  /** The server node's name: objects are written by field manager `deploy@<host>`. */
  host?: string
}

export interface Manifest {
  /** The Addon's name. */
  name: string
  /** The file's path, kept in spec.source and named in the events. */
  source: string
  checksum: string
  objects: KubeObject[]
}

const getAddon = async (client: Client, name: string): Promise<Addon | undefined> =>
  await client.get<Addon>(ADDON.apiVersion, ADDON.kind, ADDON.namespace, name).catch(ignoreNotFound)

/** The kinds the Addon's set held when last applied. */
const appliedGvks = (addon: Addon): string[] => (addon.metadata.annotations?.[GVK_ANNOTATION] ?? '').split(GVK_SEP).filter(s => s !== '')

const fieldManager = (t: AddonTarget): string => (t.host === undefined ? 'deploy' : `deploy@${t.host}`)

/** The Addon `name`, created (with its source) if it does not exist yet. */
export async function getOrCreateAddon (client: Client, name: string, source: string): Promise<Addon> {
  return await getAddon(client, name) ??
    await client.create<Addon>({ apiVersion: ADDON.apiVersion, kind: ADDON.kind, metadata: { name, namespace: ADDON.namespace }, spec: { source } } as Addon)
}

/** Apply `m` as the object set of its Addon `addon`, then record its source and checksum on it. */
export async function applyManifest (t: AddonTarget, addon: Addon, m: Manifest): Promise<void> {
  const at = JSON.stringify(m.source)
  await t.events.record(addon, { type: 'Normal', reason: 'ApplyingManifest', message: `Applying manifest at ${at}` })
  let gvks: string[]
  try {
    gvks = await applyObjectSet(t.client, { ...ADDON, name: m.name }, m.objects, {
      namespaced: t.namespaced, previousGvks: appliedGvks(addon), fieldManager: fieldManager(t), prune: addon.metadata.annotations?.[GVK_ANNOTATION] !== undefined,
    })
  } catch (err) {
    await t.events.record(addon, { type: 'Warning', reason: 'ApplyManifestFailed', message: `Applying manifest at ${at} failed: ${(err as Error).message}` })
    throw err
  }
  await t.events.record(addon, { type: 'Normal', reason: 'AppliedManifest', message: `Applied manifest at ${at}` })
  const current = await t.client.get<Addon>(ADDON.apiVersion, ADDON.kind, ADDON.namespace, m.name)
  current.spec = { ...current.spec, source: m.source, checksum: m.checksum }
  current.metadata.annotations = { ...current.metadata.annotations, [GVK_ANNOTATION]: gvks.join(GVK_SEP) }
  await t.client.update(current)
}

/**
 * Remove the Addon `name` and everything its object set holds, as k3s does for a component
 * `--disable`d after it was deployed (event DeletingManifest). Returns whether the Addon existed.
 */
export async function removeAddon (t: AddonTarget, name: string): Promise<boolean> {
  const addon = await getAddon(t.client, name)
  if (addon === undefined) return false
  await t.events.record(addon, { type: 'Normal', reason: 'DeletingManifest', message: `Deleting manifest at ${JSON.stringify(addon.spec?.source ?? '')}` })
  await applyObjectSet(t.client, { ...ADDON, name }, [], { namespaced: t.namespaced, previousGvks: appliedGvks(addon), fieldManager: fieldManager(t) })
  await t.client.delete(ADDON.apiVersion, ADDON.kind, ADDON.namespace, name).catch(ignoreNotFound)
  return true
}
