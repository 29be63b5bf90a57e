// The proxies' HTTP forwarding (proxy/http-forward.ts) against backends that misbehave: a
// malformed status is an error for that request, not a crash; the path goes out escaped as Go
// escapes it; a chunked upload arrives whole.
import assert from 'node:assert/strict'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import express from 'express'
import type { Server as HttpServer } from 'node:http'
import { asDuplex, forwardHttp } from '../../src/apiserver/proxy/http-forward.ts'
import { escapePath } from '../../src/apiserver/proxy/location.ts'

/** A raw TCP backend: `answer` gets what the proxy sent and writes the reply. */
async function backend (answer: (request: string, write: (s: string) => void) => boolean): Promise<Server> {
  const server = createServer(socket => {
    let seen = ''
    socket.on('data', d => { seen += d.toString('latin1'); if (answer(seen, s => socket.write(s))) socket.end() })
    socket.on('error', () => {})
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return server
}

/** The proxy: every request forwarded to the backend, a rejection answered 503 with its message. */
async function proxy (to: Server): Promise<{ url: string, server: HttpServer }> {
  const app = express()
  app.all('/p/{*rest}', (req, res) => {
    const path = escapePath(decodeURIComponent(req.path.slice(2)))
    forwardHttp(asDuplex(connect((to.address() as AddressInfo).port, '127.0.0.1')), req, res, path)
      .catch((err: Error) => { if (!res.headersSent) res.status(503).end(err.message) })
  })
  const server = await new Promise<HttpServer>(resolve => { const s = app.listen(0, '127.0.0.1', () => resolve(s)) })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('apiserver/proxy HTTP forwarding', () => {
  const closers: Array<() => void> = []
  afterEach(() => { for (const c of closers.splice(0)) c() })

  it('answers a malformed status from the backend with an error for that request, and goes on serving', async () => {
    const bad = await backend((_r, write) => { write('HTTP/1.1 099 X\r\ncontent-length: 0\r\n\r\n'); return true })
    const p = await proxy(bad)
    closers.push(() => bad.close(), () => p.server.close())
    const r = await fetch(`${p.url}/p/x`)
    assert.equal(r.status, 503)
    assert.match(await r.text(), /malformed|status|Parse Error/i)
    const again = await fetch(`${p.url}/p/y`)
    assert.equal(again.status, 503, 'the process is still serving')
  })

  it('sends the path escaped as Go escapes it, and a chunked upload whole', async () => {
    let seen = ''
    const echo = await backend((request, write) => {
      if (!/\r\n0\r\n\r\n$/.test(request) && !/content-length: 0/i.test(request)) return false
      seen = request
      write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')
      return true
    })
    const p = await proxy(echo)
    closers.push(() => echo.close(), () => p.server.close())
    const body = new ReadableStream({ start (c) { c.enqueue(new TextEncoder().encode('hello ')); c.enqueue(new TextEncoder().encode('world')); c.close() } })
    const r = await fetch(`${p.url}/p/a%20b/%C3%A9%3F/$x@y`, { method: 'POST', body, duplex: 'half' } as RequestInit)
    assert.equal(await r.text(), 'ok')
    assert.match(seen, /^POST \/a%20b\/%C3%A9%3F\/\$x@y HTTP\/1\.1\r\n/)
    assert.match(seen, /transfer-encoding: chunked/i)
    assert.match(seen, /\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n$/)
  })
})
