// The add-ons a fresh k3s v1.32 server deploys (k3s-facts §7). k3s writes the manifests it
// bundles into /var/lib/rancher/k3s/server/manifests, and its deploy controller applies each file
// as an Addon. The files live on the server node, which k3sim emulates (as a k3d node's live in
// its container): k3sManifests() builds each file's objects, and installK3sAddons() applies them
// as the deploy controller applies a file (deploy/addon.ts): an Addon per file with that source
// and the SHA-256 of the manifest's text (manifestText: the objects as JSON documents), the
// objects owned by it, its events.
//
// The CRDs are created directly, as k3s creates them at start; so are what helm-controller and
// the helm-install Jobs would create for the traefik HelmCharts (no helm-controller runs here),
// owned by their HelmChart, which also gets its status.jobName.
//
// `disable` takes k3s's --disable names: coredns, servicelb (nothing here: ServiceLB is a
// controller), traefik, local-storage, metrics-server, runtimes. The system-* PriorityClasses
// are built into the API server and are not created here.
import type { KubeObject } from '../../api/object.ts'
import { ignoreNotFound, isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import { EventRecorder } from '../../client/events.ts'
import { RealClock, type Clock } from '../../util/clock.ts'
import { applyManifest, getOrCreateAddon, removeAddon } from '../deploy/addon.ts'
import { addonName, checksum } from '../deploy/files.ts'
import { ccm, rolebindings, runtimes } from './common.ts'
import { corednsObjects } from './coredns.ts'
import { helmControllerCrds } from './helm-crds.ts'
import { k3sCrds } from './k3s-crds.ts'
import { localStorageObjects } from './local-storage.ts'
import { metricsServerFiles } from './metrics-server.ts'
import { CHART_LABEL, traefikHelmCharts, traefikHelmInstall } from './traefik.ts'
import { traefikCrds } from './traefik-crds.ts'
import { traefikRelease } from './traefik-release.ts'

export { CHART_LABEL } from './traefik.ts'

/** k3s's --disable items. */
export const ADDON_NAMES = ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server', 'runtimes'] as const
/** Where a k3s server keeps the manifests it deploys (the Addons' spec.source). */
export const K3S_MANIFESTS_DIR = '/var/lib/rancher/k3s/server/manifests'

export interface K3sAddonOptions {
  /** k3s --disable names. */
  disable?: string[]
  /** kube-dns ClusterIP (k3s --cluster-dns); default 10.43.0.10. */
  clusterDNS?: string
  /** default cluster.local. */
  clusterDomain?: string
}

/** One file of server/manifests: its path below that directory and its objects. */
export interface BundledManifest { file: string, objects: KubeObject[] }

/** The manifests k3s bundles that `disable` leaves, sorted by path as the deploy controller applies them. */
export function k3sManifests (options: K3sAddonOptions = {}): BundledManifest[] {
  const disabled = new Set(options.disable ?? [])
  for (const name of disabled) {
    if (!(ADDON_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown --disable name "${name}"; known: ${ADDON_NAMES.join(', ')}`)
    }
  }
  const files: BundledManifest[] = [{ file: 'ccm.yaml', objects: ccm() }, { file: 'rolebindings.yaml', objects: rolebindings() }]
  if (!disabled.has('coredns')) {
    files.push({ file: 'coredns.yaml', objects: corednsObjects({ clusterDNS: options.clusterDNS ?? '10.43.0.10', clusterDomain: options.clusterDomain ?? 'cluster.local' }) })
  }
  if (!disabled.has('local-storage')) files.push({ file: 'local-storage.yaml', objects: localStorageObjects() })
  if (!disabled.has('metrics-server')) files.push(...metricsServerFiles())
  if (!disabled.has('runtimes')) files.push({ file: 'runtimes.yaml', objects: runtimes() })
  if (!disabled.has('traefik')) files.push({ file: 'traefik.yaml', objects: traefikHelmCharts() })
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/** What helm-controller makes for the traefik HelmCharts: its install Jobs and what the two
 * releases install (traefik-crd's CRDs, traefik's objects). */
const helmReleases = (): KubeObject[] => [...traefikHelmInstall(), ...traefikCrds(), ...traefikRelease()]

/** Every object of a fresh server's add-ons: the CRDs, the manifests' objects, helm's. */
export function k3sAddons (options: K3sAddonOptions = {}): KubeObject[] {
  const manifests = k3sManifests(options)
  const helm = manifests.some(m => m.file === 'traefik.yaml') ? helmReleases() : []
  return [...k3sCrds(), ...helmControllerCrds(), ...manifests.flatMap(m => m.objects), ...helm]
}

const rank = (o: KubeObject): number =>
  o.kind === 'CustomResourceDefinition' ? 0 : o.metadata.namespace === undefined ? 1 : o.kind === 'HelmChart' ? 2 : 3

/** Objects in creation order: CRDs, cluster-scoped, HelmCharts, the rest (stable within each). */
export function installOrder (objects: KubeObject[]): KubeObject[] {
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(x => x.o)
}

/** The text of a bundled manifest, as JSON documents (its SHA-256 is the Addon's checksum). */
export function manifestText (objects: KubeObject[]): string {
  return objects.map(o => JSON.stringify(o)).join('\n')
}

export interface InstallOptions extends K3sAddonOptions {
  /** For the deploy controller's events (default: the real clock). */
  clock?: Clock
  /** The server node's name: the field manager `deploy@<host>` and the events' source host. */
  host?: string
  /** A bundled manifest that failed to apply (default: ignored; its Addon has the event). */
  onError?: (file: string, err: unknown) => void
}

/**
 * Install k3sAddons(options) through `client`: the CRDs (once served), each bundled manifest as
 * its Addon, then helm-controller's objects for the HelmCharts (existing ones are left alone).
 * The Addons of disabled components, and what they hold, are removed. A manifest that fails to
 * apply is reported (onError) and the others still apply, as k3s's deploy controller does.
 */
export async function installK3sAddons (client: Client, options: InstallOptions = {}): Promise<void> {
  const crds = [...k3sCrds(), ...helmControllerCrds()]
  for (const crd of crds) await createOnce(client, crd)
  for (const crd of crds) await servedKind(client, crd)
  const manifests = k3sManifests(options)
  const every = k3sManifests({ ...options, disable: [] })
  const kinds = new Map(every.flatMap(m => m.objects).map(o => [`${o.apiVersion}|${o.kind}`, o.metadata.namespace !== undefined]))
  const target = {
    client,
    events: new EventRecorder({ client, clock: options.clock ?? new RealClock(), source: { component: 'deploy', host: options.host } }),
    namespaced: (apiVersion: string, kind: string) => kinds.get(`${apiVersion}|${kind}`),
    host: options.host,
  }
  // A component disabled after it was deployed is removed, as k3s's --disable does.
  const wanted = new Set(manifests.map(m => m.file))
  for (const m of every) {
    if (wanted.has(m.file) || !await removeAddon(target, addonName(m.file))) continue
    // helm-controller removes what it made for a deleted HelmChart, and uninstalls its release.
    if (m.file === 'traefik.yaml') {
      for (const o of helmReleases()) await client.delete(o.apiVersion!, o.kind!, o.metadata.namespace, o.metadata.name!).catch(ignoreNotFound)
    }
  }
  for (const m of manifests) {
    const source = `${K3S_MANIFESTS_DIR}/${m.file}`
    const name = addonName(source)
    try {
      const addon = await getOrCreateAddon(client, name, source)
      await applyManifest(target, addon, { name, source, checksum: checksum(manifestText(m.objects)), objects: m.objects })
    } catch (err) {
      // As k3s: the failure is the Addon's ApplyManifestFailed event (and the log); the other
      // files still apply, and the server runs on.
      options.onError?.(m.file, err)
    }
  }
  if (!manifests.some(m => m.file === 'traefik.yaml')) return
  const charts = new Map<string, KubeObject>()
  for (const chart of traefikHelmCharts()) charts.set(chart.metadata.name!, await client.get('helm.cattle.io/v1', 'HelmChart', chart.metadata.namespace, chart.metadata.name!))
  for (const obj of installOrder(helmReleases())) {
    const chart = obj.metadata.labels?.[CHART_LABEL]
    const owner = chart === undefined || obj.kind === 'ClusterRoleBinding' ? undefined : charts.get(chart)
    if (owner !== undefined) {
      obj.metadata.ownerReferences = [{ apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }]
    }
    const result = await createOnce(client, obj)
    if (obj.kind === 'Job' && owner !== undefined) await setJobName(client, owner, result.metadata.name!)
  }
}

/** Resolves once the CRD's kind is served: a few turns after it is created (Established). */
async function servedKind (client: Client, crd: KubeObject): Promise<void> {
  const spec = crd.spec as { group: string, names: { kind: string }, versions: Array<{ name: string }> }
  for (let attempt = 0; ; attempt++) {
    try {
      await client.list(`${spec.group}/${spec.versions[0].name}`, spec.names.kind, { limit: 1 })
      return
    } catch (err) {
      if (!isStatusError(err, 404) || attempt >= 20) throw err
      await new Promise(resolve => setImmediate(resolve))
    }
  }
}

async function createOnce (client: Client, obj: KubeObject): Promise<KubeObject> {
  try {
    return await client.create(obj)
  } catch (err) {
    if (isStatusError(err, 409)) return await client.get(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!)
    // A Service re-created with its fixed clusterIP is refused with 422 (IP already allocated), as upstream does.
    if (isStatusError(err, 422)) {
      const existing = await client.get(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!).catch(() => undefined)
      if (existing !== undefined) return existing
    }
    throw err
  }
}
async function setJobName (client: Client, chart: KubeObject, jobName: string): Promise<void> {
  const current = await client.get('helm.cattle.io/v1', 'HelmChart', chart.metadata.namespace, chart.metadata.name!)
  await client.update({ ...current, status: { ...(current.status as object | undefined), jobName } }, { subresource: 'status' })
}
