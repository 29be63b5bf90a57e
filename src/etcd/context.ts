// What every etcd service handler shares: the store, the clock, this member's identity and the
// response header. Also the small stream interface the streaming services (Watch, LeaseKeepAlive)
// are written against, so only server.ts knows grpc-js.
import { createHash } from 'node:crypto'
import type { Backend } from '../store/backend.ts'
import type { Clock } from '../util/clock.ts'
import type { WireHeader } from './wire.ts'

/**
 * The raft term a freshly started single-member etcd reports (it elects itself in term 2); with no
 * raft here it never changes.
 */
export const RAFT_TERM = 2

/** etcd version we claim, as kine v0.14 does (k3s v1.32). */
export const ETCD_VERSION = '3.5.13'

export interface Identity {
  /** uint64 as a decimal string. */
  clusterId: string
  memberId: string
  name: string
  /** e.g. http://127.0.0.1:2379 */
  clientUrl: string
}

export interface EtcdContext {
  backend: Backend
  clock: Clock
  identity: Identity
  /** Watch progress_notify period, ms (etcd: 10 minutes). */
  progressNotifyInterval: number
  /** Per-watch store buffer (WatchOptions.maxBuffered); undefined = the store's default. */
  watchBufferSize?: number
}

/**
 * A member and cluster id that stay the same for one listen address, as etcd's do for one
 * configuration (etcd hashes peer URLs and cluster name); never 0, which means "none" in etcd.
 */
export function identityFor (options: { host: string, port: number, name: string }): Identity {
  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`
  return {
    clusterId: hash64(`k3sim cluster ${address}`),
    memberId: hash64(`k3sim member ${options.name} ${address}`),
    name: options.name,
    clientUrl: `http://${address}`,
  }
}

function hash64 (text: string): string {
  const n = createHash('sha256').update(text).digest().readBigUInt64BE(0)
  return (n === 0n ? 1n : n).toString()
}

/** The header of every response; `revision` 0 for calls that do not touch the key space. */
export function header (ctx: EtcdContext, revision: number = ctx.backend.revision): WireHeader {
  return { cluster_id: ctx.identity.clusterId, member_id: ctx.identity.memberId, revision, raft_term: RAFT_TERM }
}

/** A bidirectional stream as the services see it. */
export interface BidiStream<Req, Res> {
  /** Called for each client message, in order. */
  onMessage(fn: (req: Req) => void): void
  /** Called once when the call ends for any reason (client cancel, error, server end). */
  onClose(fn: () => void): void
  /** Write one message; resolves once gRPC flow control can take more (or the call is over). */
  send(res: Res): Promise<void>
  /** End the call with status OK. */
  end(): void
  /** End the call with the etcd error for `err` (errors.ts toEtcdError). */
  fail(err: unknown): void
  readonly closed: boolean
}
