// Raw HTTPS requests to a k3sim API server, authenticated as the kubeconfig's admin (client
// certificate) or with a bearer token, for tests that must control every byte of the request.
import { request } from 'node:https'
import { parse as parseYaml } from 'yaml'

export interface KubeconfigCredentials {
  server: string
  ca: string
  cert: string
  key: string
}

interface KubeconfigDoc {
  clusters: Array<{ cluster: { server: string, 'certificate-authority-data': string } }>
  users: Array<{ user: { 'client-certificate-data': string, 'client-key-data': string } }>
}

const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8')

/** Server URL, CA and the admin's client certificate from a kubeconfig with one cluster and user. */
export function credentialsOf (kubeconfig: string): KubeconfigCredentials {
  const doc = parseYaml(kubeconfig) as KubeconfigDoc
  const cluster = doc.clusters[0].cluster
  const user = doc.users[0].user
  return {
    server: cluster.server,
    ca: unb64(cluster['certificate-authority-data']),
    cert: unb64(user['client-certificate-data']),
    key: unb64(user['client-key-data']),
  }
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any
}

export interface RawRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Authenticate with this bearer token instead of the client certificate. */
  token?: string
  /** Send the body chunked, without a Content-Length. */
  chunked?: boolean
}

/** A response read line by line as it arrives (a watch): resolves once the headers are in. */
export interface RawStream {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Complete lines so far, parsed as JSON. */
  lines: unknown[]
  /** Resolves once `n` lines have arrived, or rejects if the stream ends first. */
  waitForLines(n: number): Promise<unknown[]>
  /** Resolves with the whole body once the server ends the response. */
  ended: Promise<string>
  close(): void
}

export class RawClient {
  private readonly creds: KubeconfigCredentials
  private readonly url: URL

  constructor (kubeconfig: string) {
    this.creds = credentialsOf(kubeconfig)
    this.url = new URL(this.creds.server)
  }

  private options (r: RawRequest): { opts: import('node:https').RequestOptions, body?: Buffer } {
    const headers: Record<string, string> = { Accept: 'application/json', ...r.headers }
    if (r.token !== undefined) headers.Authorization = `Bearer ${r.token}`
    const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body)
    if (body !== undefined && r.chunked !== true) headers['Content-Length'] = String(body.length)
    const withCert = r.token === undefined ? { cert: this.creds.cert, key: this.creds.key } : {}
    return { opts: { method: r.method, host: this.url.hostname, port: this.url.port, path: r.path, headers, ca: this.creds.ca, ...withCert }, body }
  }

  send (r: RawRequest): Promise<RawResponse> {
    const { opts, body } = this.options(r)
    return new Promise((resolve, reject) => {
      const req = request(opts, res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try { json = JSON.parse(text) } catch { json = undefined }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
        })
        res.on('error', reject)
      })
      // The server may answer (413) and close before reading a large body: that is a reply, not a failure.
      req.on('error', reject)
      req.end(body)
    })
  }

  get (path: string): Promise<RawResponse> { return this.send({ method: 'GET', path }) }

  /** GET a streaming response (watch=true), resolving at the headers. */
  stream (path: string): Promise<RawStream> {
    const { opts } = this.options({ method: 'GET', path })
    return new Promise((resolve, reject) => {
      const req = request(opts, res => {
        const lines: unknown[] = []
        let partial = ''
        let all = ''
        let done = false
        const waiters: Array<() => void> = []
        const wake = (): void => { for (const w of waiters.splice(0)) w() }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          all += chunk
          partial += chunk
          const parts = partial.split('\n')
          partial = parts.pop()!
          for (const line of parts) if (line.trim() !== '') lines.push(JSON.parse(line))
          wake()
        })
        const ended = new Promise<string>(resolveEnd => res.on('close', () => { done = true; wake(); resolveEnd(all) }))
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          lines,
          ended,
          async waitForLines (n) {
            while (lines.length < n) {
              if (done) throw new Error(`the stream ended after ${lines.length} of ${n} lines: ${all}`)
              await new Promise<void>(resolveWait => waiters.push(resolveWait))
            }
            return lines
          },
          close: () => { req.destroy() },
        })
      })
      req.on('error', err => { if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err) })
      req.end()
    })
  }

  /** JSON body with Content-Type application/json unless headers say otherwise. */
  sendJson (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    return this.send({ method, path, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } })
  }
}
