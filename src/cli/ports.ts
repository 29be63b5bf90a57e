// Ports, as k3d takes them: `--api-port [HOST:]HOSTPORT`, `-p [HOST:][HOSTPORT:]CONTAINERPORT
// [/PROTOCOL][@NODEFILTER]` with k3d's node filters (`<group>[:<subset>[:<suffix>]]`), and the
// checks that a port is free before a cluster process is started on it.
import { createServer } from 'node:net'
import { CliError } from './output.ts'
import type { PortMapping } from './home.ts'

const PORT = /^\d{1,5}$/

function portNumber (text: string, what: string, flag: string): number {
  const n = Number(text)
  if (!PORT.test(text) || n < 1 || n > 65535) throw new CliError(`invalid ${what} "${text}" in ${flag}: use a port number 1-65535`)
  return n
}

/** `--api-port [HOST:]HOSTPORT` → host (default 127.0.0.1) and port. */
export function parseApiPort (value: string): { host: string, port: number } {
  const i = value.lastIndexOf(':')
  const host = i < 0 ? '127.0.0.1' : value.slice(0, i).replace(/^\[(.*)\]$/, '$1')
  if (i >= 0 && host === '') throw new CliError(`invalid --api-port "${value}": use [HOST:]HOSTPORT, e.g. 6550 or 127.0.0.1:6550`)
  return { host, port: portNumber(value.slice(i + 1), 'port', `--api-port "${value}"`) }
}

const GROUPS: Record<string, 'server' | 'agent' | 'loadbalancer' | 'all'> = { server: 'server', servers: 'server', agent: 'agent', agents: 'agent', loadbalancer: 'loadbalancer', all: 'all' }

/**
 * Check one node filter against the cluster's shape: `server:0`, `agents:*`, `agent:1,3`,
 * `agent:0-2`, `loadbalancer`, `all`, with an optional `:proxy`/`:direct` suffix.
 */
export function checkNodeFilter (filter: string, shape: { servers: number, agents: number }): string {
  const bad = (why: string): CliError => new CliError(`invalid node filter "${filter}": ${why}; use <group>[:<subset>[:<suffix>]], e.g. loadbalancer, server:0, agent:*, agent:1,3 or agent:0-2`)
  const [groupText, subset, suffix, ...rest] = filter.split(':')
  const group = GROUPS[groupText]
  if (group === undefined) throw bad(`unknown group "${groupText}" (server, agent, loadbalancer, all)`)
  if (rest.length > 0) throw bad('too many parts')
  if (suffix !== undefined && suffix !== 'proxy' && suffix !== 'direct') throw bad(`unknown suffix "${suffix}" (proxy, direct)`)
  if (subset === undefined || subset === '*' || subset === '') return filter
  if (group === 'loadbalancer' || group === 'all') throw bad(`group "${groupText}" takes no subset`)
  const count = group === 'server' ? shape.servers : shape.agents
  const indexes: number[] = []
  for (const part of subset.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (m === null) throw bad(`subset "${subset}" is not *, an index, a list (1,3) or a range (0-2)`)
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])]
    if (to < from) throw bad(`range "${part}" runs backwards`)
    for (let i = from; i <= to; i++) indexes.push(i)
  }
  const out = indexes.find(i => i >= count)
  if (out !== undefined) throw bad(`the cluster has ${count} ${group}${count === 1 ? '' : 's'}, so no ${group} ${out}`)
  return filter
}

/** `-p 8080:80@loadbalancer` → a recorded mapping (no filter: the load balancer, as k3d). */
export function parsePortMapping (value: string, shape: { servers: number, agents: number }): PortMapping {
  const [spec, ...filterParts] = value.split('@')
  const filters = filterParts.flatMap(f => f.split(';')).filter(f => f !== '')
  const [ports, protocolText = 'tcp'] = spec.split('/')
  const protocol = protocolText.toLowerCase()
  if (protocol !== 'tcp' && protocol !== 'udp') throw new CliError(`invalid protocol "${protocolText}" in --port "${value}": use tcp or udp`)
  const parts = ports.split(':')
  if (parts.length > 3 || parts.some(p => p === '')) throw new CliError(`invalid --port "${value}": use [HOST:][HOSTPORT:]CONTAINERPORT[/PROTOCOL][@NODEFILTER], e.g. 8080:80@loadbalancer`)
  const flag = `--port "${value}"`
  const containerPort = portNumber(parts[parts.length - 1], 'container port', flag)
  const hostPort = parts.length >= 2 ? portNumber(parts[parts.length - 2], 'host port', flag) : undefined
  const hostIP = parts.length === 3 ? parts[0] : undefined
  return { hostIP, hostPort, containerPort, protocol, nodeFilters: (filters.length === 0 ? ['loadbalancer'] : filters).map(f => checkNodeFilter(f, shape)) }
}

export function formatPortMapping (p: PortMapping): string {
  return `${p.hostIP === undefined ? '' : p.hostIP + ':'}${p.hostPort === undefined ? '' : String(p.hostPort) + ':'}${p.containerPort}/${p.protocol}@${p.nodeFilters.join(';')}`
}

/** Resolves with the error code when the port cannot be bound (EADDRINUSE, EACCES), else undefined. */
export function probePort (host: string, port: number): Promise<string | undefined> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)))
  })
}

/** A port the system has free now on `host`, not in `avoid` (ports other clusters keep). */
export async function freePort (host: string, avoid: Set<number>): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen({ host, port: 0 }, () => { const p = (server.address() as { port: number }).port; server.close(() => resolve(p)) })
    })
    if (!avoid.has(port)) return port
  }
}

export function portInUse (port: number, host: string, flag: string, code: string): CliError {
  const why = code === 'EADDRINUSE' ? 'is already in use (bind: address already in use)' : `cannot be bound (${code})`
  return new CliError(`port ${port} on ${host} ${why}; choose another with ${flag} PORT, or leave ${flag} out to get a free one`)
}

/** Two mappings of one host port and protocol cannot both be forwarded. */
export function checkPortClash (ports: PortMapping[]): PortMapping[] {
  const seen = new Set<string>()
  for (const p of ports) {
    if (p.hostPort === undefined) continue
    const key = `${p.hostIP ?? '0.0.0.0'}:${p.hostPort}/${p.protocol}`
    if (seen.has(key)) throw new CliError(`host port ${p.hostPort}/${p.protocol} is mapped twice; choose another host port for ${formatPortMapping(p)}`)
    seen.add(key)
  }
  return ports
}
