// watch: initial state (synthetic ADDED) or replay from a resourceVersion, then live events,
// filtered by selectors with upstream's transitions (an object that stops matching is DELETED),
// bookmarks when asked, and timeoutSeconds — all on the cluster clock.
import type { KubeObject } from '../../api/object.ts'
import { groupVersion } from '../../api/resources.ts'
import type { WatchEvent, WatchOptions } from '../../store/backend.ts'
import { isStoreError } from '../../store/errors.ts'
import { expired, isStatusError, StatusError } from '../errors.ts'
import { collectionRange } from '../registry/keys.ts'
import type { ApiRequest } from '../request.ts'
import { buildMatcher, MATCH_ALL, selectedNodeName } from '../selectors.ts'
import type { ApiContext } from './context.ts'
import { asServed } from './output.ts'
import { parseResourceVersion } from './read.ts'
import { forEachBatch } from '../../util/batches.ts'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'

export interface ApiWatchEvent { type: WatchEventType, object: Record<string, unknown> }

/** A running watch: pull events; `close()` ends it (and `next()` then resolves null). */
export interface ApiWatch {
  next(): Promise<ApiWatchEvent[] | null>
  close(): void
}

const BOOKMARK_INTERVAL = 60_000

export async function watchObjects (ctx: ApiContext, req: ApiRequest): Promise<ApiWatch> {
  const { info, options } = req
  const matches = buildMatcher(info, options)
  const backend = ctx.storage.backend
  const range = collectionRange(info, req.namespace)
  const rvText = options.resourceVersion
  const initial: ApiWatchEvent[] = []
  let start: number
  if (rvText === undefined || rvText === '' || rvText === '0' || options.sendInitialEvents === true) {
    const { items, revision } = await ctx.storage.list(info, req.namespace)
    for (const obj of items.filter(matches)) initial.push({ type: 'ADDED', object: asServed(info, obj) })
    if (options.sendInitialEvents === true && options.allowWatchBookmarks === true) {
      initial.push({ type: 'BOOKMARK', object: bookmark(req, revision, true) })
    }
    start = revision + 1
  } else {
    const rv = parseResourceVersion(rvText)
    if (rv < backend.compactRevision) throw expired(`too old resource version: ${rv} (${backend.compactRevision})`)
    start = rv + 1
  }
  let watcher
  try {
    watcher = backend.watch({ key: range.key, rangeEnd: range.rangeEnd, startRevision: start, trigger: nodeNameTrigger(ctx, req) })
  } catch (err) {
    if (isStoreError(err, 'compacted')) throw expired(`too old resource version: ${start - 1} (${backend.compactRevision})`)
    throw err
  }
  const pending: ApiWatchEvent[][] = initial.length > 0 ? [initial] : []
  let wake: (() => void) | undefined
  let done = false
  const timers = [
    options.timeoutSeconds !== undefined && options.timeoutSeconds > 0
      ? ctx.clock.setTimeout(() => stop(), options.timeoutSeconds * 1000)
      : undefined,
    options.allowWatchBookmarks === true
      ? ctx.clock.setInterval(() => { pending.push([{ type: 'BOOKMARK', object: bookmark(req, backend.revision, false) }]); wake?.() }, BOOKMARK_INTERVAL)
      : undefined,
  ]
  const stop = (): void => {
    if (done) return
    done = true
    for (const t of timers) t?.cancel()
    watcher.close()
    wake?.()
  }
  // Pump store events into `pending` as they arrive.
  void (async () => {
    try {
      await forEachBatch(() => watcher.next(), batch => {
        const out = batch.flatMap(e => translate(ctx, req, e, matches, start))
        if (out.length > 0) { pending.push(out); wake?.() }
      })
    } catch (err) {
      if (isStoreError(err, 'watcher-slow')) {
        pending.push([{ type: 'ERROR', object: expired(`too old resource version: ${start - 1} (${backend.revision})`).status as unknown as Record<string, unknown> }])
      } else if (isStatusError(err)) {
        // An event that cannot be decoded ends the watch with its error, as an ERROR event.
        pending.push([{ type: 'ERROR', object: err.status as unknown as Record<string, unknown> }])
      }
    } finally {
      stop()
    }
  })()
  return {
    async next () {
      for (;;) {
        const batch = pending.shift()
        if (batch !== undefined) return batch
        if (done) return null
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    },
    close: stop,
  }
}

function translate (ctx: ApiContext, req: ApiRequest, e: WatchEvent, matches: (o: KubeObject) => boolean, start: number): ApiWatchEvent[] {
  if (e.kv.modRevision < start) return []
  const { info } = req
  if (e.type === 'delete') {
    if (e.prevKv === undefined) return []
    const last = ctx.storage.decode({ ...e.prevKv, modRevision: e.kv.modRevision })
    return matches(last) ? [{ type: 'DELETED', object: asServed(info, last) }] : []
  }
  const obj = ctx.storage.decode(e.kv)
  const now = matches(obj)
  if (e.prevKv === undefined) return now ? [{ type: 'ADDED', object: asServed(info, obj) }] : []
  // Without selectors the object matched before too: its old version need not be decoded.
  const before = matches === MATCH_ALL || matches(ctx.storage.decode(e.prevKv))
  if (now && before) return [{ type: 'MODIFIED', object: asServed(info, obj) }]
  if (now) return [{ type: 'ADDED', object: asServed(info, obj) }]
  if (before) return [{ type: 'DELETED', object: asServed(info, obj) }]
  return []
}

/**
 * The watch cache's trigger for pods (upstream's NodeNameTriggerFunc): a watch selecting
 * spec.nodeName=X — each kubelet's — is offered only the events of pods on X (before or after),
 * so thousands of kubelets do not each decode and test every pod event. The full selector still
 * decides what is sent.
 */
function nodeNameTrigger (ctx: ApiContext, req: ApiRequest): WatchOptions['trigger'] {
  const node = selectedNodeName(req.info, req.options)
  if (node === undefined) return undefined
  return {
    index: 'pods/spec.nodeName',
    value: node,
    of: kv => {
      // An undecodable pod is offered to every such watch, whose decode then reports it.
      try { return (ctx.storage.decode(kv).spec as { nodeName?: string } | undefined)?.nodeName ?? '' } catch { return node }
    },
  }
}

function bookmark (req: ApiRequest, revision: number, initialEnd: boolean): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: String(revision) }
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' }
  return { kind: req.info.kind, apiVersion: groupVersion(req.info), metadata }
}

export { StatusError }
