// Lookup of the resource table by path (group, version, plural), by kind and by short name.
// Built-in rows are fixed; CRDs add and remove rows while the server runs.
import { BUILTIN_RESOURCES, type ResourceInfo } from '../api/resources.ts'

export class ResourceIndex {
  private readonly byPath = new Map<string, ResourceInfo>()
  private readonly byKind = new Map<string, ResourceInfo>()
  private listeners: Array<() => void> = []

  constructor (resources: ResourceInfo[] = BUILTIN_RESOURCES) {
    for (const r of resources) this.add(r, false)
  }

  /** `pods` in core/v1, `deployments` in apps/v1. */
  lookup (group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`)
  }

  byGroupVersionKind (group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byKind.get(`${group}/${version}/${kind}`)
  }

  /** The resource for a kind in the group's preferred (first registered) version. */
  preferredForKind (group: string, kind: string): ResourceInfo | undefined {
    return this.all().find(r => r.group === group && r.kind === kind)
  }

  all (): ResourceInfo[] { return [...this.byPath.values()] }

  /** Group → versions in registration order (the first is preferred). */
  groups (): Map<string, string[]> {
    const groups = new Map<string, string[]>()
    for (const r of this.byPath.values()) {
      const versions = groups.get(r.group) ?? []
      if (!versions.includes(r.version)) versions.push(r.version)
      groups.set(r.group, versions)
    }
    return groups
  }

  inGroupVersion (group: string, version: string): ResourceInfo[] {
    return this.all().filter(r => r.group === group && r.version === version)
  }

  add (info: ResourceInfo, notify = true): void {
    this.byPath.set(`${info.group}/${info.version}/${info.resource}`, info)
    this.byKind.set(`${info.group}/${info.version}/${info.kind}`, info)
    if (notify) this.changed()
  }

  remove (group: string, resource: string): void {
    for (const [k, r] of [...this.byPath]) {
      if (r.group === group && r.resource === resource) {
        this.byPath.delete(k)
        this.byKind.delete(`${r.group}/${r.version}/${r.kind}`)
      }
    }
    this.changed()
  }

  /** Called after every change (discovery and OpenAPI caches drop their copies). */
  onChange (fn: () => void): void { this.listeners.push(fn) }

  private changed (): void { for (const fn of this.listeners) fn() }
}
