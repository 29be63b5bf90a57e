// nodes/proxy: kube-apiserver's node ProxyREST, which forwards a request to the node's kubelet
// (https://<InternalIP>:10250/<path>) and passes its answer through — status, content type and
// body as the kubelet wrote them (`kubectl get --raw /api/v1/nodes/<node>/proxy/configz`). The
// node may be named `name`, `name:port` or `scheme:name:port` (net.SplitSchemeNamePort); only
// the kubelet's port answers here. A kubelet nobody can reach is upstream's 503.
import type { Request, Response } from 'express'
import type { KubeObject } from '../../api/object.ts'
import type { ApiServerCore } from '../core.ts'
import { StatusError } from '../errors.ts'
import type { ApiRequest } from '../request.ts'

/** A kubelet's HTTPS server, as the node proxy reaches it. */
export interface KubeletHttp {
  serveHttp(method: string, path: string, query: URLSearchParams): Promise<{ status: number, headers: Record<string, string>, body: string }>
}

/** The kubelets by node name (wired by the cluster); undefined: none runs in this process. */
export type NodeProxySource = (node: string) => KubeletHttp | undefined

const KUBELET_PORT = 10250

export const isNodeProxyRequest = (api: ApiRequest): boolean =>
  api.info.group === '' && api.info.resource === 'nodes' && api.subresource === 'proxy'

export async function serveNodeProxy (core: ApiServerCore, req: Request, res: Response, api: ApiRequest, path: string): Promise<void> {
  const { name, port } = splitSchemeNamePort(api.name!)
  const node = await core.ctx.storage.get(api.info, undefined, name)
  const target = `${internalIP(node)}:${port ?? KUBELET_PORT}`
  const kubelet = port === undefined || port === KUBELET_PORT ? core.nodeProxy?.(name) : undefined
  if (kubelet === undefined) throw unreachable(`dial tcp ${target}: connect: connection refused`)
  const query = new URL(req.originalUrl, 'https://apiserver').searchParams
  let reply
  try {
    reply = await kubelet.serveHttp(req.method, path === '' ? '/' : path, query)
  } catch (err) {
    throw unreachable(err instanceof Error ? err.message : String(err))
  }
  res.status(reply.status).set(reply.headers).send(reply.body)
}

/** net.SplitSchemeNamePort: `name`, `name:port`, `scheme:name:port`; a bad form is a 400. */
function splitSchemeNamePort (id: string): { name: string, port?: number } {
  const parts = id.split(':')
  const [name, port] = parts.length === 1 ? [parts[0], ''] : parts.length === 2 ? [parts[0], parts[1]] : parts.length === 3 && ['', 'http', 'https'].includes(parts[0]) ? [parts[1], parts[2]] : ['', '']
  if (name === '') throw new StatusError(400, 'BadRequest', `invalid node request ${JSON.stringify(id)}`)
  if (port === '') return { name }
  const n = Number(port)
  if (!/^[0-9]+$/.test(port) || n < 1 || n > 65535) throw new StatusError(400, 'BadRequest', `invalid node request ${JSON.stringify(id)}`)
  return { name, port: n }
}

function internalIP (node: KubeObject): string {
  const addresses = ((node.status as { addresses?: Array<{ type: string, address: string }> } | undefined)?.addresses) ?? []
  return addresses.find(a => a.type === 'InternalIP')?.address ?? node.metadata.name!
}

const unreachable = (why: string): StatusError => new StatusError(503, 'ServiceUnavailable', `error trying to reach service: ${why}`)
