// Txn: etcd's request checks (v3rpc/key.go checkTxnRequest + checkIntervals) and the mapping of
// compares and branches onto one atomic store transaction. Nested transactions and compares over
// a key range (Compare.range_end) are refused by name: the store compares single keys.
import type { Backend, Compare, CompareResult, CompareTarget, Op, OpResult, TxnRequest, TxnResult } from '../store/backend.ts'
import { errDuplicateKey, errEmptyKey, errKeyNotFound, errTooManyOps, invalidRequest, unimplemented } from './errors.ts'
import { checkRevision, planRange, requestedRevision, type WireRangeRequest, type WireRangeResponse } from './kv-range.ts'
import { deleteResponse, planDelete, planPut, putResponse, type WireDeleteRangeRequest, type WireDeleteRangeResponse, type WirePutRequest, type WirePutResponse } from './ops.ts'
import { inRange } from '../store/keys.ts'
import { int64ToNumber, keyToString, leaseIdToNumber, valueToStore, type WireHeader } from './wire.ts'

/** etcd's --max-txn-ops default. */
export const MAX_TXN_OPS = 128

export interface WireCompare {
  result?: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL'
  target?: 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE'
  key: Uint8Array
  version?: string | number
  create_revision?: string | number
  mod_revision?: string | number
  value?: Uint8Array
  lease?: string | number
  range_end?: Uint8Array
}
export interface WireRequestOp {
  request_range?: WireRangeRequest | null
  request_put?: WirePutRequest | null
  request_delete_range?: WireDeleteRangeRequest | null
  request_txn?: unknown
}
export interface WireTxnRequest { compare?: WireCompare[], success?: WireRequestOp[], failure?: WireRequestOp[] }
export interface WireResponseOp {
  response_range?: WireRangeResponse
  response_put?: WirePutResponse
  response_delete_range?: WireDeleteRangeResponse
}
export interface WireTxnResponse { header?: WireHeader, succeeded: boolean, responses: WireResponseOp[] }

/** One branch entry: a store op and how to shape its result, or an answer made without the store. */
type Step =
  | { op: Op, finish: (r: OpResult) => { response: WireResponseOp, wrote: boolean } }
  | { local: WireResponseOp }

const results: Record<string, CompareResult> = { EQUAL: '=', GREATER: '>', LESS: '<', NOT_EQUAL: '!=' }
const targets: Record<string, CompareTarget> = { VERSION: 'version', CREATE: 'create', MOD: 'mod', VALUE: 'value', LEASE: 'lease' }

export function planTxn (backend: Backend, req: WireTxnRequest): { request: TxnRequest, finish: (r: TxnResult) => WireTxnResponse } {
  const compare = req.compare ?? []
  const success = req.success ?? []
  const failure = req.failure ?? []
  if (Math.max(compare.length, success.length, failure.length) > MAX_TXN_OPS) throw errTooManyOps()
  const guards = compare.map(toCompare)
  const yes = success.map(op => toStep(backend, op))
  const no = failure.map(op => toStep(backend, op))
  checkIntervals(success)
  checkIntervals(failure)
  const storeOps = (steps: Step[]): Op[] => steps.flatMap(s => ('op' in s ? [s.op] : []))
  return {
    request: { compare: guards, success: storeOps(yes), failure: storeOps(no) },
    finish: (r) => {
      const steps = r.succeeded ? yes : no
      // etcd: a range sees the revision as it is at that point of the txn; writes report the
      // txn's revision.
      let wrote = false
      const shaped = steps.map((s, i) => ('op' in s ? s.finish(r.results[storeIndex(steps, i)]) : { response: s.local, wrote: false }))
      const changed = shaped.some(s => s.wrote)
      const before = changed ? r.revision - 1 : r.revision
      const responses = shaped.map(({ response, wrote: w }) => {
        wrote ||= w
        const rev = response.response_range !== undefined ? (wrote ? r.revision : before) : r.revision
        const inner = response.response_range ?? response.response_put ?? response.response_delete_range
        // inner headers carry only the revision, as in etcd's answers
        if (inner !== undefined) inner.header = { revision: rev }
        return response
      })
      return { succeeded: r.succeeded, responses }
    },
  }
}

function storeIndex (steps: Step[], i: number): number {
  let n = 0
  for (let j = 0; j < i; j++) if ('op' in steps[j]) n++
  return n
}

function toCompare (c: WireCompare): Compare {
  if (c.key.length === 0) throw errEmptyKey()
  if (c.range_end !== undefined && c.range_end.length > 0) throw unimplemented('Compare.range_end (a compare over a key range)')
  const target = targets[c.target ?? 'VERSION']
  const result = results[c.result ?? 'EQUAL']
  const value = target === 'value' ? valueToStore(c.value ?? Buffer.alloc(0))
    : target === 'lease' ? leaseIdToNumber(c.lease)
      : int64ToNumber(target === 'version' ? c.version : target === 'create' ? c.create_revision : c.mod_revision, target)
  return { key: keyToString(c.key), target, result, value }
}

function toStep (backend: Backend, op: WireRequestOp): Step {
  if (op.request_txn != null) throw invalidRequest('etcdserver: nested txn (RequestOp.request_txn) is not supported by k3sim')
  if (op.request_range != null) {
    const req = op.request_range
    const plan = planRange(req)
    if (plan.options === undefined) {
      checkRevision(backend, requestedRevision(req))
      return { local: { response_range: plan.finish(undefined) } }
    }
    return { op: { range: plan.options }, finish: r => ({ response: { response_range: plan.finish('range' in r ? r.range : undefined) }, wrote: false }) }
  }
  if (op.request_put != null) {
    const req = op.request_put
    return { op: planPut(req), finish: r => ({ response: { response_put: putResponse(req, 'put' in r ? r.put : {}) }, wrote: true }) }
  }
  if (op.request_delete_range != null) {
    const req = op.request_delete_range
    const del = planDelete(req)
    if (del === undefined) return { local: { response_delete_range: { deleted: 0, prev_kvs: [] } } }
    return {
      op: del,
      finish: r => {
        const d = 'delete' in r ? r.delete : { deleted: 0, prevKvs: [] }
        return { response: { response_delete_range: deleteResponse(req, d) }, wrote: d.deleted > 0 }
      },
    }
  }
  throw errKeyNotFound() // etcd's answer to an empty RequestOp
}

/** etcd refuses a branch that writes one key twice, or puts a key it also deletes. */
function checkIntervals (ops: WireRequestOp[]): void {
  const puts = new Set<string>()
  const dels: Array<{ key: string, end?: string }> = []
  for (const op of ops) {
    if (op.request_delete_range == null) continue
    const end = op.request_delete_range.range_end
    dels.push({ key: keyToString(op.request_delete_range.key), end: end !== undefined && end.length > 0 ? keyToString(end) : undefined })
  }
  for (const op of ops) {
    if (op.request_put == null) continue
    const key = keyToString(op.request_put.key)
    if (puts.has(key) || dels.some(d => inRange(key, d.key, d.end))) throw errDuplicateKey()
    puts.add(key)
  }
}
