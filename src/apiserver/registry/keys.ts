// Storage keys in the Kubernetes layout (k3s-facts.md §1.5): /registry/<prefix>/<ns>/<name>.
import type { ResourceInfo } from '../../api/resources.ts'
import { prefixEnd } from '../../store/keys.ts'

export function objectStorageKey (info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `/registry/${info.storagePrefix}/${namespace}/${name}` : `/registry/${info.storagePrefix}/${name}`
}

/** [key, rangeEnd) covering every object of the resource, or of one namespace. */
export function collectionRange (info: ResourceInfo, namespace?: string): { key: string, rangeEnd: string } {
  const key = info.namespaced && namespace ? `/registry/${info.storagePrefix}/${namespace}/` : `/registry/${info.storagePrefix}/`
  return { key, rangeEnd: prefixEnd(key) }
}

/** namespace/name from a key under the resource's prefix. */
export function nameFromKey (info: ResourceInfo, key: string): { namespace?: string, name: string } {
  const rest = key.slice(`/registry/${info.storagePrefix}/`.length)
  if (!info.namespaced) return { name: rest }
  const i = rest.indexOf('/')
  return { namespace: rest.slice(0, i), name: rest.slice(i + 1) }
}
