// Test harness for the etcd facade: a store of each kind behind startEtcdServer, reached by the
// etcd3 npm client (a real etcd client) and by a raw grpc-js client built from our own protos,
// for checks of exact status codes and messages and of stream replies.
import * as grpc from '@grpc/grpc-js'
import { Etcd3 } from 'etcd3'
import type { Backend } from '../../src/store/backend.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend.ts'
import type { Clock } from '../../src/util/clock.ts'
import { loadProtos } from '../../src/etcd/grpc.ts'
import { startEtcdServer, type EtcdServer, type EtcdServerOptions } from '../../src/etcd/server.ts'

export type BackendKind = 'memory' | 'sqlite'
export const backendKinds: BackendKind[] = ['memory', 'sqlite']

export async function openTestBackend (kind: BackendKind, clock?: Clock): Promise<Backend> {
  return kind === 'memory' ? new MemoryBackend({ clock }) : SqliteBackend.open({ path: ':memory:', clock })
}

/** A grpc-js client of one etcd service, methods promisified for unary calls. */
export interface RawClient {
  unary<T = any>(method: string, request: object): Promise<T>
  duplex(method: string): grpc.ClientDuplexStream<object, any>
  close(): void
}

export interface Facade {
  backend: Backend
  server: EtcdServer
  client: Etcd3
  raw(service: 'KV' | 'Watch' | 'Lease' | 'Maintenance' | 'Cluster' | 'grpc.health.v1.Health'): RawClient
  close(): Promise<void>
}

export async function startFacade (options: { kind: BackendKind, clock?: Clock } & Partial<EtcdServerOptions>): Promise<Facade> {
  const backend = await openTestBackend(options.kind, options.clock)
  const server = await startEtcdServer({ ...options, backend, host: '127.0.0.1', port: 0 })
  const client = new Etcd3({ hosts: `127.0.0.1:${server.port}` })
  const raws: RawClient[] = []
  return {
    backend,
    server,
    client,
    raw: (service) => {
      const r = rawClient(server.port, service.includes('.') ? service : `etcdserverpb.${service}`)
      raws.push(r)
      return r
    },
    close: async () => {
      for (const r of raws) r.close()
      client.close()
      await server.close()
      await backend.close()
    },
  }
}

export function rawClient (port: number, servicePath: string): RawClient {
  let node: any = loadProtos()
  for (const part of servicePath.split('.')) node = node[part]
  const Ctor = node as grpc.ServiceClientConstructor
  const c = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as any
  return {
    unary: (method, request) => new Promise((resolve, reject) => {
      c[method](request, (err: grpc.ServiceError | null, res: any) => (err !== null ? reject(err) : resolve(res)))
    }),
    duplex: (method) => c[method](),
    close: () => c.close(),
  }
}

/** Collects a duplex stream's replies; `next()` waits for the following one. */
export function replies<T = any> (stream: grpc.ClientDuplexStream<object, T>): { next(): Promise<T>, all: T[] } {
  const all: T[] = []
  const waiting: Array<(v: T) => void> = []
  let read = 0
  stream.on('data', (msg: T) => {
    all.push(msg)
    const w = waiting.shift()
    if (w !== undefined) w(all[read++])
  })
  stream.on('error', () => {})
  return {
    all,
    next: () => (read < all.length ? Promise.resolve(all[read++]) : new Promise(resolve => waiting.push(resolve))),
  }
}

export const bytes = (s: string): Buffer => Buffer.from(s, 'latin1')
export const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1')

/** Expect a gRPC failure with this status code and exact message. */
export async function rejectsWith (p: Promise<unknown>, code: grpc.status, details: string): Promise<void> {
  try {
    await p
  } catch (err) {
    const e = err as grpc.ServiceError
    if (e.code !== code || e.details !== details) {
      throw new Error(`expected status ${grpc.status[code]} "${details}", got ${grpc.status[e.code] ?? e.code} "${e.details ?? e.message}"`)
    }
    return
  }
  throw new Error(`expected status ${grpc.status[code]} "${details}", but the call succeeded`)
}

export { grpc }
