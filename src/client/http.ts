// The Client over HTTPS, for code outside the server process (`k3sim agent`, tests). Kinds are
// mapped to resources through the server's own discovery documents, cached per group-version.
import { K3S_USER_AGENT } from '../api/version.ts'
import { request, type RequestOptions as HttpsOptions } from 'node:https'
import type { KubeObject } from '../api/object.ts'
import { parseApiVersion } from '../api/resources.ts'
import { requireTypeMeta } from './type-meta.ts'
import { StatusError, type Status } from '../apiserver/errors.ts'
import type { ApiWatchEvent } from '../apiserver/handlers/watch.ts'
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchOptions, WatchOptions, WatchStream, WriteOptions } from './client.ts'

export interface HttpClientOptions {
  /** https://host:port */
  server: string
  ca: string
  token?: string
  cert?: string
  key?: string
  /** Default: the k3s binary's (a `k3sim agent` is a k3s agent); names the field manager of writes without one. */
  userAgent?: string
}

interface Resolved { resource: string, namespaced: boolean }

const PATCH_TYPES = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', apply: 'application/apply-patch+yaml' }

export class HttpClient implements Client {
  private readonly options: HttpClientOptions
  private readonly url: URL
  private readonly discovery = new Map<string, Promise<Map<string, Resolved>>>()

  constructor (options: HttpClientOptions) {
    this.options = options
    this.url = new URL(options.server)
  }

  async get<T extends KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, options: { subresource?: string } = {}): Promise<T> {
    return await this.call('GET', await this.path(apiVersion, kind, namespace, name, options.subresource)) as T
  }

  async list<T extends KubeObject> (apiVersion: string, kind: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, ...q } = options
    return await this.call('GET', await this.path(apiVersion, kind, namespace) + query(q)) as ObjectList<T>
  }

  async create<T extends KubeObject> (obj: T, options: WriteOptions = {}): Promise<T> {
    return await this.call('POST', await this.path(obj.apiVersion!, obj.kind!, obj.metadata.namespace) + query(writeQuery(options)), obj) as T
  }

  async update<T extends KubeObject> (obj: T, options: WriteOptions = {}): Promise<T> {
    const path = await this.path(obj.apiVersion!, obj.kind!, obj.metadata.namespace, obj.metadata.name, options.subresource)
    return await this.call('PUT', path + query(writeQuery(options)), obj) as T
  }

  async patch<T extends KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const path = await this.path(apiVersion, kind, namespace, name, options.subresource)
    const q = { ...writeQuery(options), force: options.force === true ? 'true' : undefined }
    return await this.call('PATCH', path + query(q), patch, PATCH_TYPES[options.type ?? 'merge']) as T
  }

  async delete (apiVersion: string, kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<KubeObject> {
    return await this.call('DELETE', await this.path(apiVersion, kind, namespace, name), { ...options, dryRun: options.dryRun === true ? ['All'] : undefined }) as KubeObject
  }

  async post (apiVersion: string, kind: string, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.call('POST', await this.path(apiVersion, kind, namespace, name, subresource), body)
  }

  async watch (apiVersion: string, kind: string, options: WatchOptions = {}): Promise<WatchStream> {
    const { namespace, ...q } = options
    const path = await this.path(apiVersion, kind, namespace) + query({ ...q, watch: 'true' })
    const res = await this.send('GET', path)
    if (res.statusCode !== 200) throw toError(res.statusCode ?? 500, await readAll(res))
    const queue: ApiWatchEvent[][] = []
    let wake: (() => void) | undefined
    let ended = false
    let partial = ''
    res.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8')
      const lines = partial.split('\n')
      partial = lines.pop()!
      const events = lines.filter(l => l.trim() !== '').map(l => JSON.parse(l) as ApiWatchEvent)
      if (events.length > 0) { queue.push(events); wake?.() }
    })
    res.on('close', () => { ended = true; wake?.() })
    return {
      async next () {
        for (;;) {
          const batch = queue.shift()
          if (batch !== undefined) return batch
          if (ended) return null
          await new Promise<void>(resolve => { wake = resolve })
          wake = undefined
        }
      },
      close: () => { res.destroy(); ended = true; wake?.() },
    }
  }

  private async path (apiVersion: string, kind: string, namespace?: string, name?: string, subresource?: string): Promise<string> {
    requireTypeMeta(apiVersion, kind)
    const { group } = parseApiVersion(apiVersion)
    const resolved = (await this.resources(apiVersion)).get(kind)
    if (resolved === undefined) throw new StatusError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`)
    let p = group === '' ? `/api/${apiVersion}` : `/apis/${apiVersion}`
    if (resolved.namespaced && namespace !== undefined) p += `/namespaces/${encodeURIComponent(namespace)}`
    p += `/${resolved.resource}`
    if (name !== undefined) p += `/${encodeURIComponent(name)}`
    if (subresource !== undefined) p += `/${subresource}`
    return p
  }

  private resources (apiVersion: string): Promise<Map<string, Resolved>> {
    let entry = this.discovery.get(apiVersion)
    if (entry === undefined) {
      const { group } = parseApiVersion(apiVersion)
      entry = this.call('GET', group === '' ? `/api/${apiVersion}` : `/apis/${apiVersion}`).then(doc => {
        const map = new Map<string, Resolved>()
        for (const r of (doc as { resources: Array<{ name: string, kind: string, namespaced: boolean }> }).resources) {
          if (!r.name.includes('/')) map.set(r.kind, { resource: r.name, namespaced: r.namespaced })
        }
        return map
      })
      entry.catch(() => this.discovery.delete(apiVersion))
      this.discovery.set(apiVersion, entry)
    }
    return entry
  }

  private send (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<import('node:http').IncomingMessage> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.options.userAgent ?? K3S_USER_AGENT }
    if (this.options.token !== undefined) headers.Authorization = `Bearer ${this.options.token}`
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    if (payload !== undefined) { headers['Content-Type'] = contentType; headers['Content-Length'] = String(payload.length) }
    const opts: HttpsOptions = { method, host: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port, path, headers, ca: this.options.ca, cert: this.options.cert, key: this.options.key }
    return new Promise((resolve, reject) => {
      const req = request(opts, resolve)
      req.on('error', reject)
      req.end(payload)
    })
  }

  private async call (method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    const res = await this.send(method, path, body, contentType)
    const text = await readAll(res)
    if ((res.statusCode ?? 500) >= 300) throw toError(res.statusCode ?? 500, text)
    return JSON.parse(text)
  }
}

function readAll (res: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    res.on('error', reject)
  })
}

function toError (code: number, text: string): StatusError {
  try {
    const s = JSON.parse(text) as Status
    return new StatusError(s.code ?? code, s.reason ?? 'Unknown', s.message ?? text, s.details)
  } catch {
    return new StatusError(code, 'Unknown', text)
  }
}

function writeQuery (o: WriteOptions): Record<string, string | undefined> {
  return { dryRun: o.dryRun === true ? 'All' : undefined, fieldManager: o.fieldManager }
}

function query (q: Record<string, unknown>): string {
  const entries = Object.entries(q).filter(([, v]) => v !== undefined && v !== '')
  return entries.length === 0 ? '' : '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()
}
