// The resource kinds a generic controller (garbage collector, namespace deleter) works over.
// Controllers take them as an option so they depend only on the Client; the composition root
// derives them from the API server's resource table with servedResources().
import { groupVersion, type ResourceInfo } from '../api/resources.ts'

export interface ResourceKind {
  apiVersion: string
  kind: string
  group: string
  /** Plural: `deployments`. */
  resource: string
  namespaced: boolean
}

/** `resource` or `resource.group`, as upstream names a GroupResource: `events.events.k8s.io`. */
export const groupResource = (r: { group: string, resource: string }): string => (r.group === '' ? r.resource : `${r.resource}.${r.group}`)

/**
 * Upstream's GetDeletableResources: the preferred version of every resource that supports
 * delete, list and watch. Answered-not-stored (virtual) resources are skipped, and a resource
 * served under several versions or groups over one storage (HPA v2/v1, core and events.k8s.io
 * Events) appears once, in its first-registered (preferred) form.
 */
export function servedResources (infos: readonly ResourceInfo[], options: { ignore?: readonly string[] } = {}): ResourceKind[] {
  const ignore = new Set(options.ignore ?? [])
  const seen = new Set<string>()
  const out: ResourceKind[] = []
  for (const info of infos) {
    if (info.virtual === true) continue
    if (!(['delete', 'list', 'watch'] as const).every(v => info.verbs.includes(v))) continue
    if (ignore.has(groupResource(info))) continue
    if (seen.has(info.storagePrefix)) continue
    seen.add(info.storagePrefix)
    out.push({ apiVersion: groupVersion(info), kind: info.kind, group: info.group, resource: info.resource, namespaced: info.namespaced })
  }
  return out
}

/** The served form of a kind, found by group and kind whatever the version asked for. */
export function findKind (resources: readonly ResourceKind[], apiVersion: string, kind: string): ResourceKind | undefined {
  const slash = apiVersion.indexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  return resources.find(r => r.group === group && r.kind === kind)
}
