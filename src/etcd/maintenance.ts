// etcdserverpb.Maintenance: Status, and an always-empty alarm list; the rest are refused by name.
// (Snapshot, a server stream, has no handler: grpc.ts refuses it by name.)
// Status is what `etcdctl endpoint status` prints: one member that is its own leader.
import { header, ETCD_VERSION, RAFT_TERM, type EtcdContext } from './context.ts'
import { unimplemented } from './errors.ts'

export function maintenanceService (ctx: EtcdContext) {
  return {
    async Status (_req: unknown) {
      const s = await ctx.backend.status()
      return {
        header: header(ctx, s.revision),
        version: ETCD_VERSION,
        dbSize: s.dbSize,
        leader: ctx.identity.memberId,
        // no raft log here: the store's revision is the closest thing to a commit index
        raftIndex: s.revision,
        raftTerm: RAFT_TERM,
        raftAppliedIndex: s.revision,
        errors: [],
        dbSizeInUse: s.dbSizeInUse,
        isLearner: false,
      }
    },

    /**
     * GET answers "no alarms" (k3sim never raises NOSPACE or CORRUPT): etcdctl v3.5's
     * `endpoint health` reads the alarm list and reports unhealthy if it cannot.
     */
    async Alarm (req: { action?: string }) {
      if ((req.action ?? 'GET') !== 'GET') throw unimplemented(`Alarm ${req.action ?? ''}`.trim())
      return { header: header(ctx), alarms: [] }
    },

    async Defragment (_req: unknown): Promise<never> { throw unimplemented('Maintenance.Defragment') },
    async Hash (_req: unknown): Promise<never> { throw unimplemented('Maintenance.Hash') },
    async HashKV (_req: unknown): Promise<never> { throw unimplemented('Maintenance.HashKV') },
    async MoveLeader (_req: unknown): Promise<never> { throw unimplemented('Maintenance.MoveLeader') },
    async Downgrade (_req: unknown): Promise<never> { throw unimplemented('Maintenance.Downgrade') },
  }
}
