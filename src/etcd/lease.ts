// etcdserverpb.Lease over the store's leases. Lease IDs are int64 on the wire and JS numbers in
// the store: an ID above 2^53-1 is refused with InvalidArgument (wire.ts leaseIdToNumber).
import { isStoreError } from '../store/errors.ts'
import { header, type BidiStream, type EtcdContext } from './context.ts'
import { invalidRequest } from './errors.ts'
import { int64ToNumber, keyToBytes, leaseIdToNumber, type Int64, type WireHeader } from './wire.ts'

interface WireLeaseId { ID?: string | number }
export interface WireKeepAliveResponse { header: WireHeader, ID: Int64, TTL: Int64 }

export function leaseService (ctx: EtcdContext) {
  const { leases } = ctx.backend
  return {
    async LeaseGrant (req: { TTL?: string | number, ID?: string | number }) {
      const ttl = int64ToNumber(req.TTL, 'TTL')
      if (ttl < 0) throw invalidRequest(`etcdserver: lease TTL ${ttl} must not be negative`)
      const id = leaseIdToNumber(req.ID)
      const r = await leases.grant({ ttl, id: id === 0 ? undefined : id })
      return { header: header(ctx, r.revision), ID: r.id, TTL: r.ttl, error: '' }
    },

    async LeaseRevoke (req: WireLeaseId) {
      const r = await leases.revoke(leaseIdToNumber(req.ID))
      return { header: header(ctx, r.revision) }
    },

    /**
     * etcd (v3rpc/lease.go) answers an unknown lease with TTL -1 rather than an error; etcdctl
     * then prints "lease ... already expired".
     */
    async LeaseTimeToLive (req: WireLeaseId & { keys?: boolean }) {
      const id = leaseIdToNumber(req.ID)
      try {
        const info = await leases.timeToLive(id)
        const keys = req.keys === true ? info.keys.map(keyToBytes) : []
        return { header: header(ctx), ID: info.id, TTL: info.remaining, grantedTTL: info.ttl, keys }
      } catch (err) {
        if (!isStoreError(err, 'lease-not-found')) throw err
        return { header: header(ctx), ID: id, TTL: -1, grantedTTL: 0, keys: [] }
      }
    },

    async LeaseLeases (_req: unknown) {
      const ids = await leases.list()
      return { header: header(ctx), leases: ids.map(ID => ({ ID })) }
    },

    /**
     * One response per request, in order. As in etcd, an unknown lease is answered with TTL 0
     * (not an error, which would end every other lease's keep-alive on the stream); so is an ID
     * above 2^53-1, which cannot name a lease here.
     */
    LeaseKeepAlive (stream: BidiStream<WireLeaseId, WireKeepAliveResponse>): void {
      let queue = Promise.resolve()
      stream.onMessage((req) => {
        queue = queue.then(async () => {
          if (stream.closed) return
          let id: number | undefined
          let ttl = 0
          try {
            id = leaseIdToNumber(req.ID)
            ttl = (await leases.keepAlive(id)).ttl
          } catch (err) {
            if (!isStoreError(err, 'lease-not-found') && id !== undefined) throw err
          }
          await stream.send({ header: header(ctx), ID: id ?? String(req.ID), TTL: ttl })
        }).catch(err => stream.fail(err))
      })
    },
  }
}
