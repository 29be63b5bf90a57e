// klipper-lb, the image of servicelb's svclb pods, run in process. The real one (rancher/
// klipper-lb) DNATs its hostPort to the Service's ClusterIPs with iptables; here no registry is
// reachable and nodes share 127.0.0.1, so the docker runtime provides that image itself: a
// "container" whose process claims 127.0.0.1:<hostPort> and forwards each TCP connection to the
// ready endpoints behind DEST_IPS:DEST_PORT (round robin) — what iptables + kube-proxy do on k3s.
import { randomBytes } from 'node:crypto'
import { LogBuffer } from '../fake/logs.ts'
import { parseImage } from '../images.ts'
import type { ContainerConfig, ContainerStatus, PodRef } from '../runtime.ts'
import type { ServiceResolver } from './kube-proxy.ts'
import type { HostPorts } from './port-forward.ts'

export const KLIPPER_REPOSITORY = 'docker.io/rancher/klipper-lb'

export const isKlipperImage = (image: string): boolean => {
  try { return parseImage(image).repository === KLIPPER_REPOSITORY } catch { return false }
}

/** A stable, plausible image ID for the built-in image (the same for every tag). */
export const KLIPPER_IMAGE_ID = `sha256:${Buffer.from('k3sim built-in klipper-lb image, forwarding in process').toString('hex').padEnd(64, '0').slice(0, 64)}`

export interface KlipperContext {
  ports: HostPorts
  services: ServiceResolver
  now: () => number
  /** Called when the process ends by itself (its port was taken). */
  onExit: (p: KlipperProcess) => void
}

export class KlipperProcess {
  readonly hex = randomBytes(32).toString('hex')
  readonly logs = new LogBuffer()
  readonly createdAt: number
  state: ContainerStatus['state'] = 'created'
  startedAt?: number
  finishedAt?: number
  exitCode?: number
  private releases: Array<() => void> = []
  readonly sandboxId: string
  readonly config: ContainerConfig
  readonly pod: PodRef
  private readonly ctx: KlipperContext

  constructor (ctx: KlipperContext, sandboxId: string, config: ContainerConfig, pod: PodRef) {
    this.ctx = ctx
    this.sandboxId = sandboxId
    this.config = config
    this.pod = pod
    this.createdAt = ctx.now()
  }

  async start (): Promise<void> {
    this.state = 'running'
    this.startedAt = this.ctx.now()
    const env = new Map((this.config.env ?? []).map(e => [e.name, e.value]))
    const destPort = Number(env.get('DEST_PORT'))
    const destIPs = (env.get('DEST_IPS') ?? '').split(/[ ,]+/).filter(s => s !== '')
    const proto = env.get('DEST_PROTO') ?? 'TCP'
    const say = (line: string): void => this.logs.append(this.ctx.now(), line)
    if (proto !== 'TCP') { say(`k3sim klipper-lb: ${proto} is not forwarded (TCP only); idling`); return }
    const targets = (): ReturnType<ServiceResolver['endpoints']> => {
      const byIP = destIPs.flatMap(ip => this.ctx.services.endpoints({ clusterIP: ip, port: destPort }))
      return byIP.length > 0 ? byIP : this.ctx.services.endpoints({ nodePort: destPort })
    }
    for (const p of this.config.ports ?? []) {
      if (p.hostPort === undefined || (p.protocol ?? 'TCP') !== 'TCP') continue
      try {
        this.releases.push(await this.ctx.ports.claim(p.hostPort, this.hex, targets))
        say(`k3sim klipper-lb: forwarding 127.0.0.1:${p.hostPort}/TCP to ${destIPs.join(',')}:${destPort} (ready endpoints, round robin)`)
      } catch (err) {
        say(`k3sim klipper-lb: ${(err as Error).message}`)
        this.finish(1)
        this.ctx.onExit(this)
        return
      }
    }
  }

  /** SIGTERM: klipper-lb's entry script traps it and exits 0 at once. */
  stop (): void {
    if (this.state === 'running') this.finish(0)
  }

  private finish (exitCode: number): void {
    for (const release of this.releases.splice(0)) release()
    this.state = 'exited'
    this.exitCode = exitCode
    this.finishedAt = this.ctx.now()
    this.logs.end()
  }

  status (): ContainerStatus {
    const name = parseImage(this.config.image)
    const s: ContainerStatus = {
      id: `containerd://${this.hex}`, sandboxId: this.sandboxId, name: this.config.name, attempt: this.config.attempt,
      state: this.state, createdAt: this.createdAt, image: name.normalized, imageRef: `${name.repository}@${KLIPPER_IMAGE_ID}`,
    }
    if (this.startedAt !== undefined) s.startedAt = this.startedAt
    if (this.finishedAt !== undefined) { s.finishedAt = this.finishedAt; s.exitCode = this.exitCode; s.reason = this.exitCode === 0 ? 'Completed' : 'Error' }
    return s
  }
}
