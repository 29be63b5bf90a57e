// /healthz, /livez and /readyz as kube-apiserver v1.32 serves them (k8s.io/apiserver
// pkg/server/healthz): "ok", or with ?verbose one line per check and "<name> check passed";
// ?exclude=<check> skips a check; /<endpoint>/<check> answers for one check (an unknown one is
// the NotFound Status of any unknown path). Every check passes here: the store is in process,
// and the post-start hooks are the work Cluster.start has done before the API server answers.
import type { Express, Request, Response } from 'express'

const POST_START_HOOKS = [
  'start-apiserver-admission-initializer', 'generic-apiserver-start-informers', 'priority-and-fairness-config-consumer',
  'priority-and-fairness-filter', 'storage-object-count-tracker-hook', 'start-apiextensions-informers',
  'start-apiextensions-controllers', 'crd-informer-synced', 'start-service-ip-repair-controllers', 'rbac/bootstrap-roles',
  'scheduling/bootstrap-system-priority-classes', 'priority-and-fairness-config-producer', 'start-system-namespaces-controller',
  'bootstrap-controller', 'start-cluster-authentication-info-controller', 'start-kube-apiserver-identity-lease-controller',
  'start-kube-apiserver-identity-lease-garbage-collector', 'start-legacy-token-tracking-controller',
  'aggregator-reload-proxy-client-cert', 'start-kube-aggregator-informers', 'apiservice-status-local-available-controller',
  'apiservice-status-remote-available-controller', 'apiservice-registration-controller', 'apiservice-discovery-controller',
  'kube-apiserver-autoregistration',
].map(h => `poststarthook/${h}`)

const AFTER_HOOKS = ['autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller']

/** The checks of each endpoint, in the order kube-apiserver lists them. */
export const HEALTH_CHECKS: Readonly<Record<'healthz' | 'livez' | 'readyz', readonly string[]>> = {
  healthz: ['ping', 'log', 'etcd', ...POST_START_HOOKS, ...AFTER_HOOKS],
  livez: ['ping', 'log', 'etcd', ...POST_START_HOOKS, ...AFTER_HOOKS],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...POST_START_HOOKS, ...AFTER_HOOKS, 'shutdown'],
}

const queryList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)])

function send (res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'text/plain; charset=utf-8').set('X-Content-Type-Options', 'nosniff').send(body)
}

function root (name: keyof typeof HEALTH_CHECKS, req: Request, res: Response): void {
  const excluded = new Set(queryList(req.query.exclude))
  const lines: string[] = []
  for (const check of HEALTH_CHECKS[name]) {
    if (excluded.delete(check)) lines.push(`[+]${check} excluded: ok`)
    else lines.push(`[+]${check} ok`)
  }
  if (excluded.size > 0) lines.push(`warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map(e => `"${e}"`).join(',')}`)
  if (req.query.verbose === undefined) { send(res, 200, 'ok'); return }
  send(res, 200, `${lines.join('\n')}\n${name} check passed\n`)
}

export function serveHealth (app: Express): void {
  for (const name of ['healthz', 'livez', 'readyz'] as const) {
    app.get(`/${name}`, (req, res) => root(name, req, res))
    // An unknown check falls through to the API server's NotFound Status, as any unknown path.
    app.get(`/${name}/*check`, (req, res, next) => {
      const check = ([] as string[]).concat((req.params as Record<string, string | string[]>).check).join('/')
      if (HEALTH_CHECKS[name].includes(check)) send(res, 200, 'ok')
      else next()
    })
  }
}
