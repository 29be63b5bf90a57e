// The express app: authentication, /version and health, discovery, OpenAPI, and the REST
// routes, all answered through the one handler layer. Errors become Status bodies.
import { OpenapiV2, OPENAPI_V2_PROTOBUF } from '../openapi-v2/index.ts'
import { serveHealth } from './health.ts'
import { CONTENT_TYPE as METRICS_CONTENT_TYPE } from '../metrics/index.ts'
import express, { type NextFunction, type Request, type Response } from 'express'
import { VERSION_INFO } from '../../api/version.ts'
import { ServiceUnavailableError } from '../aggregator/index.ts'
import { aggregated, AGGREGATED_TYPE, apiGroup, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from '../discovery.ts'
import { internalError, notFound, StatusError, unauthorized } from '../errors.ts'
import type { ApiServerCore } from '../core.ts'
import { openapiDocument, openapiIndex } from '../openapi.ts'
import type { UserInfo } from '../request.ts'
import { readRaw } from './body.ts'
import { serveResource } from './resource-route.ts'
import { decodedPath, isResourcePath } from './paths.ts'
import { impersonate, ImpersonationError } from './impersonation.ts'
import { sanitize } from '../rbac/attributes.ts'

export interface AppOptions {
  core: ApiServerCore
  authenticate: (req: Request) => Promise<UserInfo | undefined>
  /** host:port clients use, for /api's serverAddressByClientCIDRs. */
  serverAddress: () => string
  /** Routes outside the Kubernetes API (k3sim's admin endpoint), looked up per request. */
  extension?: () => ApiExtension | undefined
  log?: (msg: string) => void
}

/** A non-Kubernetes endpoint under `prefix`, behind the same authentication as the API. */
export interface ApiExtension {
  prefix: string
  handle(request: { method: string, path: string, body: unknown, user: UserInfo }): Promise<{ code: number, body: unknown }>
}

export function sendJson (res: Response, status: number, body: unknown, contentType = 'application/json'): void {
  res.status(status).set('Content-Type', contentType).send(JSON.stringify(body))
}

export function createApp (options: AppOptions): express.Express {
  const { core } = options
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.set('query parser', 'extended')

  // The filter chain: authentication, impersonation, then authorization of non-resource paths
  // (resource requests are authorized by resource-route.ts once their path is parsed).
  app.use((req: Request, res: Response, next: NextFunction) => {
    const chain = async (): Promise<boolean> => {
      const user = await options.authenticate(req)
      if (user === undefined) { sendJson(res, 401, unauthorized().status); return false }
      const acting = await impersonate(core, req, user)
      res.locals.user = acting
      await authorizePath(core, req, acting)
      return true
    }
    chain().then(go => { if (go) next() }, (err: unknown) => {
      if (err instanceof ImpersonationError) res.status(500).type('text/plain').send(`Internal Server Error: ${sanitize(JSON.stringify(req.originalUrl))}: ${sanitize(err.message)}\n`)
      else next(err)
    })
  })

  // Not itself counted in the request metrics, as upstream registers the handler bare.
  app.get('/metrics', (_req, res, next) => {
    core.metrics().then(text => { res.status(200).set('Content-Type', METRICS_CONTENT_TYPE).send(text) }, next)
  })

  // WriteRawJSON: indented, as `kubectl get --raw /version` prints it.
  app.get('/version', (_req, res) => { res.status(200).set('Content-Type', 'application/json').send(JSON.stringify(VERSION_INFO, null, 2)) })
  serveHealth(app)

  app.get('/api', (req, res) => {
    if (wantsAggregated(req.headers.accept)) sendJson(res, 200, aggregated(core.index, true), AGGREGATED_TYPE)
    else sendJson(res, 200, apiVersions(options.serverAddress()))
  })
  app.get('/apis', (req, res) => {
    if (wantsAggregated(req.headers.accept)) sendJson(res, 200, aggregated(core.aggregator.discoverable(), false, (g, v) => core.aggregator.unavailable(g, v)), AGGREGATED_TYPE)
    else sendJson(res, 200, apiGroupList(core.aggregator.discoverable()))
  })
  app.get('/api/:version', (req, res) => discoveryOr404(res, apiResourceList(core.index, '', String(req.params.version))))
  app.get('/apis/:group', (req, res) => discoveryOr404(res, apiGroup(core.aggregator.discoverable(), String(req.params.group))))
  app.get('/apis/:group/:version', (req, res) => {
    const [group, version] = [String(req.params.group), String(req.params.version)]
    if (core.aggregator.unavailable(group, version)) throw new ServiceUnavailableError()
    discoveryOr404(res, apiResourceList(core.aggregator.discoverable(), group, version))
  })

  const openapiV2 = new OpenapiV2(core.index, r => core.schemaFor(r), VERSION_INFO.gitVersion)
  app.get('/openapi/v2', (req, res) => {
    const built = openapiV2.current()
    res.setHeader('ETag', built.etag)
    if (req.headers['if-none-match'] === built.etag) { res.status(304).end(); return }
    // Protobuf when asked for (either spelling of gnostic's type), else JSON.
    if (req.headers.accept?.includes('application/com.github.proto-openapi.spec.v2') === true) res.status(200).setHeader('Content-Type', OPENAPI_V2_PROTOBUF).end(Buffer.from(OpenapiV2.protobuf(built)))
    else res.status(200).setHeader('Content-Type', 'application/json').end(built.json)
  })
  app.get('/openapi/v3', (_req, res) => sendJson(res, 200, openapiIndex(core.index, r => core.schemaFor(r))))
  app.get('/openapi/v3/*path', (req, res) => {
    const parts = (req.params as { path: string[] }).path
    const [group, version] = parts[0] === 'api' ? ['', parts[1]] : [parts[1], parts[2]]
    discoveryOr404(res, openapiDocument(core.index, group ?? '', version ?? '', r => core.schemaFor(r), VERSION_INFO.gitVersion))
  })

  app.use((req, res, next) => {
    const ext = options.extension?.()
    if (ext === undefined || !req.path.startsWith(ext.prefix)) { next(); return }
    serveExtension(ext, req, res).catch(next)
  })

  app.use((req, res, next) => { serveResource(core, req, res).catch(next) })

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof StatusError ? err : internalError(err)
    if (!(err instanceof StatusError)) options.log?.(`${req.method} ${req.originalUrl}: ${err instanceof Error ? err.stack : String(err)}`)
    if (res.headersSent) { res.end(); return }
    if (err instanceof ServiceUnavailableError) { res.status(503).type('text/plain').send(err.plainText); return }
    sendJson(res, status.code, status.status)
  })
  return app
}

