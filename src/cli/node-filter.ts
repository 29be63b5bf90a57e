// k3d's node filters, the `@NODEFILTER` of -p, --k3s-arg and --k3s-node-label:
// `<group>[:<subset>[:<suffix>]]` with group server(s), agent(s), loadbalancer or all; subset *,
// an index, a list (1,3) or a range (0-2); suffix proxy or direct (port mappings only). Several
// filters are joined with ';'. A filter is checked against the cluster's shape, so `agent:2` of a
// two-agent cluster is refused before anything is created.
import { CliError } from './output.ts'

export interface NodeShape { servers: number, agents: number }

/** What a set of filters selects: server and agent indexes, and whether the load balancer. */
export interface NodeSelection { servers: number[], agents: number[], loadbalancer: boolean }

const GROUPS: Record<string, 'server' | 'agent' | 'loadbalancer' | 'all'> = { server: 'server', servers: 'server', agent: 'agent', agents: 'agent', loadbalancer: 'loadbalancer', all: 'all' }

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

function select (filter: string, shape: NodeShape): NodeSelection & { suffix?: string } {
  const bad = (why: string): CliError => new CliError(`invalid node filter "${filter}": ${why}; use <group>[:<subset>[:<suffix>]], e.g. loadbalancer, server:0, agent:*, agent:1,3 or agent:0-2`)
  const [groupText, subset, suffix, ...rest] = filter.split(':')
  const group = GROUPS[groupText]
  if (group === undefined) throw bad(`unknown group "${groupText}" (server, agent, loadbalancer, all)`)
  if (rest.length > 0) throw bad('too many parts')
  if (suffix !== undefined && suffix !== 'proxy' && suffix !== 'direct') throw bad(`unknown suffix "${suffix}" (proxy, direct)`)
  const all = { servers: range(shape.servers), agents: range(shape.agents), loadbalancer: true, suffix }
  if (group === 'all' || group === 'loadbalancer') {
    if (subset !== undefined && subset !== '*' && subset !== '') throw bad(`group "${groupText}" takes no subset`)
    return group === 'all' ? all : { servers: [], agents: [], loadbalancer: true, suffix }
  }
  const count = group === 'server' ? shape.servers : shape.agents
  let indexes = range(count)
  if (subset !== undefined && subset !== '*' && subset !== '') {
    indexes = []
    for (const part of subset.split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part)
      if (m === null) throw bad(`subset "${subset}" is not *, an index, a list (1,3) or a range (0-2)`)
      const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])]
      if (to < from) throw bad(`range "${part}" runs backwards`)
      // Checked before the range is spelled out: `agent:0-300000000` is refused, not listed.
      const out = from >= count ? from : to >= count ? count : undefined
      if (out !== undefined) throw bad(`the cluster has ${count} ${group}${count === 1 ? '' : 's'}, so no ${group} ${out}`)
      for (let i = from; i <= to; i++) indexes.push(i)
    }
  }
  return { servers: group === 'server' ? indexes : [], agents: group === 'agent' ? indexes : [], loadbalancer: false, suffix }
}

/** Check one filter against the cluster's shape; returns it unchanged. */
export function checkNodeFilter (filter: string, shape: NodeShape): string {
  select(filter, shape)
  return filter
}

/**
 * The nodes a flag's filters select. `flag` names the flag in the refusal of a suffix, which
 * only port mappings take (k3d: the suffix says how the load balancer forwards a port).
 */
export function filterNodes (filters: string[], shape: NodeShape, flag: string): NodeSelection {
  const out: NodeSelection = { servers: [], agents: [], loadbalancer: false }
  for (const f of filters) {
    const s = select(f, shape)
    if (s.suffix !== undefined) throw new CliError(`invalid node filter "${f}" in ${flag}: the suffix ":${s.suffix}" is for port mappings only; leave it out`)
    out.servers.push(...s.servers.filter(i => !out.servers.includes(i)))
    out.agents.push(...s.agents.filter(i => !out.agents.includes(i)))
    out.loadbalancer ||= s.loadbalancer
  }
  out.servers.sort((a, b) => a - b)
  out.agents.sort((a, b) => a - b)
  return out
}

/**
 * k3d's SplitFiltersFromFlag: `VALUE@FILTER[;FILTER...]` → the value and its filters (none when
 * there is no '@'); a literal '@' in the value is written '\@'.
 */
export function splitNodeFilters (text: string, flag: string): { value: string, filters: string[] } {
  const parts = text.split(/(?<!\\)@/).map(p => p.replace(/\\@/g, '@'))
  if (parts.length === 1) return { value: parts[0], filters: [] }
  if (parts.length > 2) throw new CliError(`invalid ${flag} "${text}": only one unescaped '@' allowed for node filter(s) (escape a literal '@' with '\\')`)
  const filters = parts[1].split(';').filter(f => f !== '')
  if (filters.length === 0) throw new CliError(`invalid ${flag} "${text}": it has an '@' but no node filter after it; add one, e.g. @server:0, or escape a literal '@' with '\\'`)
  return { value: parts[0], filters }
}
