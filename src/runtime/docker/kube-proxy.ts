// What kube-proxy does for a docker-runtime cluster, in user space on 127.0.0.1: it watches
// Services and Endpoints through the Client, serves every NodePort on 127.0.0.1:<nodePort>, and
// answers klipper-lb's question "where do connections to ClusterIP:port go?" with the ready
// endpoints (pod IP : target port) behind that Service port.
import type { KubeObject } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'
import { Informer } from '../../client/informer.ts'
import type { HostPorts, Target } from './port-forward.ts'

type Json = Record<string, any>

export interface ServiceResolver {
  /** Ready endpoints behind ClusterIP:port (or, with `nodePort`, behind that NodePort). */
  endpoints (query: { clusterIP?: string, port?: number, nodePort?: number }): Target[]
}

export class KubeProxy implements ServiceResolver {
  private readonly services: Informer
  private readonly endpointsInformer: Informer
  private readonly ports: HostPorts
  private readonly nodePorts = new Map<number, () => void>()
  private readonly log: (msg: string) => void

  constructor (options: { client: Client, ports: HostPorts, log?: (msg: string) => void }) {
    this.ports = options.ports
    this.log = options.log ?? (() => {})
    this.services = new Informer({ client: options.client, apiVersion: 'v1', kind: 'Service' })
    this.endpointsInformer = new Informer({ client: options.client, apiVersion: 'v1', kind: 'Endpoints' })
    const sync = (): void => { void this.syncNodePorts() }
    this.services.addHandlers({ add: sync, update: sync, delete: sync })
  }

  async start (): Promise<void> {
    await Promise.all([this.services.start(), this.endpointsInformer.start()])
    await this.syncNodePorts()
  }

  stop (): void {
    this.services.stop()
    this.endpointsInformer.stop()
    for (const release of this.nodePorts.values()) release()
    this.nodePorts.clear()
  }

  endpoints (query: { clusterIP?: string, port?: number, nodePort?: number }): Target[] {
    for (const svc of this.services.list() as Array<KubeObject & Json>) {
      const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP !== undefined ? [svc.spec.clusterIP] : [])
      for (const p of (svc.spec?.ports ?? []) as Json[]) {
        if ((p.protocol ?? 'TCP') !== 'TCP') continue
        const match = query.nodePort !== undefined
          ? p.nodePort === query.nodePort
          : ips.includes(query.clusterIP ?? '') && p.port === query.port
        if (match) return this.ready(svc, p)
      }
    }
    return []
  }

  /** Ready addresses of the Service's Endpoints, at the endpoint port named like the service port. */
  private ready (svc: KubeObject, port: Json): Target[] {
    const ep = this.endpointsInformer.get(`${svc.metadata.namespace}/${svc.metadata.name}`) as Json | undefined
    const out: Target[] = []
    for (const subset of (ep?.subsets ?? []) as Json[]) {
      const epPort = ((subset.ports ?? []) as Json[]).find(x => (x.name ?? '') === (port.name ?? '') && (x.protocol ?? 'TCP') === 'TCP')
      if (epPort === undefined) continue
      for (const a of (subset.addresses ?? []) as Json[]) out.push({ host: a.ip, port: epPort.port })
    }
    return out
  }

  private async syncNodePorts (): Promise<void> {
    const wanted = new Set<number>()
    for (const svc of this.services.list() as readonly Json[]) {
      if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') continue
      for (const p of (svc.spec.ports ?? []) as Json[]) if (p.nodePort !== undefined && (p.protocol ?? 'TCP') === 'TCP') wanted.add(p.nodePort)
    }
    for (const [port, release] of this.nodePorts) if (!wanted.has(port)) { release(); this.nodePorts.delete(port) }
    for (const port of wanted) {
      if (this.nodePorts.has(port)) continue
      this.nodePorts.set(port, () => {})
      try {
        this.nodePorts.set(port, await this.ports.claim(port, 'kube-proxy', () => this.endpoints({ nodePort: port })))
      } catch (err) {
        this.nodePorts.delete(port)
        this.log(`kube-proxy: NodePort ${port}: ${(err as Error).message}`)
      }
    }
  }
}
