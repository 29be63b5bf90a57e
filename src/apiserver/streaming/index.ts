// pods/exec, pods/attach and pods/portforward: kube-apiserver's Connect handlers. In upstream's
// order: the query as options (a bad value is a 400), `create` authorized as well for a GET
// (AuthorizePodWebsocketUpgradeCreatePermission: the WebSocket GET must not grant more than the
// SPDY POST), the pod looked up and checked (exists, container valid, has a node), a plain
// request refused (`Upgrade request required`), then the upgrade served: WebSocket for exec and
// attach (remote-command.ts), WebSocket channels or SPDY-over-WebSocket for port-forward
// (port-forward.ts). The kubelets behind the pods are core.streamSource.
import type { Request, Response } from 'express'
import type { KubeObject } from '../../api/object.ts'
import type { ApiServerCore } from '../core.ts'
import { badRequest, methodNotAllowed, StatusError } from '../errors.ts'
import { resourceAttributes } from '../rbac/attributes.ts'
import type { ApiRequest } from '../request.ts'
import { sendJson } from '../http/app.ts'
import { backendUnavailable, forwardedPorts, requireHost, type Session, sessionOptions, type StreamSource, upgradeRefusal, upgradeRequired, validateContainer } from './options.ts'
import { servePortForward } from './port-forward.ts'
import { abandon, chooseChannelProtocol, CHANNEL_PROTOCOLS, OutputBuffer, serveRemoteCommand, V5 } from './remote-command.ts'
import { negotiateSpdy, serveSpdyRemoteCommand, SPDY_PROTOCOLS } from './spdy-remote-command.ts'
import { isUpgradeRequest, takeUpgrade } from './upgrade.ts'
import { handshakeProblem, offeredProtocols, WebSocket } from './websocket.ts'

const SUBRESOURCES = new Set(['exec', 'attach', 'portforward'])

export const isStreamingRequest = (api: ApiRequest): boolean =>
  api.info.group === '' && api.info.resource === 'pods' && api.subresource !== undefined && SUBRESOURCES.has(api.subresource)

