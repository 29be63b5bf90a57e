// One transaction applied to the log, synchronously: guards, then the chosen branch, each write
// appending one kine row. Runs inside LogStorage.transaction, so it is all-or-nothing.
import type { Compare, KeyValue, Op, OpResult, TxnRequest, WatchEvent } from './backend.ts'
import { StoreError } from './errors.ts'
import type { LogStorage } from './log-storage.ts'

const EMPTY = new Uint8Array(0)

export interface Applied {
  succeeded: boolean
  results: OpResult[]
  events: WatchEvent[]
}

/**
 * Applies a txn. It throws (StoreError) only before its first write: guards and lease checks
 * come first, so a refused txn leaves no trace and needs no savepoint.
 */
export function applyTxn (storage: LogStorage, hasLease: (id: number) => boolean, t: TxnRequest): Applied {
  const view = new TxnView(storage)
  const succeeded = t.compare.every(c => compare(view, c))
  const ops = succeeded ? t.success : t.failure
  checkLeases(view, hasLease, ops)
  const events: WatchEvent[] = []
  const results = ops.map(op => applyOp(view, op, events))
  return { succeeded, results, events }
}

/** Deletes `keys` (one tombstone each): lease expiry and revoke. */
export function deleteKeys (storage: LogStorage, keys: Iterable<string>): WatchEvent[] {
  const view = new TxnView(storage)
  const events: WatchEvent[] = []
  for (const key of keys) deleteOne(view, key, events)
  return events
}

type Latest = { kv: KeyValue, deleted: boolean } | undefined

/** The storage seen by one txn, remembering each key's newest row so it is read once. */
class TxnView {
  readonly storage: LogStorage
  private readonly memo = new Map<string, Latest>()

  constructor (storage: LogStorage) { this.storage = storage }

  latest (key: string): Latest {
    if (this.memo.has(key)) return this.memo.get(key)
    const r = this.storage.latest(key, 0)
    this.memo.set(key, r)
    return r
  }

  wrote (key: string, latest: Latest): void { this.memo.set(key, latest) }
}

function current (view: TxnView, key: string): KeyValue | undefined {
  const r = view.latest(key)
  return r === undefined || r.deleted ? undefined : r.kv
}

function compare (view: TxnView, c: Compare): boolean {
  const kv = current(view, c.key)
  if (c.target === 'value') {
    // etcd: a value compare on an absent key is false whatever the operator.
    if (kv === undefined) return false
    return holds(Buffer.compare(Buffer.from(kv.value), Buffer.from(c.value as Uint8Array)), c.result)
  }
  const actual = kv === undefined ? 0
    : c.target === 'version' ? kv.version
      : c.target === 'create' ? kv.createRevision
        : c.target === 'mod' ? kv.modRevision
          : kv.lease
  return holds(Math.sign(actual - (c.value as number)), c.result)
}

function holds (sign: number, result: Compare['result']): boolean {
  switch (result) {
    case '=': return sign === 0
    case '!=': return sign !== 0
    case '<': return sign < 0
    case '>': return sign > 0
  }
}

function checkLeases (view: TxnView, hasLease: (id: number) => boolean, ops: Op[]): void {
  for (const op of ops) {
    if (!('put' in op)) continue
    const { key, lease, ignoreValue, ignoreLease } = op.put
    if ((ignoreValue === true || ignoreLease === true) && current(view, key) === undefined) {
      throw new StoreError('key-not-found')
    }
    if (!ignoreLease && lease !== undefined && lease !== 0 && !hasLease(lease)) throw new StoreError('lease-not-found')
  }
}

function applyOp (view: TxnView, op: Op, events: WatchEvent[]): OpResult {
  const { storage } = view
  if ('range' in op) {
    const revision = storage.revision()
    return { range: { revision, ...storage.range({ ...op.range, revision }) } }
  }
  if ('delete' in op) {
    const { key, rangeEnd } = op.delete
    const keys = rangeEnd === undefined || rangeEnd === ''
      ? [key]
      : storage.range({ key, rangeEnd, revision: storage.revision(), keysOnly: true }).kvs.map(kv => kv.key)
    const prevKvs: KeyValue[] = []
    for (const k of keys) {
      const prev = deleteOne(view, k, events)
      if (prev !== undefined) prevKvs.push(prev)
    }
    return { delete: { revision: storage.revision(), deleted: prevKvs.length, prevKvs } }
  }
  const { key } = op.put
  const latest = view.latest(key)
  const prev = latest === undefined || latest.deleted ? undefined : latest.kv
  const value = op.put.ignoreValue === true ? prev!.value : op.put.value
  const lease = op.put.ignoreLease === true ? prev!.lease : op.put.lease ?? 0
  const id = storage.append({
    key,
    created: prev === undefined,
    deleted: false,
    createRevision: prev?.createRevision ?? 0,
    prevRevision: latest?.kv.modRevision ?? 0,
    lease,
    value,
    oldValue: prev?.value ?? EMPTY,
  })
  const kv: KeyValue = { key, value, createRevision: prev?.createRevision ?? id, modRevision: id, version: (prev?.version ?? 0) + 1, lease }
  view.wrote(key, { kv, deleted: false })
  events.push({ type: 'put', kv, prevKv: prev })
  return { put: { revision: id, prevKv: prev } }
}

function deleteOne (view: TxnView, key: string, events: WatchEvent[]): KeyValue | undefined {
  const prev = current(view, key)
  if (prev === undefined) return undefined
  const id = view.storage.append({
    key,
    created: false,
    deleted: true,
    createRevision: prev.createRevision,
    prevRevision: prev.modRevision,
    lease: 0,
    value: EMPTY,
    oldValue: prev.value,
  })
  const tombstone = { key, value: EMPTY, createRevision: 0, modRevision: id, version: 0, lease: 0 }
  view.wrote(key, { kv: tombstone, deleted: true })
  events.push({ type: 'delete', kv: tombstone, prevKv: prev })
  return prev
}
