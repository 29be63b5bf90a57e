// One REST request: path → resource, method → verb, body and query → ApiRequest, then the
// reply as JSON, as a Table when the Accept header asks for one, or as a watch stream.
import { warningHeaders } from './warnings.ts'
import type { Request, Response } from 'express'
import type { ApiServerCore } from '../core.ts'
import { methodNotAllowed, StatusError } from '../errors.ts'
import type { ApiRequest, RequestVerb, UserInfo } from '../request.ts'
import { wantsTable, toTable, tableWatchEvent } from '../tables.ts'
import { mergeDeleteOptions, parseOptions } from './query.ts'
import { parseResourcePath, type ResourcePath } from './paths.ts'
import { escapeFieldValue } from '../../api/fields.ts'
import { resourceAttributes } from '../rbac/attributes.ts'
import { readObjectBody, readPatchBody } from './body.ts'
import { sendJson } from './app.ts'
import type { ApiWatch } from '../handlers/watch.ts'
import { forEachBatch } from '../../util/batches.ts'
import { isStreamingRequest, serveStreaming } from '../streaming/index.ts'
import { isNodeProxyRequest, serveNodeProxy } from '../proxy/node-proxy.ts'
import { servePodProxy } from '../proxy/pod-proxy.ts'

function verbFor (method: string, hasName: boolean, watch: boolean): RequestVerb | undefined {
  switch (method) {
    case 'GET': return hasName ? 'get' : watch ? 'watch' : 'list'
    case 'POST': return 'create'
    case 'PUT': return 'update'
    case 'PATCH': return 'patch'
    case 'DELETE': return hasName ? 'delete' : 'deletecollection'
  }
  return undefined
}

/** ListOptions.Watch from ?watch=: anything but "false" or "0" (any case) is true, as Go's conversion reads it. */
function watchParam (v: unknown): boolean {
  if (v === undefined) return false
  const first = Array.isArray(v) ? v[0] : v
  return !['false', '0'].includes(String(first).toLowerCase())
}

/** The path's attributes, authorized before anything else of the request is looked at (as upstream's filter chain). */
async function authorizeFirst (core: ApiServerCore, user: UserInfo, verb: RequestVerb | undefined, path: ResourcePath, fieldSelector: unknown): Promise<void> {
  // An HTTP method with no verb (OPTIONS, …) is the empty verb, which no rule but "*" grants.
  await core.ctx.authorizer.require(resourceAttributes(user, verb ?? '', { ...path, fieldSelector: typeof fieldSelector === 'string' ? fieldSelector : undefined }))
}

