// TCP forwarding on 127.0.0.1 host ports: the docker runtime's CNI portmap (a container's
// hostPort), klipper-lb's listener (a LoadBalancer port) and kube-proxy's NodePorts. All nodes of
// a k3sim cluster share this host's 127.0.0.1, so several claims may hold one port (one svclb pod
// per node, as on k3s): connections go round robin over the union of their targets.
import { createServer, connect, type Server, type Socket } from 'node:net'

export interface Target { host: string, port: number }

interface Claim { owner: string, targets: () => Target[] }

interface Listener { server: Server, claims: Map<string, Claim>, next: number, sockets: Set<Socket>, error?: string }

export class HostPorts {
  private readonly listeners = new Map<number, Listener>()
  private readonly host: string
  private readonly log: (msg: string) => void

  constructor (options: { host?: string, log?: (msg: string) => void } = {}) {
    this.host = options.host ?? '127.0.0.1'
    this.log = options.log ?? (() => {})
  }

  /**
   * Forward host port `port` to the claim's targets (asked at each connection). Resolves once
   * listening; rejects if the port is taken by another process. Returns the release function.
   */
  async claim (port: number, owner: string, targets: () => Target[]): Promise<() => void> {
    let l = this.listeners.get(port)
    if (l === undefined) {
      l = { server: createServer(), claims: new Map(), next: 0, sockets: new Set() }
      const listener = l
      listener.server.on('connection', socket => this.forward(listener, socket))
      this.listeners.set(port, listener)
      try {
        await new Promise<void>((resolve, reject) => {
          listener.server.once('error', reject)
          listener.server.listen(port, this.host, () => { listener.server.off('error', reject); resolve() })
        })
      } catch (err) {
        this.listeners.delete(port)
        throw new Error(`cannot listen on ${this.host}:${port}: ${(err as Error).message}`)
      }
    }
    l.claims.set(owner, { owner, targets })
    return () => this.release(port, owner)
  }

  ports (): number[] { return [...this.listeners.keys()] }

  /** Targets currently behind a port (for a `-p HOST:PORT` mapping onto a LoadBalancer port). */
  targetsOf (port: number): Target[] {
    const l = this.listeners.get(port)
    return l === undefined ? [] : unique([...l.claims.values()].flatMap(c => c.targets()))
  }

  async close (): Promise<void> {
    await Promise.all([...this.listeners.keys()].map(p => this.closeListener(p)))
  }

  private release (port: number, owner: string): void {
    const l = this.listeners.get(port)
    if (l === undefined || !l.claims.delete(owner)) return
    if (l.claims.size === 0) void this.closeListener(port)
  }

  private async closeListener (port: number): Promise<void> {
    const l = this.listeners.get(port)
    if (l === undefined) return
    this.listeners.delete(port)
    for (const s of l.sockets) s.destroy()
    await new Promise<void>(resolve => l.server.close(() => resolve()))
  }

  private forward (l: Listener, socket: Socket): void {
    const targets = unique([...l.claims.values()].flatMap(c => c.targets()))
    if (targets.length === 0) { socket.destroy(); return }
    const target = targets[l.next++ % targets.length]
    const upstream = connect(target.port, target.host)
    l.sockets.add(socket)
    l.sockets.add(upstream)
    const done = (): void => { socket.destroy(); upstream.destroy(); l.sockets.delete(socket); l.sockets.delete(upstream) }
    upstream.on('error', err => { this.log(`forward to ${target.host}:${target.port}: ${err.message}`); done() })
    socket.on('error', done)
    socket.on('close', done)
    upstream.on('close', done)
    socket.pipe(upstream)
    upstream.pipe(socket)
  }
}

function unique (targets: Target[]): Target[] {
  const seen = new Set<string>()
  return targets.filter(t => { const k = `${t.host}:${t.port}`; if (seen.has(k)) return false; seen.add(k); return true })
}

/**
 * CNI portmap for one node's containers: each TCP hostPort on the host forwards to the pod IP's
 * containerPort while the container runs (published at its start, released at its stop).
 */
export class PublishedPorts {
  private readonly held = new Map<string, Array<() => void>>()
  private readonly ports: HostPorts

  constructor (ports: HostPorts) { this.ports = ports }

  /** Throws the message of the first port that cannot be claimed (what was claimed stays held). */
  async publish (id: string, podIP: string, ports: ReadonlyArray<{ containerPort: number, hostPort?: number, protocol?: string }>): Promise<void> {
    for (const p of ports) {
      if (p.hostPort === undefined || p.hostPort === 0 || (p.protocol ?? 'TCP') !== 'TCP') continue
      try {
        const release = await this.ports.claim(p.hostPort, id, () => [{ host: podIP, port: p.containerPort }])
        this.held.set(id, [...this.held.get(id) ?? [], release])
      } catch (err) {
        throw new Error(`failed to publish hostPort ${p.hostPort}: ${(err as Error).message}`)
      }
    }
  }

  release (id: string): void {
    for (const release of this.held.get(id) ?? []) release()
    this.held.delete(id)
  }

  releaseAll (): void {
    for (const id of [...this.held.keys()]) this.release(id)
  }
}
