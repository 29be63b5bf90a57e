// One plain HTTP request through a forwarded connection into a pod (the runtime's PortDialer, as
// port-forward uses it): node:http speaks HTTP/1.1 over it, and the answer is streamed back as
// the backend wrote it — status, headers, body — as kube-apiserver's proxy passes it through.
import { request, type IncomingHttpHeaders } from 'node:http'
import { Duplex } from 'node:stream'
import type { Request, Response } from 'express'
import type { ForwardedConnection } from '../streaming/options.ts'

/** Hop-by-hop headers, not passed on either way. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'])
/** The response's CORS headers, which upstream's proxy removes (corsRemovingTransport). */
const CORS = new Set(['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin'])

/**
 * `socket`: the connection to the backend (asDuplex of a forwarded one, or TLS over that);
 * `path`: the backend's path (escaped) and query. As httputil.ReverseProxy behind kube-apiserver's
 * filters: the client's Host kept, its credentials and impersonation headers not passed on,
 * X-Forwarded-For appended, X-Forwarded-Uri the API path, a chunked body chunked again. Rejects
 * when the backend answers nothing usable; once the answer has started, a failure ends it.
 */
export async function forwardHttp (socket: Duplex, req: Request, res: Response, path: string): Promise<void> {
  const headers: IncomingHttpHeaders = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(k) && k !== 'authorization' && !k.startsWith('impersonate-')) headers[k] = v
  }
  if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked'
  headers['x-forwarded-uri'] = req.path
  const forwarded = req.headers['x-forwarded-for']
  headers['x-forwarded-for'] = forwarded === undefined ? req.socket.remoteAddress ?? '' : `${String(forwarded)}, ${req.socket.remoteAddress ?? ''}`
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => { socket.destroy(); reject(err) }
    let out: ReturnType<typeof request>
    try {
      out = request({ createConnection: () => socket as never, method: req.method, path, headers }, backend => {
        try {
          const status = backend.statusCode ?? 0
          if (status < 100 || status > 999) throw new Error(`malformed HTTP status code "${status}"`)
          res.status(status)
          for (const [k, v] of Object.entries(backend.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && !CORS.has(k)) res.setHeader(k, v)
          backend.on('error', err => { res.destroy(); reject(err) })
          backend.on('end', resolve)
          backend.pipe(res)
        } catch (err) {
          backend.destroy()
          fail(err as Error)
        }
      })
    } catch (err) {
      fail(err as Error)
      return
    }
    out.on('error', fail)
    // The client went away: stop both ways (and drain what it was still uploading).
    res.on('close', () => { if (!res.writableFinished) { req.unpipe(out); req.resume(); out.destroy(); socket.destroy(); resolve() } })
    req.pipe(out)
  })
}

/** The forwarded connection as a stream node:http (or tls.connect) can write to and read from. */
export function asDuplex (conn: ForwardedConnection): Duplex {
  let waiting: (() => void) | undefined
  const d = new Duplex({
    write (chunk: Buffer, _enc, done) {
      if (conn.write(chunk)) done()
      else waiting = done
    },
    final (done) { conn.end(); done() },
    // A slow reader: the connection pauses until it reads again (pause/resume where it has them).
    read () { conn.resume?.() },
    destroy (err, done) { conn.destroy(); done(err) },
  })
  conn.on('drain', () => { const w = waiting; waiting = undefined; w?.() })
  conn.on('data', data => { if (!d.push(data)) conn.pause?.() })
  conn.on('end', () => { d.push(null) })
  conn.on('close', () => { if (!d.destroyed) d.push(null) })
  conn.on('error', err => { d.destroy(err) })
  return d
}