export async function serveResource (core: ApiServerCore, req: Request, res: Response): Promise<void> {
  const path = parseResourcePath(req.path, (g, v, r, s) => core.index.lookup(g, v, r)?.subresources.some(x => x.name === s) === true)
  if (path === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
  const watch = path.watchPrefix || watchParam(req.query.watch)
  // /watch/…/pods/web watches that one pod: its name goes into the field selector.
  const namedWatch = path.watchPrefix && path.name !== undefined && path.subresource === undefined && req.method === 'GET'
  const verb = namedWatch ? 'watch' : verbFor(req.method, path.name !== undefined, watch)
  const user = res.locals.user as UserInfo
  // HEAD is authorized as the GET it mirrors (RequestInfo), though only GET is served.
  await authorizeFirst(core, user, req.method === 'HEAD' ? verbFor('GET', path.name !== undefined, watch) : verb, path, req.query.fieldSelector)
  // The deprecated /watch/ prefix serves watches only.
  if (path.watchPrefix && (req.method !== 'GET' || path.subresource !== undefined)) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
  const info = core.index.lookup(path.group, path.version, path.resource)
  if (info === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
  if (path.namespace !== undefined && !info.namespaced) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
  // A namespaced review (LocalSubjectAccessReview) has no cluster-wide route.
  if (info.virtual === true && info.namespaced && path.namespace === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
  // nodes|pods|services/<name>/proxy: forwarded with its query as it is (only NodeProxyOptions'
  // path is the API server's), so before any list option is read (proxy/).
  if (path.subresource === 'proxy' && path.name !== undefined && info.subresources.some(s => s.name === 'proxy')) {
    const proxyVerb = req.method === 'HEAD' ? 'get' : verb
    if (proxyVerb === undefined) throw methodNotAllowed(req.method, info)
    // ConnectResource: a connect subresource does not dry-run.
    if (req.query.dryRun !== undefined) throw new StatusError(400, 'BadRequest', 'dryRun is not supported')
    const api: ApiRequest = { verb: proxyVerb, info, namespace: path.namespace, name: path.name, subresource: 'proxy', options: parseOptions({}), user, userAgent: utf8Header(req.get('user-agent')), authorized: true }
    if (isNodeProxyRequest(api)) await serveNodeProxy(core, req, res, api, path.proxyPath ?? '')
    else await servePodProxy(core, req, res, api, path.proxyPath ?? '')
    return
  }
  const options = parseOptions(req.query as Record<string, unknown>)
  if (namedWatch) {
    const byName = `metadata.name=${escapeFieldValue(path.name!)}`
    options.fieldSelector = options.fieldSelector === undefined || options.fieldSelector === '' ? byName : `${options.fieldSelector},${byName}`
    path.name = undefined
  }
  if (verb === undefined) throw methodNotAllowed(req.method, info)
  // POST to a name is only for subresources (binding, eviction); POST on a collection item otherwise is 405.
  if (verb === 'create' && path.name !== undefined && path.subresource === undefined) throw methodNotAllowed('create', info)
  const api: ApiRequest = {
    verb: verb === 'create' && path.subresource !== undefined ? 'create' : verb,
    info,
    namespace: path.namespace,
    name: path.name,
    subresource: path.subresource,
    options,
    user,
    userAgent: utf8Header(req.get('user-agent')),
    authorized: true,
  }
  // exec, attach, port-forward: upgrades, not bodies (streaming/).
  if (isStreamingRequest(api)) { await serveStreaming(core, req, res, api); return }
  if (verb === 'create' || verb === 'update') api.body = await readObjectBody(req, info.kind)
  if (verb === 'patch') Object.assign(api, await readPatchBody(req))
  if (verb === 'delete' || verb === 'deletecollection') {
    api.options = mergeDeleteOptions(options, await readObjectBody(req))
    if (path.subresource !== undefined) throw methodNotAllowed('delete', info)
  }
  if ((verb === 'create' || verb === 'update') && api.body === undefined && info.virtual !== true && path.subresource !== 'binding' && path.subresource !== 'eviction') {
    throw new StatusError(400, 'BadRequest', 'the body of the request is empty')
  }
  if (info.namespaced && verb === 'create' && path.namespace === undefined && info.virtual !== true) throw methodNotAllowed('create', info)
  if (path.subresource === 'log') {
    api.options.log = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]))
    const text = await core.logs(api)
    // No node yet, so no log location: upstream streams nothing (204 No Content).
    if (text === undefined) { res.status(204).end(); return }
    if (api.options.log.follow !== 'true') { res.status(200).type('text/plain').send(text); return }
    // follow: the log so far, then each new chunk, until the container stops or the client goes.
    res.status(200).set({ 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' })
    res.write(text)
    const stop = await core.followLogs({ ...api, options: { ...api.options, log: { ...api.options.log, tailLines: '0' } } }, chunk => { res.write(chunk) }, () => res.end())
    res.on('close', stop)
    return
  }
  const result = await core.serve(api)
  if ('watch' in result) { await streamWatch(core, req, res, api, result.watch); return }
  const warnings = warningHeaders(result.warnings ?? [])
  if (warnings.length > 0) res.set('Warning', warnings)
  const body = wantsTable(req.headers.accept) && (verb === 'get' || verb === 'list') && path.subresource === undefined
    ? toTable(core, api, result.body as Record<string, unknown>, verb === 'list')
    : result.body
  sendJson(res, result.status, body)
}

/** Chunked JSON lines, headers flushed at once (client-node's informer waits for them). */
async function streamWatch (core: ApiServerCore, req: Request, res: Response, api: ApiRequest, watch: ApiWatch): Promise<void> {
  const table = wantsTable(req.headers.accept)
  res.status(200).set({ 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' })
  res.flushHeaders()
  let first = true
  const end = (): void => watch.close()
  // A client gone while the watch was being set up is not told again.
  if (req.destroyed || res.closed) { end(); return }
  req.on('close', end)
  res.on('close', end)
  await forEachBatch(() => watch.next(), batch => {
    let out = ''
    for (const e of batch) {
      const event = table && e.type !== 'BOOKMARK' && e.type !== 'ERROR' ? tableWatchEvent(core, api, e, first) : e
      first = false
      out += JSON.stringify(event) + '\n'
    }
    return res.write(out) ? undefined : new Promise<void>(resolve => res.once('drain', () => resolve()))
  })
  res.end()
}

/** Node reads header bytes as latin1; Go reads them as UTF-8 (bad sequences become U+FFFD). */
function utf8Header (value: string | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'latin1').toString('utf8')
}