/**
 * Requests that name no resource (discovery, /version, health, OpenAPI, unknown paths) are
 * authorized by path, as RequestInfo makes them non-resource requests: system:discovery and
 * system:public-info-viewer grant the usual ones to every authenticated user.
 */
async function authorizePath (core: ApiServerCore, req: Request, user: UserInfo): Promise<void> {
  // Parsed for everyone: a malformed escape is a 400 before anything else, admin or not.
  if (isResourcePath(req.path)) return
  await core.ctx.authorizer.require({ user, verb: req.method.toLowerCase(), path: decodedPath(req.path) })
}

async function serveExtension (ext: ApiExtension, req: Request, res: Response): Promise<void> {
  const raw = await readRaw(req)
  let body: unknown
  try { body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8')) } catch { throw new StatusError(400, 'BadRequest', 'the request body is not JSON') }
  const out = await ext.handle({ method: req.method, path: req.path.slice(ext.prefix.length), body, user: res.locals.user as UserInfo })
  sendJson(res, out.code, out.body)
}

function discoveryOr404 (res: Response, doc: object | undefined): void {
  if (doc === undefined) sendJson(res, 404, new StatusError(404, 'NotFound', 'the server could not find the requested resource').status)
  else sendJson(res, 200, doc)
}

export { notFound }
