// etcdserverpb.Cluster: MemberList shows this one member; membership changes are refused by name
// (kine answers the same way: one member, URLs = the listen address).
import { header, type EtcdContext } from './context.ts'
import { unimplemented } from './errors.ts'

export function clusterService (ctx: EtcdContext) {
  return {
    async MemberList (_req: unknown) {
      const { memberId, name, clientUrl } = ctx.identity
      return {
        header: { ...header(ctx), revision: 0 },
        members: [{ ID: memberId, name, peerURLs: [clientUrl], clientURLs: [clientUrl], isLearner: false }],
      }
    },
    async MemberAdd (_req: unknown): Promise<never> { throw unimplemented('Cluster.MemberAdd') },
    async MemberRemove (_req: unknown): Promise<never> { throw unimplemented('Cluster.MemberRemove') },
    async MemberUpdate (_req: unknown): Promise<never> { throw unimplemented('Cluster.MemberUpdate') },
    async MemberPromote (_req: unknown): Promise<never> { throw unimplemented('Cluster.MemberPromote') },
  }
}
