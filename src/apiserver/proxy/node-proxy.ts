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
  const { name, portText, port } = splitSchemeNamePort(api.name!, 'node')
  if (portText !== '' && port === undefined) throw new StatusError(400, 'BadRequest', `invalid node request ${JSON.stringify(api.name!)}`)
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

function internalIP (node: KubeObject): string {
  const addresses = ((node.status as { addresses?: Array<{ type: string, address: string }> } | undefined)?.addresses) ?? []
  return addresses.find(a => a.type === 'InternalIP')?.address ?? node.metadata.name!
}

const unreachable = (why: string): StatusError => new StatusError(503, 'ServiceUnavailable', `error trying to reach service: ${why}`)
