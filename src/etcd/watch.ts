// etcdserverpb.Watch: one bidirectional stream carries many watches (etcd v3rpc/watch.go).
//
// Each watch pulls batches from a store Watcher and writes them to the stream, awaiting gRPC flow
// control: a client that does not read stops the pull, so the store's bounded buffer fills and the
// store ends the watch (`watcher-slow`), instead of this process buffering without bound.
//
// Progress (etcd's "synced" rule): a watch is idle when it waits on the store with nothing
// buffered. The store hands events to watchers when it commits, so an idle watch has delivered
// everything up to the store's revision, and that revision is a safe progress header.
import type { Watcher, WatchEvent } from '../store/backend.ts'
import { isStoreError } from '../store/errors.ts'
import type { TimerHandle } from '../util/clock.ts'
import { header, type BidiStream, type EtcdContext } from './context.ts'
import { errCompacted, toEtcdError } from './errors.ts'
import { int64ToNumber, keyToBytes, keyToString, kvToWire, rangeEndToStore, type Int64, type WireHeader, type WireKeyValue } from './wire.ts'

export interface WireWatchCreateRequest {
  key: Uint8Array
  range_end?: Uint8Array
  start_revision?: string | number
  progress_notify?: boolean
  filters?: Array<'NOPUT' | 'NODELETE'>
  prev_kv?: boolean
  watch_id?: string | number
  fragment?: boolean
}
export interface WireWatchRequest {
  create_request?: WireWatchCreateRequest | null
  cancel_request?: { watch_id?: string | number } | null
  progress_request?: object | null
}
export interface WireEvent { type: 'PUT' | 'DELETE', kv: WireKeyValue, prev_kv?: WireKeyValue }
export interface WireWatchResponse {
  header: WireHeader
  watch_id: Int64
  created?: boolean
  canceled?: boolean
  compact_revision?: Int64
  cancel_reason?: string
  events?: WireEvent[]
}

/** clientv3.InvalidWatchID: the id of failed creates and of stream-wide progress responses. */
const INVALID_WATCH_ID = -1

interface Watch {
  id: number
  watcher: Watcher
  prevKv: boolean
  noPut: boolean
  noDelete: boolean
  progressNotify: boolean
  /** Waiting on the store with nothing buffered. */
  idle: boolean
  /** Events went out since the last progress tick (etcd then skips that watch's notification). */
  sentSinceTick: boolean
}

export function watchService (ctx: EtcdContext) {
  return {
    Watch (stream: BidiStream<WireWatchRequest, WireWatchResponse>): void {
      const session = new WatchSession(ctx, stream)
      stream.onMessage(req => session.handle(req))
      stream.onClose(() => session.close())
    },
  }
}

class WatchSession {
  private readonly ctx: EtcdContext
  private readonly stream: BidiStream<WireWatchRequest, WireWatchResponse>
  private readonly watches = new Map<number, Watch>()
  private nextId = 0
  private progressPending = false
  private ticker?: TimerHandle

  constructor (ctx: EtcdContext, stream: BidiStream<WireWatchRequest, WireWatchResponse>) {
    this.ctx = ctx
    this.stream = stream
  }

  handle (req: WireWatchRequest): void {
    if (req.create_request != null) this.create(req.create_request)
    else if (req.cancel_request != null) this.cancel(int64ToNumber(req.cancel_request.watch_id, 'watch_id'))
    else if (req.progress_request != null) this.requestProgress()
    // anything else is ignored, as etcd does
  }

  close (): void {
    this.ticker?.cancel()
    for (const w of this.watches.values()) w.watcher.close()
    this.watches.clear()
  }

