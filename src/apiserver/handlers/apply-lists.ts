// Server-side apply merges a list of ports by structured-merge-diff's list-map keys, which for
// ports are two fields: a ServicePort by (port, protocol), a ContainerPort by (containerPort,
// protocol). The strategic merge that apply otherwise reuses keys them by the number alone (its
// patchMergeKey), so a manifest with 53/UDP and 53/TCP (kube-dns, coredns) applied over itself
// would fold the two into one. These lists are merged here by both keys first, and handed to the
// strategic merge as a replacement (`$patch: replace`).
import { isObject, type KubeObject } from '../../api/object.ts'

type Json = Record<string, any>

/** Where a kind's pod spec is (the containers' lists are in it). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}

const at = (obj: unknown, path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), obj)

/** The live items merged with the applied ones by (key, protocol): applied fields win, order is live's then new. */
function mergePorts (live: unknown, applied: Json[], key: string): Json[] {
  const id = (p: Json): string => JSON.stringify([p[key], p.protocol ?? 'TCP'])
  const byId = new Map(applied.filter(isObject).map(p => [id(p), p]))
  const out: Json[] = []
  for (const p of Array.isArray(live) ? live.filter(isObject) : []) {
    const mine = byId.get(id(p))
    out.push(mine === undefined ? p : { ...p, ...mine })
    byId.delete(id(p))
  }
  return [...out, ...byId.values()]
}

function replacePorts (applied: Json, live: unknown, key: string): void {
  if (!Array.isArray(applied.ports)) return
  applied.ports = [...mergePorts(isObject(live) ? live.ports : undefined, applied.ports, key), { $patch: 'replace' }]
}

/** `config` (the applied object, a private copy) with its port lists merged over `live`'s by both keys. */
export function withPortListMaps (config: KubeObject, live: KubeObject, kind: string | undefined): KubeObject {
  if (kind === 'Service' && isObject(config.spec)) replacePorts(config.spec, live.spec, 'port')
  const path = kind === undefined ? undefined : POD_SPEC_PATHS[kind]
  if (path === undefined) return config
  const spec = at(config, path)
  const liveSpec = at(live, path)
  if (!isObject(spec)) return config
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    if (!Array.isArray(spec[list])) continue
    const liveList = isObject(liveSpec) && Array.isArray(liveSpec[list]) ? liveSpec[list] as Json[] : []
    for (const c of spec[list]) if (isObject(c)) replacePorts(c, liveList.find(l => isObject(l) && l.name === c.name), 'containerPort')
  }
  return config
}
