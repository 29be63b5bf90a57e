// Discovery documents derived from the resource table: legacy (APIVersions, APIGroupList,
// APIGroup, APIResourceList) and aggregated v2 (APIGroupDiscoveryList), api-facts.md §2.
import { groupVersion, type ResourceInfo } from '../api/resources.ts'
import type { DiscoverableIndex as ResourceIndex } from './aggregator/index.ts'

export const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

/** True when the Accept header asks for aggregated discovery (v2 or v2beta1). */
export function wantsAggregated (accept: string | undefined): boolean {
  return /g=apidiscovery\.k8s\.io/.test(accept ?? '') && /as=APIGroupDiscoveryList/.test(accept ?? '')
}

export function apiVersions (serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}

function groupEntry (name: string, versions: string[]): object {
  const gvs = versions.map(v => ({ groupVersion: `${name}/${v}`, version: v }))
  return { name, versions: gvs, preferredVersion: gvs[0] }
}

export function apiGroupList (index: ResourceIndex): object {
  const groups = [...index.groups()].filter(([g]) => g !== '').map(([g, vs]) => groupEntry(g, vs))
  return { kind: 'APIGroupList', apiVersion: 'v1', groups }
}

export function apiGroup (index: ResourceIndex, group: string): object | undefined {
  const versions = index.groups().get(group)
  return versions === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) }
}

export function apiResourceList (index: ResourceIndex, group: string, version: string): object | undefined {
  const list = index.inGroupVersion(group, version)
  if (list.length === 0) return undefined
  const resources: object[] = []
  for (const r of list) {
    const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs }
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames
    if (r.categories.length > 0) entry.categories = r.categories
    // Aggregated APIs (metrics-server) store nothing and advertise no hash.
    if (r.aggregated !== true) entry.storageVersionHash = hash(`${groupVersion(r)}/${r.kind}`)
    resources.push(entry)
    for (const s of r.subresources) {
      // Upstream's installer gives subresources no singular name (the field is still sent, empty),
      // and a storage that names its own kind (rest.GroupVersionKindProvider: eviction, scale,
      // token) both its group and version, even when they equal the parent's: kubectl drain's
      // CheckEvictionSupport reads `version` of pods/eviction.
      const gv = s.group === undefined ? {} : { group: s.group, version: s.version ?? r.version }
      resources.push({ name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, ...gv, kind: s.kind, verbs: s.verbs })
    }
  }
  // In name order, subresources among them, as upstream's installer registers its paths (sorted).
  resources.sort((a, b) => byName((a as { name: string }).name, (b as { name: string }).name))
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources }
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function aggregatedResource (r: ResourceInfo): object {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  }
  if (r.shortNames.length > 0) entry.shortNames = r.shortNames
  if (r.categories.length > 0) entry.categories = r.categories
  if (r.subresources.length > 0) {
    entry.subresources = [...r.subresources].sort((a, b) => byName(a.name, b.name)).map(s => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }))
  }
  return entry
}

/** Aggregated discovery for /api (core only) or /apis (every named group). */
export function aggregated (index: ResourceIndex, core: boolean, stale: (group: string, version: string) => boolean = () => false): object {
  const items: object[] = []
  for (const [group, versions] of index.groups()) {
    if ((group === '') !== core) continue
    items.push({
      metadata: core ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
      versions: versions.map(v => ({ version: v, resources: [...index.inGroupVersion(group, v)].sort((a, b) => byName(a.resource, b.resource)).map(aggregatedResource), freshness: stale(group, v) ? 'Stale' : 'Current' })),
    })
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items }
}

function hash (s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return Buffer.from(Uint32Array.of(h >>> 0, Math.imul(h, 31) >>> 0).buffer).toString('base64').slice(0, 11) + '='
}
