// Parsing Kubernetes REST paths into (group, version, namespace, resource, name, subresource).
//   /api/v1/pods                        /apis/apps/v1/namespaces/default/deployments/web/scale
//   /api/v1/namespaces/kube-system      /api/v1/namespaces/kube-system/status
//   /api/v1/watch/namespaces/default/pods (the deprecated watch prefix)
import { StatusError } from '../errors.ts'

export interface ResourcePath {
  group: string
  version: string
  namespace?: string
  resource: string
  name?: string
  subresource?: string
  /** The deprecated /watch/ prefix was used. */
  watchPrefix: boolean
  /** After a `proxy` subresource: the path to forward (`/` and on; '' when none). */
  proxyPath?: string
}

export function parseResourcePath (path: string, hasSubresource: (group: string, version: string, resource: string, sub: string) => boolean): ResourcePath | undefined {
  const parts = path.split('/').filter(p => p !== '').map(unescapePath)
  let group: string
  let version: string
  let rest: string[]
  if (parts[0] === 'api' && parts.length >= 3) {
    group = ''
    version = parts[1]
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]
    version = parts[2]
    rest = parts.slice(3)
  } else {
    return undefined
  }
  let watchPrefix = false
  if (rest[0] === 'watch') { watchPrefix = true; rest = rest.slice(1) }
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && hasSubresource(group, version, 'namespaces', rest[2]))) {
    const [, namespace, resource, name, subresource, ...extra] = rest
    // pods/<name>/proxy/<path…>, services/<name>/proxy/<path…>: the rest is the backend's path.
    if (subresource === 'proxy' && name !== undefined && hasSubresource(group, version, resource, 'proxy')) {
      return { group, version, namespace, resource, name, subresource, watchPrefix, proxyPath: restOf(extra, path) }
    }
    if (extra.length > 0) return undefined
    return { group, version, namespace, resource, name, subresource, watchPrefix }
  }
  const [resource, name, subresource, ...extra] = rest
  if (resource === undefined) return undefined
  // nodes/<name>/proxy/<path…>: the rest of the path is the node's (RequestInfo ignores it).
  if (subresource === 'proxy' && name !== undefined && hasSubresource(group, version, resource, 'proxy')) {
    return { group, version, resource, name, subresource, watchPrefix, proxyPath: restOf(extra, path) }
  }
  if (extra.length > 0) return undefined
  return { group, version, resource, name, subresource, watchPrefix }
}

/** The path after a proxy subresource: '' for none, else `/a/b`, its trailing slash kept (JoinPreservingTrailingSlash). */
function restOf (extra: string[], path: string): string {
  return extra.length === 0 ? (path.endsWith('/') ? '/' : '') : `/${extra.join('/')}${path.endsWith('/') ? '/' : ''}`
}

/**
 * url.PathUnescape: %XX escapes become bytes (any byte: %FF is valid even though it is not
 * UTF-8), read as UTF-8 as Go's string conversion keeps them; a malformed escape is the 400 Go's
 * server answers before any handler runs.
 */
export function unescapePath (s: string): string {
  if (!s.includes('%')) return s
  const bytes: number[] = []
  const raw = Buffer.from(s, 'utf8')
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x25) { bytes.push(raw[i]); continue }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1')
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw badPath()
    bytes.push(parseInt(hex, 16))
    i += 2
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Whether RequestInfo would call the path a resource request (else: authorized by path). */
export function isResourcePath (path: string): boolean {
  // A proxy subresource's path goes on (…/nodes/n/proxy/stats/summary): still a resource request.
  return parseResourcePath(path, (_g, _v, _r, sub) => sub === 'proxy') !== undefined
}

/** The URL path decoded, as Go's url.URL.Path holds it. */
export function decodedPath (path: string): string {
  return unescapePath(path)
}

/** Go's HTTP server refuses a path with a malformed %-escape before any handler runs. */
const badPath = (): StatusError => new StatusError(400, 'BadRequest', 'invalid URL escape in the request path')
