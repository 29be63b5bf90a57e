// pods/proxy and services/proxy: kube-apiserver's ProxyREST for pods and services (v1.32), for
// plain HTTP. The target is found as upstream's ResourceLocation finds it — a pod's IP and the
// given port (else its first container port); a service's endpoint, at random among the ready
// addresses of the Endpoints subset carrying the service port — and reached through the node's
// kubelet and runtime, as port-forward reaches a pod (the Docker runtime connects for real; the
// fake runtime's pods listen on nothing, so a request is refused as a pod with no server would
// refuse it). Not done: rewriting links in HTML answers and Location headers to go through the
// proxy, which upstream does for text/html.
import { isIPv4, isIPv6 } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { Request, Response } from 'express'
import type { KubeObject } from '../../api/object.ts'
import type { ApiServerCore } from '../core.ts'
import { badRequest } from '../errors.ts'
import type { ApiRequest } from '../request.ts'
import type { ForwardedConnection } from '../streaming/options.ts'
import { asDuplex, forwardHttp } from './http-forward.ts'
import { escapePath, rawQuery, redirectedToRoot, splitSchemeNamePort, unavailable, unreachable } from './location.ts'

type Json = Record<string, any>

interface Target { pod: KubeObject, ip: string, port: number | string, scheme: string }

export async function servePodProxy (core: ApiServerCore, req: Request, res: Response, api: ApiRequest, path: string): Promise<void> {
  const target = api.info.resource === 'pods' ? await podTarget(core, api) : await serviceTarget(core, api)
  if (redirectedToRoot(req, res, path)) return
  // A named port: Go's URL parser refuses it before any dial.
  if (!/^[0-9]+$/.test(String(target.port))) throw unreachable(`dial tcp: lookup tcp/${target.port}: unknown port`)
  const where = `${target.ip}:${target.port}`
  const source = core.streamSource
  let conn: ForwardedConnection
  try {
    if (source === undefined) throw new Error(`dial tcp ${where}: connect: connection refused`)
    const dial = await source.portForward(target.pod)
    conn = await dial(Number(target.port))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw unreachable(message.startsWith('dial tcp') ? message : `dial tcp ${where}: connect: connection refused`)
  }
  // The client left while the connection was made.
  if (res.destroyed || req.destroyed) { conn.destroy(); return }
  // https: TLS over the connection, the backend's certificate unchecked (upstream's transport skips verification for these).
  const socket = target.scheme === 'https' ? tlsConnect({ socket: asDuplex(conn), rejectUnauthorized: false }) : asDuplex(conn)
  try {
    await forwardHttp(socket, req, res, `${escapePath(path === '' ? '/' : path)}${rawQuery(req)}`)
  } catch (err) {
    // Nothing answered (the connection closed, or TLS failed): the proxy's error, if it can still be sent.
    if (res.headersSent) { res.destroy(); return }
    throw unreachable(err instanceof Error && /ECONNRESET|socket hang up/.test(err.message) ? 'EOF' : `${err instanceof Error ? err.message : String(err)}`)
  }
}

/** A pod's IP and port: the given one (verbatim), else its first container port, else 80 (http's). */
async function podTarget (core: ApiServerCore, api: ApiRequest): Promise<Target> {
  const { scheme, name, portText } = splitSchemeNamePort(api.name!, 'pod')
  const pod = await core.ctx.storage.get(api.info, api.namespace, name)
  let chosen: string | number | undefined = portText === '' ? undefined : portText
  if (chosen === undefined) {
    for (const c of ((pod.spec as Json | undefined)?.containers ?? []) as Json[]) {
      if (Array.isArray(c.ports) && c.ports.length > 0) { chosen = Number(c.ports[0].containerPort); break }
    }
  }
  const ip: string = ((pod.status as Json | undefined)?.podIPs?.[0]?.ip ?? '') as string
  if (!isGlobalUnicast(ip)) throw badRequest('address not allowed')
  return { pod, ip, port: chosen ?? (scheme === 'https' ? 443 : 80), scheme }
}

/** net.IP.IsGlobalUnicast: not unspecified, loopback, link-local, multicast or the broadcast address. */
function isGlobalUnicast (ip: string): boolean {
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number)
    return a !== 0 && a !== 127 && !(a === 169 && b === 254) && a < 224
  }
  if (!isIPv6(ip)) return false
  const lower = ip.toLowerCase()
  return lower !== '::' && lower !== '::1' && !lower.startsWith('fe8') && !lower.startsWith('fe9') && !lower.startsWith('fea') && !lower.startsWith('feb') && !lower.startsWith('ff')
}

/** An address of the service's Endpoints behind the port (by name; a number names the service port that has it). */
async function serviceTarget (core: ApiServerCore, api: ApiRequest): Promise<Target> {
  const { scheme, name, portText } = splitSchemeNamePort(api.name!, 'service')
  let portName = portText
  if (/^-?\d+$/.test(portText)) {
    const svc = await core.ctx.storage.get(api.info, api.namespace, name)
    const found = (((svc.spec as Json | undefined)?.ports ?? []) as Json[]).find(p => p.port === Number(portText))
    if (found === undefined) throw unavailable(`no service port ${Number(portText)} found for service "${name}"`)
    portName = found.name ?? ''
  }
  const endpointsInfo = core.index.lookup('', 'v1', 'endpoints')!
  const eps = await core.ctx.storage.get(endpointsInfo, api.namespace, name)
  const subsets = ((eps as Json).subsets ?? []) as Json[]
  if (subsets.length === 0) throw unavailable(`no endpoints available for service "${name}"`)
  const podsInfo = core.index.lookup('', 'v1', 'pods')!
  const start = Math.floor(Math.random() * subsets.length)
  for (let s = 0; s < subsets.length; s++) {
    const ss = subsets[(start + s) % subsets.length]
    const addresses = (ss.addresses ?? []) as Json[]
    if (addresses.length === 0) continue
    for (const p of (ss.ports ?? []) as Json[]) {
      if ((p.name ?? '') !== portName) continue
      const first = Math.floor(Math.random() * addresses.length)
      for (let a = 0; a < addresses.length; a++) {
        const addr = addresses[(first + a) % addresses.length]
        // Only addresses that are pods (isValidAddress): the pod must exist with that IP.
        const ref = addr.targetRef as Json | undefined
        if (ref === undefined || ref.namespace !== api.namespace) continue
        const pod = await core.ctx.storage.tryGet(podsInfo, api.namespace, ref.name)
        const ips = (((pod?.status as Json | undefined)?.podIPs ?? []) as Json[]).map(x => x.ip)
        if (pod === undefined || !ips.includes(addr.ip)) continue
        return { pod, ip: addr.ip, port: Number(p.port), scheme }
      }
    }
  }
  throw unavailable(`no endpoints available for service "${api.name!}"`)
}

