// k3s's node controller, its CoreDNS part: the `coredns` ConfigMap's `NodeHosts` key holds one
// "<InternalIP> <node name>" line per node (CoreDNS's hosts plugin serves it, so pods resolve
// node names). k3s rewrites it on each node event, keeping every other well-formed line (two
// fields) and dropping the rest; it does nothing while the ConfigMap does not exist, and nothing
// with --disable coredns. Here one key converges it from the Node cache: a node's line is updated
// in place or appended, a deleted node's line removed, and the ConfigMap's creation triggers the
// first write (k3s waits for the next node event).
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../../controllers/types.ts'

const KEY = 'kube-system/coredns'

type Addresses = { addresses?: Array<{ type: string, address: string }> } | undefined

/** The node's first InternalIP, as k3s takes it ('' when it has none: no line). */
export function internalIP (node: KubeObject | undefined): string {
  return ((node?.status as Addresses)?.addresses ?? []).find(a => a.type === 'InternalIP')?.address ?? ''
}

/**
 * The new NodeHosts: `current`'s two-field lines in their order, each node's line set to its
 * address (new nodes appended, by name), the lines of `removed` nodes dropped; one line per host,
 * each ending in a newline, as k3s writes them.
 */
export function nodeHosts (current: string, nodes: ReadonlyMap<string, string>, removed: ReadonlySet<string>): string {
  const hosts = new Map<string, string>()
  for (const line of current.split('\n')) {
    const fields = line.trim().split(/\s+/)
    if (fields.length !== 2 || fields[0] === '') continue
    const [ip, host] = fields
    if (removed.has(host) && !nodes.has(host)) continue
    hosts.set(host, nodes.get(host) ?? ip)
  }
  for (const name of [...nodes.keys()].sort()) if (!hosts.has(name)) hosts.set(name, nodes.get(name)!)
  let out = ''
  for (const [host, ip] of hosts) out += `${ip} ${host}\n`
  return out
}

export function nodeHostsController (): ControllerDefinition {
  /** Nodes deleted since the last write: their lines go (other hosts' lines are kept). */
  const removed = new Set<string>()
  return {
    name: 'coredns-nodehosts',
    informers: {
      nodes: { apiVersion: 'v1', kind: 'Node' },
      configmaps: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', fieldSelector: 'metadata.name=coredns' },
    },
    events: [
      { informer: 'nodes', on: ['add'], keys: ({ obj }) => { removed.delete(obj.metadata.name!); return [KEY] } },
      { informer: 'nodes', on: ['update'], keys: ({ obj, old }) => (internalIP(obj) === internalIP(old) ? [] : [KEY]) },
      { informer: 'nodes', on: ['delete'], keys: ({ obj }) => { removed.add(obj.metadata.name!); return [KEY] } },
      { informer: 'configmaps', on: ['add'], keys: () => [KEY] },
    ],
    async sync (_key, ctx: ControllerContext) {
      const cm = ctx.lister('configmaps').get(KEY)
      if (cm === undefined) return
      const nodes = new Map<string, string>()
      for (const n of ctx.lister('nodes').list()) {
        const ip = internalIP(n)
        if (ip !== '') nodes.set(n.metadata.name!, ip)
      }
      const data = (cm as { data?: Record<string, string> }).data ?? {}
      const done = [...removed]
      const want = nodeHosts(data.NodeHosts ?? '', nodes, removed)
      if (want !== data.NodeHosts) {
        await ctx.client.update({ ...cm, metadata: { ...cm.metadata }, data: { ...data, NodeHosts: want } } as KubeObject)
      }
      for (const name of done) if (!nodes.has(name)) removed.delete(name)
    },
  }
}
