// nodes/proxy: kube-apiserver's node ProxyREST, which forwards a request to the node's kubelet
// (https://<InternalIP>:10250/<path>) and passes its answer through — status, content type and
// body as the kubelet wrote them (`kubectl get --raw /api/v1/nodes/<node>/proxy/configz`). The
// node may be named `name`, `name:port` or `scheme:name:port` (net.SplitSchemeNamePort): the
// kubelet answers on 10250 (https) and, as k3s v1.32.3 leaves it open, 10255 (http, read-only);
// other ports and a kubelet nobody can reach are upstream's 503.
import type { Request, Response } from 'express'
import type { KubeObject } from '../../api/object.ts'
import type { ApiServerCore } from '../core.ts'
import type { ApiRequest } from '../request.ts'
import { redirectedToRoot, splitSchemeNamePort, unreachable } from './location.ts'

/** A kubelet's HTTPS server, as the node proxy reaches it. */
export interface KubeletHttp {
  /** `readOnly`: the plain-HTTP port (10255), which serves no debugging handlers (configz). */
  serveHttp(method: string, path: string, query: URLSearchParams, options?: { readOnly?: boolean }): Promise<{ status: number, headers: Record<string, string>, body: string }>
}

/** The kubelets by node name (wired by the cluster); undefined: none runs in this process. */
export type NodeProxySource = (node: string) => KubeletHttp | undefined

/** The kubelet's HTTPS port, and the plain-HTTP read-only port k3s v1.32.3 still leaves open. */
const KUBELET_PORT = '10250'
const READ_ONLY_PORT = '10255'

export const isNodeProxyRequest = (api: ApiRequest): boolean =>
  api.info.group === '' && api.info.resource === 'nodes' && api.subresource === 'proxy'

export async function serveNodeProxy (core: ApiServerCore, req: Request, res: Response, api: ApiRequest, path: string): Promise<void> {
  const { scheme, name, portText } = splitSchemeNamePort(api.name!, 'node')
  const node = await core.ctx.storage.get(api.info, undefined, name)
  if (redirectedToRoot(req, res, path)) return
  const port = portText === '' ? KUBELET_PORT : portText
  const target = `${internalIP(node)}:${port}`
  // Node ResourceLocation: the kubelet's own port is https whatever the request says; another
  // port takes the request's scheme, http by default.
  const tls = port === KUBELET_PORT || scheme === 'https'
  const kubelet = port === KUBELET_PORT || port === READ_ONLY_PORT ? core.nodeProxy?.(name) : undefined
  if (kubelet === undefined) throw unreachable(`dial tcp ${target}: connect: connection refused`)
  if (port === READ_ONLY_PORT && tls) throw unreachable('tls: first record does not look like a TLS handshake')
  const query = new URL(req.originalUrl, 'https://apiserver').searchParams
  let reply
  try {
    reply = await kubelet.serveHttp(req.method, path === '' ? '/' : path, query, { readOnly: port === READ_ONLY_PORT })
  } catch (err) {
    // Only a kubelet nobody listens for is the proxy's error; anything else is the server's own.
    if ((err as { backendUnavailable?: boolean }).backendUnavailable === true) throw unreachable((err as Error).message)
    throw err
  }
  send(res, reply)
}

/** The kubelet's answer as it wrote it: its own Content-Type, no charset added. */
function send (res: Response, reply: { status: number, headers: Record<string, string>, body: string }): void {
  res.status(reply.status)
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v)
  res.end(reply.body)
}

function internalIP (node: KubeObject): string {
  const addresses = ((node.status as { addresses?: Array<{ type: string, address: string }> } | undefined)?.addresses) ?? []
  return addresses.find(a => a.type === 'InternalIP')?.address ?? node.metadata.name!
}
