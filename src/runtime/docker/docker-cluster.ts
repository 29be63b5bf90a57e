// What a docker-runtime cluster owns in Docker, beyond single pods: the bridge network
// k3sim-<cluster> whose subnet is the cluster CIDR (10.42.0.0/16; node i's pods in 10.42.i.0/24,
// the gateway 10.42.255.254 on the host), the pause image, one Docker event stream dispatched to
// the node runtimes, the 127.0.0.1 host ports and kube-proxy. On connect it removes leftovers of
// a run that crashed (labelled with this cluster), so nothing is orphaned; close() removes what
// the cluster still owns: containers, volumes, the network.
import type { Client } from '../../client/client.ts'
import { DockerRuntime } from './docker-runtime.ts'
import { DockerEngine } from './engine.ts'
import { KubeProxy, type ServiceResolver } from './kube-proxy.ts'
import { LABEL, networkName } from './labels.ts'
import { ensurePauseImage } from './pause-image.ts'
import { HostPorts } from './port-forward.ts'

export const CLUSTER_CIDR = '10.42.0.0/16'
export const GATEWAY = '10.42.255.254'

export interface DockerClusterOptions {
  name: string
  /** Default: DOCKER_HOST or /var/run/docker.sock. */
  engine?: DockerEngine
  /** kube-proxy watches Services/Endpoints through it; without one no NodePort or LB traffic. */
  client?: Client
  /** The data dir, recorded on the network (k3sim image import writes there). */
  dataDir?: string
  /** `-p HOST:PORT@loadbalancer`: host port → the LoadBalancer port on 127.0.0.1. */
  loadBalancerPorts?: Array<{ hostPort: number, port: number }>
  log?: (msg: string) => void
  now?: () => number
}

export class DockerCluster {
  readonly name: string
  readonly engine: DockerEngine
  readonly network: string
  readonly ports: HostPorts
  private readonly runtimes = new Map<string, DockerRuntime>()
  private readonly proxy: KubeProxy | undefined
  private readonly o: DockerClusterOptions
  private stopEvents: (() => void) | undefined
  private networkId = ''
  private releases: Array<() => void> = []

  private constructor (o: DockerClusterOptions, engine: DockerEngine) {
    this.o = o
    this.name = o.name
    this.engine = engine
    this.network = networkName(o.name)
    this.ports = new HostPorts({ log: o.log })
    this.proxy = o.client === undefined ? undefined : new KubeProxy({ client: o.client, ports: this.ports, log: o.log })
  }

  /** Reach the daemon (a clear error if none answers), clean leftovers, set up the network. */
  static async connect (o: DockerClusterOptions): Promise<DockerCluster> {
    const engine = o.engine ?? new DockerEngine()
    await engine.ping()
    const c = new DockerCluster(o, engine)
    await c.removeLeftovers()
    await ensurePauseImage(engine)
    await c.createNetwork()
    c.stopEvents = await engine.events([`${LABEL.cluster}=${o.name}`], e => {
      if (e.status !== 'die') return
      c.runtimes.get(e.labels[LABEL.node] ?? '')?.containerDied(e.id, e.labels)
    })
    await c.proxy?.start()
    for (const m of o.loadBalancerPorts ?? []) {
      c.releases.push(await c.ports.claim(m.hostPort, `loadbalancer:${m.hostPort}`, () => c.ports.targetsOf(m.port)))
    }
    return c
  }

  get services (): ServiceResolver { return this.proxy ?? { endpoints: () => [] } }

  /** The runtime of one node (its containers carry the node's label). */
  runtime (nodeName: string): DockerRuntime {
    const r = new DockerRuntime({
      engine: this.engine, cluster: this.name, network: this.network, ports: this.ports, services: this.services, now: this.o.now ?? Date.now,
    }, nodeName)
    this.runtimes.set(nodeName, r)
    return r
  }

  /** After the node runtimes closed: anything left, the volumes, the network. */
  async close (): Promise<void> {
    for (const r of this.runtimes.values()) await r.close()
    this.runtimes.clear()
    this.stopEvents?.()
    this.proxy?.stop()
    for (const release of this.releases.splice(0)) release()
    await this.ports.close()
    await this.removeLeftovers()
  }

  private async removeLeftovers (): Promise<void> {
    const label = `${LABEL.cluster}=${this.name}`
    const containers = await this.engine.listContainers([label])
    await Promise.all(containers.map(c => this.engine.removeContainer(c.id)))
    for (const v of await this.engine.listVolumes([label])) await this.engine.removeVolume(v)
    for (const n of await this.engine.listNetworks([label])) await this.engine.removeNetwork(n.id)
    if (containers.length > 0) this.o.log?.(`docker: removed ${containers.length} container(s) left by an earlier run of cluster ${this.name}`)
  }

  private async createNetwork (): Promise<void> {
    try {
      this.networkId = await this.engine.createNetwork({
        name: this.network, subnet: CLUSTER_CIDR, gateway: GATEWAY,
        labels: { [LABEL.cluster]: this.name, [LABEL.kind]: 'network', ...(this.o.dataDir !== undefined ? { [LABEL.dataDir]: this.o.dataDir } : {}) },
      })
    } catch (err) {
      const users = (await this.engine.allNetworkSubnets()).filter(n => n.subnets.some(s => s.startsWith('10.42.'))).map(n => n.name)
      const why = users.length > 0 ? ` (Docker network ${users.join(', ')} already uses ${CLUSTER_CIDR}: stop that cluster first)` : ''
      throw new Error(`cannot create Docker network ${this.network} with subnet ${CLUSTER_CIDR}: ${(err as Error).message}${why}`)
    }
  }

  get networkID (): string { return this.networkId }
}
