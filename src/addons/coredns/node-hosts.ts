// k3s's node controller, its CoreDNS part (pkg/node/controller.go, v1.32): the `coredns`
// ConfigMap's `NodeHosts` key maps addresses to names, one "<ip> <names>" line each, sorted by
// address (net.ParseIP's bytes), so that pods resolve node names through CoreDNS's hosts plugin.
// For a node, k3s drops the lines naming it first with another address of the same family,
// writes "<InternalIP> <node name> [<hostname if different>]" for its IPv4 and IPv6 addresses,
// and, once the node is deleted, drops its lines. Other lines are kept (comments cut, lines of
// fewer than two fields dropped). Nothing happens while the ConfigMap does not exist, nor with
// --disable coredns.
//
// k3s rewrites the ConfigMap per node event; here the nodes changed since the last write are
// applied in one pass, in event order, and written once (a batch of 250 joining nodes is one
// write, not 250). The ConfigMap's creation and edits trigger a pass over every node, which puts
// back what an edit removed (k3s waits for each node's next update).
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../../controllers/types.ts'

const KEY = 'kube-system/coredns'

type Addresses = { addresses?: Array<{ type: string, address: string }> } | undefined

/** What NodeHosts should say about one node: its InternalIPs and names (none when deleted). */
export interface NodeEntry { name: string, hostName: string, ipv4: string, ipv6: string, removed: boolean }

export function nodeEntry (node: KubeObject, removed = false): NodeEntry {
  const e: NodeEntry = { name: node.metadata.name!, hostName: '', ipv4: '', ipv6: '', removed }
  for (const a of (node.status as Addresses)?.addresses ?? []) {
    if (a.type === 'InternalIP') {
      if (a.address.includes(':')) e.ipv6 = a.address
      else e.ipv4 = a.address
    } else if (a.type === 'Hostname') e.hostName = a.address
  }
  return e
}

/** Parse NodeHosts as k3s does: address → names, comments cut, lines of < 2 fields dropped. */
export function parseNodeHosts (text: string): Map<string, string> {
  const hosts = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.split('#', 1)[0]
    const fields = line.split(/\s+/).filter(f => f !== '')
    if (fields.length < 2) continue
    hosts.set(fields[0], fields.slice(1).join(' '))
  }
  return hosts
}

/** updateCoreDNSConfigMap for one node, on the parsed map; returns whether it changed anything. */
export function applyNode (hosts: Map<string, string>, e: NodeEntry): boolean {
  const ipv4 = e.removed ? '' : e.ipv4
  const ipv6 = e.removed ? '' : e.ipv6
  if (!e.removed && ipv4 === '' && ipv6 === '') return false // k3s: "No InternalIP addresses found"
  const names = e.hostName !== '' && e.hostName !== e.name ? `${e.name} ${e.hostName}` : e.name
  let changed = false
  for (const [ip, line] of hosts) {
    if (line.split(' ', 1)[0] !== e.name) continue
    if (ip !== (ip.includes(':') ? ipv6 : ipv4)) { hosts.delete(ip); changed = true }
  }
  if (ipv4 !== '' && hosts.get(ipv4) !== names) { hosts.set(ipv4, names); changed = true }
  if (ipv6 !== '' && hosts.get(ipv6) !== names) { hosts.set(ipv6, names); changed = true }
  return changed || e.removed
}

/** Go's net.ParseIP as 16 bytes (IPv4 mapped), for sorting; invalid addresses sort first. */
function ipBytes (ip: string): number[] {
  if (!ip.includes(':')) {
    const parts = ip.split('.')
    if (parts.length !== 4 || parts.some(p => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return []
    return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...parts.map(Number)]
  }
  const [head, tail = ''] = ip.split('::')
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map(g => parseInt(g, 16)))
  const h = groups(head)
  const t = ip.includes('::') ? groups(tail) : []
  const all = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill(0), ...t]
  if (all.length !== 8 || all.some(g => Number.isNaN(g) || g > 0xffff)) return []
  return all.flatMap(g => [g >> 8, g & 0xff])
}

function compareBytes (a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

/** The NodeHosts text: one "<ip> <names>" line per address, sorted by address. */
export function formatNodeHosts (hosts: ReadonlyMap<string, string>): string {
  const keyed = [...hosts.keys()].map(ip => ({ ip, bytes: ipBytes(ip) }))
  keyed.sort((a, b) => compareBytes(a.bytes, b.bytes))
  let out = ''
  for (const { ip } of keyed) out += `${ip} ${hosts.get(ip)!}\n`
  return out
}

export function nodeHostsController (): ControllerDefinition {
  /** Nodes changed since the last pass, in event order (a deleted node with its last state). */
  const pending = new Map<string, NodeEntry>()
  let all = false
  const changed = (e: NodeEntry): string[] => { pending.delete(e.name); pending.set(e.name, e); return [KEY] }
  const ips = (n: KubeObject | undefined): string => {
    if (n === undefined) return ''
    const e = nodeEntry(n)
    return `${e.ipv4} ${e.ipv6} ${e.hostName}`
  }
  return {
    name: 'coredns-nodehosts',
    informers: {
      nodes: { apiVersion: 'v1', kind: 'Node' },
      configmaps: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', fieldSelector: 'metadata.name=coredns' },
    },
    events: [
      { informer: 'nodes', on: ['add'], keys: ({ obj }) => changed(nodeEntry(obj)) },
      { informer: 'nodes', on: ['update'], keys: ({ obj, old }) => (ips(obj) === ips(old) ? [] : changed(nodeEntry(obj))) },
      { informer: 'nodes', on: ['delete'], keys: ({ obj }) => changed(nodeEntry(obj, true)) },
      { informer: 'configmaps', on: ['add', 'update'], keys: () => { all = true; return [KEY] } },
    ],
    async sync (_key, ctx: ControllerContext) {
      if (ctx.lister('configmaps').get(KEY) === undefined) { pending.clear(); all = false; return }
      const entries = [...pending.values()]
      if (all) for (const n of ctx.lister('nodes').list()) if (!pending.has(n.metadata.name!)) entries.push(nodeEntry(n))
      pending.clear()
      all = false
      try {
        // Read, not the cache: a pass right after our own write must not work on the version before it.
        const cm = await ctx.client.get('v1', 'ConfigMap', 'kube-system', 'coredns')
        const data = (cm as { data?: Record<string, string> }).data ?? {}
        const hosts = parseNodeHosts(data.NodeHosts ?? '')
        let write = false
        for (const e of entries) if (applyNode(hosts, e)) write = true
        const text = formatNodeHosts(hosts)
        if (!write || text === data.NodeHosts) return
        await ctx.client.update({ ...cm, metadata: { ...cm.metadata }, data: { ...data, NodeHosts: text } } as KubeObject)
      } catch (err) {
        // Retried: the changes not yet written wait for the next pass (newer events win).
        for (const e of entries) if (!pending.has(e.name)) pending.set(e.name, e)
        throw err
      }
    },
  }
}
