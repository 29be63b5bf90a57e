// The etcd v3 API of a k3sim store: KV, Watch, Lease, Maintenance (Status), Cluster (MemberList)
// and gRPC health, served by grpc-js over any `Backend`. What k3s's kine does for k3s, on the wire
// of etcd v3.5: etcdctl, clientv3 and the etcd3 npm client see a one-member etcd cluster.
import * as grpc from '@grpc/grpc-js'
import type { Backend } from '../store/backend.ts'
import { RealClock, type Clock } from '../util/clock.ts'
import { clusterService } from './cluster.ts'
import { identityFor, type BidiStream, type EtcdContext } from './context.ts'
import { EtcdError, Status } from './errors.ts'
import { implement, serviceDefinition, type CallTracker, type Handlers } from './grpc.ts'
import { kvService } from './kv.ts'
import { leaseService } from './lease.ts'
import { maintenanceService } from './maintenance.ts'
import { watchService } from './watch.ts'

export interface EtcdServerOptions {
  backend: Backend
  /** Listen host; default 127.0.0.1 (loopback only, like k3s's kine socket). */
  host?: string
  /** Listen port; default 2379; 0 picks a free port (see the returned `port`). */
  port?: number
  clock?: Clock
  /** Member name shown by `etcdctl member list`; default "k3sim". */
  name?: string
  /** Watch progress_notify period in ms; default 10 minutes, as etcd. */
  progressNotifyInterval?: number
  /** Events the store may buffer per watch for a client that does not read; default: the store's. */
  watchBufferSize?: number
}

export interface EtcdServer {
  host: string
  port: number
  /** http://host:port, as etcd advertises client URLs. */
  url: string
  /** Stop accepting calls, end watch and keep-alive streams, wait for in-flight calls. The backend stays open. */
  close(): Promise<void>
}

export async function startEtcdServer (options: EtcdServerOptions): Promise<EtcdServer> {
  const host = options.host ?? '127.0.0.1'
  const clock = options.clock ?? new RealClock()
  const server = new grpc.Server()
  let accepting = true
  const inflight = new Set<Promise<unknown>>()
  const streams = new Set<BidiStream<unknown, unknown>>()
  const tracker: CallTracker = {
    accepting: () => accepting,
    unary: (p) => {
      inflight.add(p)
      void p.catch(() => {}).finally(() => inflight.delete(p))
    },
    stream: (s) => {
      streams.add(s)
      s.onClose(() => streams.delete(s))
    },
  }

  const hostPort = host.includes(':') ? `[${host}]:${options.port ?? 2379}` : `${host}:${options.port ?? 2379}`
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort, grpc.ServerCredentials.createInsecure(), (err, bound) => (err !== null ? reject(err) : resolve(bound)))
  })
  // The identity depends on the bound port, so the services are added once it is known (grpc-js
  // looks handlers up per call; nothing can have connected to a port 0 listener before now).
  const ctx: EtcdContext = {
    backend: options.backend,
    clock,
    identity: identityFor({ host, port, name: options.name ?? 'k3sim' }),
    progressNotifyInterval: options.progressNotifyInterval ?? 10 * 60_000,
    watchBufferSize: options.watchBufferSize,
  }
  const services: Array<[string, Handlers]> = [
    ['etcdserverpb.KV', kvService(ctx)],
    ['etcdserverpb.Watch', watchService(ctx)],
    ['etcdserverpb.Lease', leaseService(ctx)],
    ['etcdserverpb.Maintenance', maintenanceService(ctx)],
    ['etcdserverpb.Cluster', clusterService(ctx)],
    ['grpc.health.v1.Health', healthService()],
  ]
  for (const [path, handlers] of services) server.addService(serviceDefinition(path), implement(serviceDefinition(path), handlers, tracker))

  let closing: Promise<void> | undefined
  return {
    host,
    port,
    url: ctx.identity.clientUrl,
    close: () => {
      closing ??= (async () => {
        accepting = false
        for (const s of [...streams]) s.end()
        await Promise.allSettled([...inflight])
        await new Promise<void>((resolve) => {
          // every call has ended; the grace timer only covers clients that keep a session open
          const grace = clock.setTimeout(() => { server.forceShutdown(); resolve() }, 2000)
          server.tryShutdown(() => { grace.cancel(); resolve() })
        })
      })()
      return closing
    },
  }
}

/** grpc.health.v1: the server as a whole ("") is SERVING, as etcd reports. */
function healthService (): Handlers {
  const SERVING = { status: 'SERVING' }
  const known = (service: string | undefined): boolean => service === undefined || service === ''
  return {
    Check: async (req: { service?: string }) => {
      if (!known(req.service)) throw new EtcdError(Status.NOT_FOUND, 'unknown service')
      return SERVING
    },
    // server-streaming: one status now; it never changes while the server runs
    Watch: ((call: grpc.ServerWritableStream<{ service?: string }, unknown>) => {
      call.write(known(call.request.service) ? SERVING : { status: 'SERVICE_UNKNOWN' })
    }) as unknown as Handlers[string],
  }
}
