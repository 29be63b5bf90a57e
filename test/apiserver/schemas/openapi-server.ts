// A plain-HTTP server with just what kubectl explain needs: /version, legacy discovery from the
// resource table and our OpenAPI v3 documents. kubectl runs with a fresh HOME (it caches
// discovery under ~/.kube/cache) and a kubeconfig pointing at http://127.0.0.1:PORT.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import { apiGroupList, apiResourceList } from '../../../src/apiserver/discovery.ts'
import { openapiDocument, openapiIndex } from '../../../src/apiserver/openapi.ts'
import { ResourceIndex } from '../../../src/apiserver/resource-index.ts'

const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.3+k3s1', platform: 'linux/amd64' }

export interface OpenapiServer {
  kubectl(args: string[], input?: string): Promise<{ code: number, stdout: string, stderr: string }>
  stop(): Promise<void>
}

/** `routes` adds handlers (registered first) for tests that need objects, e.g. kubectl apply. */
export async function startOpenapiServer (routes: (app: express.Express) => void = () => {}, index = new ResourceIndex()): Promise<OpenapiServer> {
  const app = express()
  routes(app)
  const json = (res: express.Response, body: object | undefined): void => {
    if (body === undefined) res.status(404).json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 })
    else res.status(200).json(body)
  }
  app.get('/version', (_req, res) => { json(res, VERSION) })
  app.get('/api', (_req, res) => { json(res, { kind: 'APIVersions', versions: ['v1'] }) })
  app.get('/apis', (_req, res) => { json(res, apiGroupList(index)) })
  app.get('/api/:version', (req, res) => { json(res, apiResourceList(index, '', req.params.version)) })
  app.get('/apis/:group/:version', (req, res) => { json(res, apiResourceList(index, req.params.group, req.params.version)) })
  app.get('/openapi/v3', (_req, res) => { json(res, openapiIndex(index)) })
  app.get('/openapi/v3/api/:version', (req, res) => { json(res, openapiDocument(index, '', req.params.version, () => undefined, VERSION.gitVersion)) })
  app.get('/openapi/v3/apis/:group/:version', (req, res) => { json(res, openapiDocument(index, req.params.group, req.params.version, () => undefined, VERSION.gitVersion)) })
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>(resolve => server.once('listening', () => { resolve() }))
  const port = (server.address() as AddressInfo).port

  const home = mkdtempSync(join(tmpdir(), 'k3sim-openapi-'))
  const kubeconfig = join(home, 'kubeconfig')
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: test',
    'clusters:', `- name: test`, `  cluster: {server: "http://127.0.0.1:${port}"}`,
    'users:', '- name: test', '  user: {}',
    'contexts:', '- name: test', '  context: {cluster: test, user: test}', '',
  ].join('\n'))

  return {
    kubectl: (args, input) => new Promise((resolve, reject) => {
      const child = execFile('kubectl', args, { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err !== null && typeof (err as NodeJS.ErrnoException).code === 'string') { reject(err); return }
        resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr })
      })
      child.stdin!.end(input ?? '')
    }),
    async stop () {
      await new Promise<void>(resolve => server.close(() => { resolve() }))
      rmSync(home, { recursive: true, force: true })
    },
  }
}
