// The shape objects leave the server in: apiVersion/kind of the request's group-version, and
// list envelopes as upstream writes them (items without apiVersion/kind for built-in types).
import type { KubeObject } from '../../api/object.ts'
import { groupVersion, type ResourceInfo } from '../../api/resources.ts'
import { toServed } from '../conversion.ts'

export function asServed (info: ResourceInfo, obj: KubeObject): KubeObject {
  // apiVersion and kind first, as upstream serializes them.
  const { apiVersion: _a, kind: _k, ...rest } = toServed(info, obj)
  return { apiVersion: groupVersion(info), kind: info.kind, ...rest } as KubeObject
}

/** A list's metadata (resourceVersion absent only for what is not stored: ComponentStatus). */
export interface ListMeta { resourceVersion?: string, continue?: string, remainingItemCount?: number }

export function listOf (info: ResourceInfo, items: KubeObject[], meta: ListMeta): Record<string, unknown> {
  const out = info.custom === true
    ? items.map(o => asServed(info, o))
    : items.map(item => { const { apiVersion: _a, kind: _k, ...rest } = toServed(info, item); return rest })
  return { kind: info.listKind, apiVersion: groupVersion(info), metadata: meta, items: out }
}
