// What the proxy subresources share of upstream's handling before the backend is reached:
// the name segment as net.SplitSchemeNamePort reads it, and proxyRedirectsforRootPath.
import type { Request, Response } from 'express'
import { StatusError } from '../errors.ts'

/**
 * net.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` (scheme http or https);
 * anything else is upstream's 400 `invalid <what> request "<id>"`.
 */
export function splitSchemeNamePort (id: string, what: 'node' | 'pod' | 'service'): { scheme: string, name: string, portText: string, port?: number } {
  const parts = id.split(':')
  const [scheme, name, portText] = parts.length === 1 ? ['', parts[0], ''] : parts.length === 2 ? ['', parts[0], parts[1]] : parts.length === 3 ? parts : ['', '', '']
  if (name === '' || !['', 'http', 'https'].includes(scheme)) throw new StatusError(400, 'BadRequest', `invalid ${what} request ${JSON.stringify(id)}`)
  const n = Number(portText)
  const port = /^[0-9]+$/.test(portText) && n >= 1 && n <= 65535 ? n : undefined
  return { scheme, name, portText, port }
}

/** The request's query as the client wrote it (`?a=b`, or ''): a proxy passes it on verbatim. */
export function rawQuery (req: Request): string {
  const at = req.originalUrl.indexOf('?')
  return at < 0 ? '' : req.originalUrl.slice(at)
}

/**
 * proxyRedirectsforRootPath: a GET or HEAD with nothing after /proxy is sent to /proxy/ (a 301,
 * the query kept), without reaching the backend.
 */
export function redirectedToRoot (req: Request, res: Response, path: string): boolean {
  if (path !== '' || (req.method !== 'GET' && req.method !== 'HEAD')) return false
  res.status(301).setHeader('Location', `${req.path}/${rawQuery(req)}`)
  res.end()
  return true
}

/** The proxy's 503 (errors.NewServiceUnavailable), and its form for a backend it could not reach. */
export const unavailable = (message: string): StatusError => new StatusError(503, 'ServiceUnavailable', message)
export const unreachable = (why: string): StatusError => unavailable(`error trying to reach service: ${why}`)

/** URL.EscapedPath: each segment escaped as Go escapes a path (unreserved and $&+,:;=@ kept). */
export function escapePath (path: string): string {
  return path.split('/').map(seg => encodeURIComponent(seg).replace(/%(24|26|2B|2C|3A|3B|3D|40)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))).join('/')
}
