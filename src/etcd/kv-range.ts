// Range as etcd's apply layer does it (server/etcdserver/txn: executeRange): the store answers
// the key interval at a revision; sorting and the min/max revision filters run here afterwards, on
// the whole interval (etcd drops the limit when either is asked for), then the limit cuts and sets
// `more`. `count` is the interval's size, unaffected by filters and limit.
import type { Backend, KeyValue, RangeOptions, RangeResult } from '../store/backend.ts'
import { compacted, futureRevision } from '../store/errors.ts'
import { errEmptyKey } from './errors.ts'
import { int64ToNumber, isEmptyRange, keyToString, kvToWire, rangeEndToStore, type WireHeader, type WireKeyValue } from './wire.ts'

type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE'

export interface WireRangeRequest {
  key: Uint8Array
  range_end?: Uint8Array
  limit?: string | number
  revision?: string | number
  sort_order?: 'NONE' | 'ASCEND' | 'DESCEND'
  sort_target?: SortTarget
  serializable?: boolean
  keys_only?: boolean
  count_only?: boolean
  min_mod_revision?: string | number
  max_mod_revision?: string | number
  min_create_revision?: string | number
  max_create_revision?: string | number
}

export interface WireRangeResponse { header?: Partial<WireHeader>, kvs: WireKeyValue[], more: boolean, count: number }

export interface RangePlan {
  /** What to ask the store; absent when the interval is empty (rangeEnd <= key). */
  options?: RangeOptions
  /** Shape the store's answer (or nothing, for an empty interval) as etcd's RangeResponse. */
  finish(result: RangeResult | undefined): WireRangeResponse
}

export function planRange (req: WireRangeRequest): RangePlan {
  if (req.key.length === 0) throw errEmptyKey()
  const key = keyToString(req.key)
  const rangeEnd = rangeEndToStore(req.range_end ?? Buffer.alloc(0))
  const revision = Math.max(0, int64ToNumber(req.revision, 'revision'))
  const limit = Math.max(0, int64ToNumber(req.limit, 'limit'))
  const filters = revisionFilters(req)
  let order = req.sort_order ?? 'NONE'
  const target = req.sort_target ?? 'KEY'
  // etcd: the store returns keys ascending, so KEY/ASCEND needs no sort, and a non-KEY target
  // without an order sorts ascending.
  if (target !== 'KEY' && order === 'NONE') order = 'ASCEND'
  else if (target === 'KEY' && order === 'ASCEND') order = 'NONE'
  const wholeInterval = (req.sort_order ?? 'NONE') !== 'NONE' || filters.length > 0
  const keysOnly = req.keys_only === true

  const finish = (result: RangeResult | undefined): WireRangeResponse => {
    if (result === undefined) return { kvs: [], more: false, count: 0 }
    let kvs = result.kvs.filter(kv => filters.every(f => f(kv)))
    if (order !== 'NONE') kvs = sortKvs(kvs, target, order === 'DESCEND')
    let more = result.more
    if (limit > 0 && kvs.length > limit) {
      kvs = kvs.slice(0, limit)
      more = true
    } else if (limit > 0) more = false
    return { kvs: kvs.map(kv => kvToWire(kv, { keysOnly })), more, count: result.count }
  }

  if (isEmptyRange(key, rangeEnd)) return { finish }
  return {
    options: {
      key,
      rangeEnd,
      revision: revision > 0 ? revision : undefined,
      // one more than asked, so a sort of the fetched rows still knows whether there are more
      limit: wholeInterval || limit === 0 ? undefined : limit + 1,
      keysOnly: keysOnly || undefined,
      countOnly: req.count_only === true || undefined,
    },
    finish,
  }
}

/** etcd checks the revision even when the interval is empty. */
export function checkRevision (backend: Backend, revision: number): void {
  if (revision > backend.revision) throw futureRevision(backend.revision)
  if (revision > 0 && revision < backend.compactRevision) throw compacted(backend.compactRevision)
}

export function requestedRevision (req: WireRangeRequest): number {
  return Math.max(0, int64ToNumber(req.revision, 'revision'))
}

function revisionFilters (req: WireRangeRequest): Array<(kv: KeyValue) => boolean> {
  const out: Array<(kv: KeyValue) => boolean> = []
  const minMod = int64ToNumber(req.min_mod_revision, 'min_mod_revision')
  const maxMod = int64ToNumber(req.max_mod_revision, 'max_mod_revision')
  const minCreate = int64ToNumber(req.min_create_revision, 'min_create_revision')
  const maxCreate = int64ToNumber(req.max_create_revision, 'max_create_revision')
  if (maxMod !== 0) out.push(kv => kv.modRevision <= maxMod)
  if (minMod !== 0) out.push(kv => kv.modRevision >= minMod)
  if (maxCreate !== 0) out.push(kv => kv.createRevision <= maxCreate)
  if (minCreate !== 0) out.push(kv => kv.createRevision >= minCreate)
  return out
}

function sortKvs (kvs: KeyValue[], target: SortTarget, descending: boolean): KeyValue[] {
  const by: Record<SortTarget, (a: KeyValue, b: KeyValue) => number> = {
    KEY: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    VERSION: (a, b) => a.version - b.version,
    CREATE: (a, b) => a.createRevision - b.createRevision,
    MOD: (a, b) => a.modRevision - b.modRevision,
    VALUE: (a, b) => Buffer.compare(a.value, b.value),
  }
  const cmp = by[target]
  // stable: ties keep key order
  return [...kvs].sort(descending ? (a, b) => cmp(b, a) : cmp)
}
