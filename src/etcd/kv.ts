// etcdserverpb.KV: Range, Put, DeleteRange, Txn, Compact over the store. Every write is one store
// transaction, so a Put with prev_kv reads and writes atomically, as in etcd.
import { checkRevision, planRange, requestedRevision, type WireRangeRequest, type WireRangeResponse } from './kv-range.ts'
import { deleteResponse, planDelete, planPut, putResponse, type WireDeleteRangeRequest, type WireDeleteRangeResponse, type WirePutRequest, type WirePutResponse } from './ops.ts'
import { planTxn, type WireTxnRequest, type WireTxnResponse } from './txn.ts'
import { header, type EtcdContext } from './context.ts'
import { int64ToNumber, type WireHeader } from './wire.ts'

export interface WireCompactionRequest { revision?: string | number, physical?: boolean }

export function kvService (ctx: EtcdContext) {
  const { backend } = ctx
  return {
    async Range (req: WireRangeRequest): Promise<WireRangeResponse> {
      const plan = planRange(req)
      if (plan.options === undefined) {
        checkRevision(backend, requestedRevision(req))
        return { header: header(ctx), ...plan.finish(undefined) }
      }
      const result = await backend.range(plan.options)
      return { header: header(ctx, result.revision), ...plan.finish(result) }
    },

    async Put (req: WirePutRequest): Promise<WirePutResponse> {
      const r = await backend.txn({ compare: [], success: [planPut(req)], failure: [] })
      const put = r.results[0]
      return { header: header(ctx, r.revision), ...putResponse(req, put !== undefined && 'put' in put ? put.put : {}) }
    },

    async DeleteRange (req: WireDeleteRangeRequest): Promise<WireDeleteRangeResponse> {
      const op = planDelete(req)
      if (op === undefined) return { header: header(ctx), deleted: 0, prev_kvs: [] }
      const r = await backend.txn({ compare: [], success: [op], failure: [] })
      const del = r.results[0]
      return { header: header(ctx, r.revision), ...deleteResponse(req, del !== undefined && 'delete' in del ? del.delete : { deleted: 0, prevKvs: [] }) }
    },

    async Txn (req: WireTxnRequest): Promise<WireTxnResponse> {
      const plan = planTxn(backend, req)
      const r = await backend.txn(plan.request)
      return { header: header(ctx, r.revision), ...plan.finish(r) }
    },

    /** `physical` is honoured trivially: the store's compact returns once the rows are gone. */
    async Compact (req: WireCompactionRequest): Promise<{ header: WireHeader }> {
      await backend.compact(int64ToNumber(req.revision, 'revision'))
      return { header: header(ctx) }
    },
  }
}
