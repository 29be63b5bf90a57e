// Ports, as k3d takes them: `--api-port [HOST:]HOSTPORT`, `-p [HOST:][HOSTPORT:]CONTAINERPORT
// [/PROTOCOL][@NODEFILTER]` with k3d's node filters (node-filter.ts), and the
// checks that a port is free before a cluster process is started on it.
import { createServer } from 'node:net'
import { checkNodeFilter } from './node-filter.ts'
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
