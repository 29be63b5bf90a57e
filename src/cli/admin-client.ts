// Requests to a running cluster with its admin credentials (the client certificate of the
// kubeconfig.yaml in its state dir): the Kubernetes API (nodes Ready?) and k3sim's admin
// endpoint (/k3sim/v1alpha1/nodes), both on the API's HTTPS port.
import { request } from 'node:https'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { clusterFile } from './home.ts'
import { CliError } from './output.ts'

interface KubeconfigDoc {
  clusters: Array<{ cluster: { server: string, 'certificate-authority-data': string } }>
  users: Array<{ user: { 'client-certificate-data': string, 'client-key-data': string } }>
}

const fromB64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8')

export interface AdminResponse { code: number, body: any }

export function adminRequest (cluster: string, method: string, path: string, body?: unknown): Promise<AdminResponse> {
  const doc = parse(readFileSync(clusterFile(cluster, 'kubeconfig.yaml'), 'utf8')) as KubeconfigDoc
  const url = new URL(path, doc.clusters[0].cluster.server)
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ca: fromB64(doc.clusters[0].cluster['certificate-authority-data']),
      cert: fromB64(doc.users[0].user['client-certificate-data']),
      key: fromB64(doc.users[0].user['client-key-data']),
      // A PATCH is a JSON merge patch (RFC 7386), as `kubectl patch --type merge` sends it.
      headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }) },
    }, res => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => { text += c }).on('end', () => {
        let parsed: unknown = text
        try { parsed = JSON.parse(text) } catch {}
        resolve({ code: res.statusCode ?? 0, body: parsed })
      })
    })
    req.on('error', err => reject(new CliError(`cannot reach cluster "${cluster}" at ${url.origin}: ${err.message}; is it running? (k3sim cluster list, k3sim cluster start ${cluster})`)))
    req.end(payload)
  })
}

/** The body of a 2xx answer; anything else becomes the server's message as a CliError. */
export async function adminCall (cluster: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await adminRequest(cluster, method, path, body)
  if (res.code >= 200 && res.code < 300) return res.body
  throw new CliError(typeof res.body === 'object' && res.body !== null && 'message' in res.body ? String(res.body.message) : `${method} ${path}: HTTP ${res.code}`)
}

export interface NodeInfo { name: string, role: 'server' | 'agent', running: boolean }

export async function listNodes (cluster: string): Promise<NodeInfo[]> {
  return (await adminCall(cluster, 'GET', '/k3sim/v1alpha1/nodes')).items as NodeInfo[]
}

/** Names of the cluster's nodes that are not Ready, as `kubectl get nodes` would show them. */
export async function notReadyNodes (cluster: string): Promise<string[]> {
  const list = await adminCall(cluster, 'GET', '/api/v1/nodes') as { items: Array<{ metadata: { name: string }, status?: { conditions?: Array<{ type: string, status: string }> } }> }
  return list.items.filter(n => n.status?.conditions?.find(c => c.type === 'Ready')?.status !== 'True').map(n => n.metadata.name)
}
