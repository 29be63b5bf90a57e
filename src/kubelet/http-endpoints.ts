// What a kubelet's HTTPS server (port 10250) answers on the paths people read through the API
// server's nodes/proxy (`kubectl get --raw /api/v1/nodes/<node>/proxy/<path>`), as kubelet v1.32
// of k3s v1.32.3 answers: /healthz, /pods, /configz, /stats/summary and /metrics/resource
// (pkg/kubelet/server/server.go and its handlers). Other paths are the kubelet's 404s; exec,
// attach, port-forward and logs are served through their own subresources. Pure but for the
// view it reads.
import type { KubeObject } from '../api/object.ts'
import type { NodeUsageSample } from '../api/resource-usage.ts'
import { goJSON } from '../apiserver/schemas/go-values.ts'
import { kubeletConfigz } from './configz.ts'
import { resourceMetrics } from './resource-metrics.ts'
import { statsSummary } from './stats-summary.ts'
import type { NodeIdentity } from './node-object.ts'

export interface KubeletHttpReply { status: number, headers: Record<string, string>, body: string }

/** What the endpoints read of their kubelet. */
export interface KubeletView {
  identity: NodeIdentity
  /** ms on the cluster clock: now, and when the node (re)started (its boot time). */
  now: () => number
  bootedAt: number
  /** The pods the kubelet runs, as its pod manager holds them. */
  pods: () => KubeObject[]
  usage: () => Promise<NodeUsageSample>
}

const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json'
/** go-restful's routes (GET only; its own 404/405 texts under their prefixes). */
const RESTFUL_PREFIXES = ['/pods', '/stats', '/runningpods', '/containerLogs', '/run', '/exec', '/attach', '/portForward', '/checkpoint', '/logs']
const HEALTH_CHECKS = ['ping', 'log', 'syncloop']

/** `readOnly`: the read-only port (10255), without the debugging handlers (/configz). */
export async function serveKubeletHttp (view: KubeletView, method: string, path: string, query: URLSearchParams, readOnly = false): Promise<KubeletHttpReply> {
  if (path === '/healthz') return health(query)
  const check = path.startsWith('/healthz/') ? path.slice('/healthz/'.length) : undefined
  if (check !== undefined && HEALTH_CHECKS.includes(check)) return reply(200, TEXT, 'ok', true)
  if (path === '/configz' && !readOnly) return reply(200, JSON_TYPE, kubeletConfigz(view.identity), true)
  if (path === '/metrics/resource') return reply(200, 'text/plain; version=0.0.4; charset=utf-8', resourceMetrics(await view.usage(), view.bootedAt))
  const restful = RESTFUL_PREFIXES.some(p => path === p || path.startsWith(`${p}/`))
  if (!restful) return reply(404, TEXT, '404 page not found\n', true)
  const route = path === '/pods' || path === '/pods/' ? 'pods' : path === '/stats/summary' ? 'summary' : undefined
  if (route === undefined) return reply(404, TEXT, '404: Page Not Found')
  if (method !== 'GET') return reply(405, TEXT, '405: Method Not Allowed')
  if (route === 'pods') return reply(200, JSON_TYPE, podList(view.pods()))
  return reply(200, JSON_TYPE, statsSummary(view, await view.usage()))
}

/** healthz: `ok`, or each check's line then `healthz check passed` with ?verbose. */
function health (query: URLSearchParams): KubeletHttpReply {
  if (!query.has('verbose')) return reply(200, TEXT, 'ok', true)
  return reply(200, TEXT, `${HEALTH_CHECKS.map(c => `[+]${c} ok\n`).join('')}healthz check passed\n`, true)
}

/** encodePods: a v1 PodList whose items carry no kind, JSON as Go's encoder writes it (a newline after). */
function podList (pods: KubeObject[]): string {
  const items = pods.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)
  return `${goJSON({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items })}\n`
}

function reply (status: number, contentType: string, body: string, nosniff = false): KubeletHttpReply {
  const headers: Record<string, string> = { 'Content-Type': contentType }
  if (nosniff) headers['X-Content-Type-Options'] = 'nosniff'
  return { status, headers, body }
}