export async function serveStreaming (core: ApiServerCore, req: Request, res: Response, api: ApiRequest): Promise<void> {
  if (api.verb !== 'get' && api.verb !== 'create') throw methodNotAllowed(api.verb, api.info)
  const query = req.query as Record<string, unknown>
  const forward = api.subresource === 'portforward'
  const session = forward ? undefined : sessionOptions(query)
  const ports = forward ? forwardedPorts(query) : []
  if (api.verb === 'get') {
    await core.ctx.authorizer.require(resourceAttributes(api.user, 'create', { group: '', resource: 'pods', subresource: api.subresource, namespace: api.namespace, name: api.name }))
  }
  const pod = await core.ctx.storage.get(api.info, api.namespace, api.name!)
  const container = session === undefined ? '' : validateContainer(pod, session.container)
  requireHost(pod)
  if (!isUpgradeRequest(req)) throw upgradeRequired()
  const source = core.streamSource ?? noKubelets
  const websocket = /\bwebsocket\b/i.test(String(req.headers.upgrade ?? ''))
  if (websocket) {
    const problem = handshakeProblem(req)
    if (problem !== undefined) throw badRequest(problem)
  }
  if (forward) {
    // The kubelet (and the runtime's PortForward) answer before any stream opens.
    let dial
    try { dial = await source.portForward(pod) } catch (err) { kubeletRefused(res, err); return }
    await servePortForward({ req, res, pod, ports, dial, websocket })
    return
  }
  if (!websocket && !/\bSPDY\/3\.1\b/i.test(String(req.headers.upgrade ?? ''))) {
    res.status(400).type('text/plain').send(`unable to upgrade: missing upgrade headers in request: Upgrade ${JSON.stringify(req.headers.upgrade ?? '')}`)
    return
  }
  const offered = websocket ? offeredProtocols(req) : negotiateSpdy(req).offered
  const protocol = websocket ? chooseChannelProtocol(offered) : negotiateSpdy(req).protocol
  if (protocol === undefined && websocket) throw badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${CHANNEL_PROTOCOLS.join(' ')}]`)
  if (protocol === undefined) {
    // httpstream.Handshake's refusal, passed through from the kubelet.
    res.status(403).type('text/plain').send(`unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(SPDY_PROTOCOLS)}`)
    return
  }
  const { command, streams } = session!
  if (!streams.stdin && !streams.stdout && !streams.stderr) {
    // The kubelet's NewOptions refuses this before upgrading (its 400 passes through the proxy).
    kubeletRefused(res, Object.assign(new Error('you must specify at least 1 of stdin, stdout, stderr'), { upgradeRefusal: 400 }))
    return
  }
  const output = new OutputBuffer()
  const started = tracked(core, api.subresource === 'exec'
    ? source.exec(pod, container, command, streams, output.write)
    : source.attach(pod, container, streams, output.write))
  // Whatever becomes of the connection, a session that fails to start is never an unhandled
  // rejection (the serving code reports it, or it is dropped with the connection).
  started.catch(() => {})
  if (protocol !== V5 || !websocket) {
    // Without the translator, the kubelet's own refusal is the answer to the upgrade.
    try { await started } catch (err) { if (upgradeRefusal(err) !== undefined || backendUnavailable(err)) { kubeletRefused(res, err); return } }
  }
  const upgrade = takeUpgrade(req)
  if (upgrade === undefined) { abandon(started, output); throw upgradeRequired() }
  const kind = api.subresource as 'exec' | 'attach'
  if (!websocket) { serveSpdyRemoteCommand({ upgrade, protocol, kind, command, streams, started, output }); return }
  let ws: WebSocket
  try {
    ws = WebSocket.accept(req, upgrade.socket, upgrade.head, protocol)
  } catch {
    // `ws` refused the handshake (it answered the client itself) or the client is gone.
    abandon(started, output)
    if (!upgrade.socket.destroyed && !upgrade.socket.writableEnded) upgrade.socket.destroy()
    return
  }
  serveRemoteCommand({ ws, protocol, kind, command, streams, started, output })
}

/** The sessions of each API server that the kubelets started and that are neither over nor closed. */
const live = new WeakMap<ApiServerCore, Set<object>>()

/** How many exec/attach sessions `core` holds open (a client gone must leave none behind). */
export function liveSessions (core: ApiServerCore): number {
  return live.get(core)?.size ?? 0
}

/** `started`, counted in liveSessions until it fails to start, ends or is closed. */
function tracked (core: ApiServerCore, started: Promise<Session>): Promise<Session> {
  let sessions = live.get(core)
  if (sessions === undefined) live.set(core, sessions = new Set())
  const entry = {}
  sessions.add(entry)
  const release = (): void => { sessions.delete(entry) }
  return started.then(s => {
    s.done.then(release, release)
    return {
      write: data => s.write(data),
      closeStdin: () => s.closeStdin(),
      resize: size => s.resize(size),
      done: s.done,
      close: () => { release(); s.close() },
    }
  }, err => { release(); throw err })
}

/**
 * The kubelet's answer to an upgrade it refuses, passed through as upstream's proxy passes it:
 * its status and plain-text message (kubectl: `unable to upgrade connection: <message>`). No
 * kubelet at all is the proxy's own 500 (`error dialing backend: …`).
 */
export function kubeletRefused (res: Response, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  if (backendUnavailable(err)) {
    sendJson(res, 500, new StatusError(500, 'InternalError', `Internal error occurred: error dialing backend: ${message}`, { causes: [{ message: `error dialing backend: ${message}` }] }).status)
    return
  }
  res.status(upgradeRefusal(err) ?? 500).type('text/plain').send(message)
}

/** A control plane without kubelets (no nodes run in this process). */
const noKubelets: StreamSource = {
  exec: async pod => { throw unreachable(pod) },
  attach: async pod => { throw unreachable(pod) },
  portForward: async pod => { throw unreachable(pod) },
}

const unreachable = (pod: KubeObject): Error =>
  Object.assign(new Error(`no kubelet of node "${(pod.spec as { nodeName?: string }).nodeName}" runs in this k3sim process`), { backendUnavailable: true })
