// Server-side apply merges a list by structured-merge-diff's list-map keys, which for ports are
// two fields: a ServicePort by (port, protocol), a ContainerPort by (containerPort, protocol). The
// strategic merge that apply otherwise reuses keys them by the number alone (its patchMergeKey),
// so a manifest with 53/UDP and 53/TCP (kube-dns, coredns) applied over itself would fold the two
// into one. The lists the merge-key schema gives `listMapKeys` are merged here by those keys
// first, and handed to the strategic merge as a replacement (`$patch: replace`).
import { isObject, type KubeObject } from '../../api/object.ts'
import { listMapKeyTable, lookupPatchMeta } from '../patch/index.ts'

type Json = Record<string, any>

/** Per kind: the dotted paths (list indices left out) of lists with their own apply keys. */
const listMapPaths = new Map<string, Array<{ path: string[], keys: readonly string[] }>>()

function pathsOf (kind: string): Array<{ path: string[], keys: readonly string[] }> {
  let paths = listMapPaths.get(kind)
  if (paths === undefined) {
    paths = Object.entries(listMapKeyTable(kind)).map(([p, keys]) => ({ path: p.split('.'), keys }))
    listMapPaths.set(kind, paths)
  }
  return paths
}

/** The live items merged with the applied ones by `keys`: applied fields win, order is live's then new. */
function mergeByKeys (live: unknown, applied: Json[], keys: readonly string[]): Json[] {
  const id = (p: Json): string => JSON.stringify(keys.map(k => (k === 'protocol' ? p[k] ?? 'TCP' : p[k])))
  const byId = new Map(applied.filter(isObject).map(p => [id(p), p as Json]))
  const out: Json[] = []
  for (const p of Array.isArray(live) ? live.filter(isObject) as Json[] : []) {
    const mine = byId.get(id(p))
    out.push(mine === undefined ? p : { ...p, ...mine })
    byId.delete(id(p))
  }
  return [...out, ...byId.values()]
}

/** Walk `applied` and `live` along `path`, pairing list items by their merge key, and merge the list at its end. */
function visit (kind: string, applied: unknown, live: unknown, path: string[], at: number, keys: readonly string[]): void {
  if (!isObject(applied)) return
  const key = path[at]
  const liveValue = isObject(live) ? live[key] : undefined
  if (at === path.length - 1) {
    if (Array.isArray(applied[key])) applied[key] = [...mergeByKeys(liveValue, applied[key] as Json[], keys), { $patch: 'replace' }]
    return
  }
  const value = applied[key]
  if (!Array.isArray(value)) { visit(kind, value, liveValue, path, at + 1, keys); return }
  const mergeKey = lookupPatchMeta(kind, path.slice(0, at + 1).join('.')).mergeKey
  const liveItems = Array.isArray(liveValue) ? liveValue : []
  for (const item of value) {
    const match = mergeKey === undefined || !isObject(item) ? undefined : liveItems.find(l => isObject(l) && l[mergeKey] === item[mergeKey])
    visit(kind, item, match, path, at + 1, keys)
  }
}

/** `config` (the applied object, a private copy) with its list-map lists merged over `live`'s by their apply keys. */
export function withListMapKeys (config: KubeObject, live: KubeObject, kind: string | undefined): KubeObject {
  if (kind === undefined) return config
  for (const { path, keys } of pathsOf(kind)) visit(kind, config, live, path, 0, keys)
  return config
}
