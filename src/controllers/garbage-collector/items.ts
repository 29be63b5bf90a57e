// Workqueue keys of the garbage collector. Upstream runs two queues (attemptToDelete and
// attemptToOrphan) of graph nodes; here one queue carries both, as strings naming the action
// and the object's full identity (uid included, so a re-created object is a different key).
import type { Identity } from './graph.ts'

export type Action = 'delete' | 'orphan'

export interface Item { action: Action, identity: Identity }

export function itemKey (action: Action, id: Identity): string {
  return JSON.stringify([action, id.apiVersion, id.kind, id.namespace ?? '', id.name, id.uid])
}

export function parseItemKey (key: string): Item {
  const parts: unknown = JSON.parse(key)
  if (!Array.isArray(parts) || parts.length !== 6 || !parts.every(p => typeof p === 'string') || (parts[0] !== 'delete' && parts[0] !== 'orphan')) {
    throw new Error(`garbage collector: malformed key ${key}`)
  }
  const [action, apiVersion, kind, namespace, name, uid] = parts as string[]
  return { action: action as Action, identity: { apiVersion, kind, namespace: namespace || undefined, name, uid } }
}

export const describe = (id: Identity): string => `${id.kind} ${id.namespace === undefined ? '' : `${id.namespace}/`}${id.name} (${id.uid})`
