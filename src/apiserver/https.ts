// The API server's HTTPS listener: the cluster's serving certificate, client certificates
// verified against the client CA (optional, as k3s: a bearer token also works), loopback by
// default, and 401 for anonymous requests as k3s answers them.
import { createServer, type Server } from 'node:https'
import type { TLSSocket } from 'node:tls'
import type { Request } from 'express'
import { userFromSubject, type ClusterPki } from '../cluster/certificates.ts'
import type { ApiServerCore } from './core.ts'
import { createApp, type ApiExtension } from './http/app.ts'
import type { UserInfo } from './request.ts'
import { serviceAccountUser } from './service-account-auth.ts'
import { isStreamingUpgrade, serveUpgrade } from './streaming/upgrade.ts'

export interface ApiListenerOptions {
  core: ApiServerCore
  pki: ClusterPki
  /** Bearer tokens and who they are. */
  tokens: Map<string, UserInfo>
  host?: string
  /** 0 picks a free port. */
  port?: number
  log?: (msg: string) => void
}

export interface ApiListener {
  host: string
  port: number
  url: string
  /** Serve a non-Kubernetes endpoint (k3sim's admin API) beside the Kubernetes API. */
  setExtension(ext: ApiExtension | undefined): void
  close(): Promise<void>
}

/**
 * Bearer tokens (the static ones, then service account JWTs), else the client certificate. Every
 * authenticated user is also in system:authenticated, as the apiserver's authenticator adds it.
 */
const certificateUsers = new WeakMap<TLSSocket, UserInfo | null>()

export function authenticator (tokens: Map<string, UserInfo>, serviceAccount: (token: string) => Promise<UserInfo | undefined> = async () => undefined): (req: Request) => Promise<UserInfo | undefined> {
  const authenticated = (user: UserInfo | undefined): UserInfo | undefined =>
    user === undefined || user.groups.includes('system:authenticated') ? user : { ...user, groups: [...user.groups, 'system:authenticated'] }
  return async req => {
    const auth = req.headers.authorization
    if (auth !== undefined && auth.startsWith('Bearer ')) {
      const token = auth.slice(7).trim()
      return authenticated(tokens.get(token) ?? await serviceAccount(token))
    }
    const socket = req.socket as TLSSocket
    if (socket.authorized === true) {
      // A connection's certificate does not change: read its subject once per connection
      // (getPeerCertificate builds a new object each call, ~6 % of an admin GET).
      let user = certificateUsers.get(socket)
      if (user === undefined) {
        const cert = socket.getPeerCertificate()
        const subject = userFromSubject(cert.subject as { CN?: string, O?: string })
        user = subject.name === '' ? null : authenticated(subject)!
        certificateUsers.set(socket, user)
      }
      if (user !== null) return user
    }
    return undefined
  }
}

export async function startApiListener (options: ApiListenerOptions): Promise<ApiListener> {
  const host = options.host ?? '127.0.0.1'
  let address = ''
  let extension: ApiExtension | undefined
  const app = createApp({
    extension: () => extension,
    core: options.core,
    authenticate: authenticator(options.tokens, async token => (await serviceAccountUser(options.core.ctx, token))?.user),
    serverAddress: () => address,
    log: options.log,
  })
  const server: Server = createServer({
    cert: options.pki.serving.cert,
    key: options.pki.serving.key,
    ca: [options.pki.clientCa.cert],
    requestCert: true,
    rejectUnauthorized: false,
    // exec, attach and port-forward upgrade their connection; any other Upgrade is a plain request.
    // (shouldUpgradeCallback is Node >= 24.9.0's, hence package.json's engines.)
    shouldUpgradeCallback: isStreamingUpgrade,
  }, app)
  server.on('upgrade', (req, socket, head) => serveUpgrade(app, req, socket, head))
  server.keepAliveTimeout = 65_000
  const sockets = new Set<import('node:net').Socket>()
  server.on('secureConnection', s => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 6443, host, () => resolve((server.address() as { port: number }).port))
  })
  address = `${host}:${port}`
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    host,
    port,
    url: `https://${shown}:${port}`,
    setExtension: ext => { extension = ext },
    close: () => new Promise(resolve => {
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
    }),
  }
}
