// The add-ons a fresh k3s v1.32 server applies from /var/lib/rancher/k3s/server/manifests
// (k3s-facts §7), as objects: k3sAddons() builds them, installK3sAddons() creates them through
// a client in dependency order (CRDs, cluster-scoped, namespaced) and fills in what only exists
// at runtime (NodeHosts, HelmChart ownerReferences and status.jobName).
//
// `disable` takes k3s's --disable names: coredns, servicelb (nothing here: ServiceLB is a
// controller), traefik, local-storage, metrics-server. The system-* PriorityClasses are built
// into the API server and are not created here.
import type { KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import { coreRbac } from './common.ts'
import { corednsObjects, nodeHostsText } from './coredns.ts'
import { helmControllerCrds } from './helm-crds.ts'
import { k3sCrds } from './k3s-crds.ts'
import { localStorageObjects } from './local-storage.ts'
import { metricsServerObjects } from './metrics-server.ts'
import { CHART_LABEL, traefikHelmCharts, traefikHelmInstall } from './traefik.ts'
import { traefikRelease } from './traefik-release.ts'

export { CHART_LABEL } from './traefik.ts'
export { nodeHostsText } from './coredns.ts'

export const ADDON_NAMES = ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server'] as const

export interface K3sAddonOptions {
  /** k3s --disable names. */
  disable?: string[]
  /** kube-dns ClusterIP (k3s --cluster-dns); default 10.43.0.10. */
  clusterDNS?: string
  /** default cluster.local. */
  clusterDomain?: string
  /** The coredns ConfigMap's NodeHosts ("<ip> <node>" lines); default empty. */
  nodeHosts?: string
  /** Keep RBAC objects named with ':' (system:coredns, system:metrics-server, …). Kubernetes
   * accepts them (RBAC names are path segments), but k3sim's API server validates them as DNS
   * subdomains and refuses them, so they are left out by default until that is fixed. */
  rbacColonNames?: boolean
}

export function k3sAddons (options: K3sAddonOptions = {}): KubeObject[] {
  const disabled = new Set(options.disable ?? [])
  for (const name of disabled) {
    if (!(ADDON_NAMES as readonly string[]).includes(name) && name !== 'runtimes') {
      throw new Error(`unknown --disable name "${name}"; known: ${ADDON_NAMES.join(', ')}`)
    }
  }
  const out: KubeObject[] = [...k3sCrds(), ...helmControllerCrds(), ...coreRbac()]
  if (!disabled.has('coredns')) {
    out.push(...corednsObjects({ clusterDNS: options.clusterDNS ?? '10.43.0.10', clusterDomain: options.clusterDomain ?? 'cluster.local', nodeHosts: options.nodeHosts ?? '' }))
  }
  if (!disabled.has('local-storage')) out.push(...localStorageObjects())
  if (!disabled.has('metrics-server')) out.push(...metricsServerObjects())
  if (!disabled.has('traefik')) out.push(...traefikHelmCharts(), ...traefikHelmInstall(), ...traefikRelease())
  return options.rbacColonNames === true ? out : out.filter(o => !(o.kind?.endsWith('Role') === true || o.kind?.endsWith('RoleBinding') === true) || !o.metadata.name!.includes(':'))
}

const rank = (o: KubeObject): number =>
  o.kind === 'CustomResourceDefinition' ? 0 : o.metadata.namespace === undefined ? 1 : o.kind === 'HelmChart' ? 2 : 3

/** Objects in creation order: CRDs, cluster-scoped, HelmCharts, the rest (stable within each). */
export function installOrder (objects: KubeObject[]): KubeObject[] {
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(x => x.o)
}

/** Create k3sAddons(options) through `client` (objects that already exist are left alone).
 * NodeHosts defaults to the Nodes' InternalIPs; helm-controller's objects get their HelmChart
 * as controller owner, and each HelmChart its status.jobName. */
export async function installK3sAddons (client: Client, options: K3sAddonOptions = {}): Promise<KubeObject[]> {
  let nodeHosts = options.nodeHosts
  if (nodeHosts === undefined) {
    const nodes = (await client.list('v1', 'Node')).items
    nodeHosts = nodeHostsText(nodes.flatMap(n => {
      const addr = ((n.status as { addresses?: Array<{ type: string, address: string }> } | undefined)?.addresses ?? []).find(a => a.type === 'InternalIP')
      return addr === undefined ? [] : [{ ip: addr.address, name: n.metadata.name! }]
    }))
  }
  const charts = new Map<string, KubeObject>()
  const created: KubeObject[] = []
  for (const obj of installOrder(k3sAddons({ ...options, nodeHosts }))) {
    const chart = obj.metadata.labels?.[CHART_LABEL]
    const owner = chart === undefined || obj.kind === 'ClusterRoleBinding' ? undefined : charts.get(chart)
    if (owner !== undefined) {
      obj.metadata.ownerReferences = [{ apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }]
    }
    const result = await createOnce(client, obj)
    if (obj.kind === 'HelmChart') charts.set(result.metadata.name!, result)
    if (obj.kind === 'Job' && owner !== undefined) await setJobName(client, owner, result.metadata.name!)
    created.push(result)
  }
  return created
}

async function createOnce (client: Client, obj: KubeObject): Promise<KubeObject> {
  // A CRD's resource is served once the CRD is Established; give it a few turns.
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.create(obj)
    } catch (err) {
      if (isStatusError(err, 409)) return await client.get(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!)
      // A Service re-created with its fixed clusterIP is refused with 422 (IP already allocated), as upstream does.
      if (isStatusError(err, 422)) {
        const existing = await client.get(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name!).catch(() => undefined)
        if (existing !== undefined) return existing
      }
      if (!isStatusError(err, 404) || attempt >= 20) throw err
      await new Promise(resolve => setImmediate(resolve))
    }
  }
}

async function setJobName (client: Client, chart: KubeObject, jobName: string): Promise<void> {
  const current = await client.get('helm.cattle.io/v1', 'HelmChart', chart.metadata.namespace, chart.metadata.name!)
  await client.update({ ...current, status: { ...(current.status as object | undefined), jobName } }, { subresource: 'status' })
}