  private create (creq: WireWatchCreateRequest): void {
    // etcd: an empty key means "\0", the smallest key; range_end "\0" means every key >= key
    const key = creq.key.length === 0 ? '\0' : keyToString(creq.key)
    const rangeEnd = rangeEndToStore(creq.range_end ?? Buffer.alloc(0))
    const startRevision = int64ToNumber(creq.start_revision, 'start_revision')
    const requested = int64ToNumber(creq.watch_id, 'watch_id')
    if (startRevision < 0) return this.refuse(errCompacted().message)
    if (rangeEnd !== undefined && rangeEnd !== '\0' && rangeEnd <= key) return this.refuse('mvcc: watcher range is empty')
    if (requested !== 0 && this.watches.has(requested)) return this.refuse('mvcc: duplicate watch ID provided on the WatchStream')
    let id = requested
    if (id === 0) {
      while (this.watches.has(this.nextId)) this.nextId++
      id = this.nextId++
    }
    const created: WireWatchResponse = { header: header(this.ctx), watch_id: id, created: true }
    let watcher: Watcher
    try {
      watcher = this.ctx.backend.watch({ key, rangeEnd, startRevision: startRevision > 0 ? startRevision : undefined, maxBuffered: this.ctx.watchBufferSize })
    } catch (err) {
      // etcd creates the watch, then cancels it once it finds the start revision compacted
      void this.stream.send(created)
      return void this.sendCancel(id, err)
    }
    const filters = creq.filters ?? []
    const w: Watch = {
      id,
      watcher,
      prevKv: creq.prev_kv === true,
      noPut: filters.includes('NOPUT'),
      noDelete: filters.includes('NODELETE'),
      progressNotify: creq.progress_notify === true,
      idle: false,
      sentSinceTick: false,
    }
    this.watches.set(id, w)
    if (w.progressNotify && this.ticker === undefined) {
      this.ticker = this.ctx.clock.setInterval(() => this.tick(), this.ctx.progressNotifyInterval)
    }
    void this.stream.send(created)
    void this.pump(w)
  }

  private refuse (reason: string): void {
    void this.stream.send({ header: header(this.ctx), watch_id: INVALID_WATCH_ID, created: true, canceled: true, cancel_reason: reason })
  }

  private cancel (id: number): void {
    const w = this.watches.get(id)
    if (w === undefined) return // etcd answers nothing for an unknown id
    this.watches.delete(id)
    w.watcher.close()
    void this.stream.send({ header: header(this.ctx), watch_id: id, canceled: true })
  }

  private async pump (w: Watch): Promise<void> {
    try {
      for (;;) {
        w.idle = true
        const batch = await w.watcher.next()
        w.idle = false
        if (batch === null || this.watches.get(w.id) !== w) return
        const events = batch.filter(ev => !(ev.type === 'put' ? w.noPut : w.noDelete)).map(ev => toWireEvent(ev, w.prevKv))
        if (events.length === 0) continue
        w.sentSinceTick = true
        const revision = batch[batch.length - 1].kv.modRevision
        await this.stream.send({ header: header(this.ctx, revision), watch_id: w.id, events })
        if (this.progressPending) setImmediate(() => this.flushProgress())
      }
    } catch (err) {
      w.idle = false
      if (this.watches.get(w.id) !== w) return
      this.watches.delete(w.id)
      w.watcher.close()
      await this.sendCancel(w.id, err)
      if (this.progressPending) setImmediate(() => this.flushProgress())
    }
  }

  /** The store ended the watch: compacted (with compact_revision, as etcd), slow, or closed. */
  private sendCancel (id: number, err: unknown): Promise<void> {
    const res: WireWatchResponse = { header: header(this.ctx), watch_id: id, canceled: true, cancel_reason: toEtcdError(err).message }
    if (isStoreError(err, 'compacted')) res.compact_revision = err.revision ?? this.ctx.backend.compactRevision
    return this.stream.send(res)
  }

  /** progress_notify: every interval, each idle watch that sent nothing since the last tick. */
  private tick (): void {
    for (const w of this.watches.values()) {
      if (w.progressNotify && w.idle && !w.sentSinceTick) {
        void this.stream.send({ header: header(this.ctx), watch_id: w.id })
      }
      w.sentSinceTick = false
    }
  }

  /** progress_request: one response for the whole stream (watch_id -1) once every watch is idle. */
  private requestProgress (): void {
    this.progressPending = true
    this.flushProgress()
  }

  private flushProgress (): void {
    if (!this.progressPending || this.stream.closed) return
    for (const w of this.watches.values()) if (!w.idle) return
    this.progressPending = false
    void this.stream.send({ header: header(this.ctx), watch_id: INVALID_WATCH_ID })
  }
}

/** etcd's delete event carries only the key and the delete's revision. */
function toWireEvent (ev: WatchEvent, withPrev: boolean): WireEvent {
  const kv: WireKeyValue = ev.type === 'put'
    ? kvToWire(ev.kv)
    : { key: keyToBytes(ev.kv.key), create_revision: 0, mod_revision: ev.kv.modRevision, version: 0, value: Buffer.alloc(0), lease: 0 }
  const out: WireEvent = { type: ev.type === 'put' ? 'PUT' : 'DELETE', kv }
  if (withPrev && ev.prevKv !== undefined) out.prev_kv = kvToWire(ev.prevKv)
  return out
}
